using Estimator.IO;
using ScottPlot;

namespace Estimator.Host.Dashboard;

/// <summary>
/// Draws one metric of a model over its chunks as SVG (ScottPlot, server-side): the estimate with its confidence band,
/// the realized value where labels exist, the thresholds, alerts in red, and a divider between reference and analysis
/// chunks. All chart code lives here so another plotting library can replace it in one place.
/// </summary>
public static class PerformanceChart
{
    /// <summary>Renders the chart of <paramref name="metric"/> as an SVG document (an <c>&lt;svg&gt;</c> element).</summary>
    /// <param name="records">The model's estimate rows (any metrics; reference rows first, then analysis rows, each in chunk order).</param>
    /// <param name="metric">The metric to draw, e.g. <c>roc_auc</c>.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static string RenderSvg(IReadOnlyList<EstimateRecord> records, string metric, int width = 900, int height = 320)
    {
        ArgumentNullException.ThrowIfNull(records);
        var rows = records.Where(r => r.Metric == metric).ToList();
        var plot = new Plot();
        plot.Title($"{metric}: estimated performance per chunk");
        plot.XLabel("chunk (reference, then analysis)");
        plot.YLabel(metric);
        if (rows.Count == 0)
        {
            plot.Add.Text("no estimates yet", 0, 0);
            return plot.GetSvgXml(width, height);
        }

        var xs = Enumerable.Range(0, rows.Count).Select(i => (double)i).ToArray();
        var estimated = rows.Select(r => r.Estimated ?? double.NaN).ToArray();
        var lower = rows.Select((r, i) => r.LowerConfidenceBound ?? estimated[i]).ToArray();
        var upper = rows.Select((r, i) => r.UpperConfidenceBound ?? estimated[i]).ToArray();

        var band = plot.Add.FillY(xs, lower, upper);
        band.FillStyle.Color = Colors.SteelBlue.WithAlpha(0.25);
        band.LegendText = "confidence band";

        var estimate = plot.Add.Scatter(xs, estimated, Colors.SteelBlue);
        estimate.LegendText = "estimated";
        estimate.MarkerSize = 5;

        var realizedRows = rows.Select((r, i) => (X: xs[i], Y: r.Realized)).Where(p => p.Y is not null).ToArray();
        if (realizedRows.Length > 0)
        {
            var realized = plot.Add.Scatter(realizedRows.Select(p => p.X).ToArray(), realizedRows.Select(p => p.Y!.Value).ToArray(), Colors.DarkOrange);
            realized.LinePattern = LinePattern.Dashed;
            realized.MarkerSize = 4;
            realized.LegendText = "realized";
        }

        var last = rows[^1];
        if (last.LowerThreshold is double lowerThreshold)
        {
            var line = plot.Add.HorizontalLine(lowerThreshold, 1.5f, Colors.Crimson, LinePattern.Dashed);
            line.LegendText = "lower threshold";
        }

        if (last.UpperThreshold is double upperThreshold)
        {
            var line = plot.Add.HorizontalLine(upperThreshold, 1.5f, Colors.Crimson, LinePattern.Dashed);
            line.LegendText = "upper threshold";
        }

        var referenceCount = rows.Count(r => r.Period == "reference");
        if (referenceCount > 0 && referenceCount < rows.Count)
        {
            plot.Add.VerticalLine(referenceCount - 0.5, 1f, Colors.Gray, LinePattern.Dotted);
        }

        var alerts = rows.Select((r, i) => (X: xs[i], Y: estimated[i], r.Alert)).Where(p => p.Alert && !double.IsNaN(p.Y)).ToArray();
        if (alerts.Length > 0)
        {
            var markers = plot.Add.Markers(alerts.Select(p => p.X).ToArray(), alerts.Select(p => p.Y).ToArray(), MarkerShape.FilledCircle, 9, Colors.Crimson);
            markers.LegendText = "alert";
        }

        plot.ShowLegend(Alignment.LowerLeft);
        return plot.GetSvgXml(width, height);
    }
}
