using System.Globalization;
using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.IO;
using ScottPlot;

namespace Estimator.Plots;

/// <summary>
/// Draws a <see cref="CalculatorResult"/> as NannyML's performance chart: per metric, the estimate per chunk with its
/// confidence band, the alert thresholds, alerts marked in red, the reference period shaded and separated from the
/// analysis period, and the realized values overlaid where labels exist.
/// </summary>
/// <example>
/// <code>
/// var chart = PerformancePlot.Render(result);
/// chart.SavePng("estimate.png");
/// </code>
/// </example>
public static class PerformancePlot
{
    /// <summary>Colour of the estimated line and band.</summary>
    internal static readonly Color EstimatedColor = Color.FromHex("#1f77b4");

    /// <summary>Colour of the realized line.</summary>
    internal static readonly Color RealizedColor = Color.FromHex("#6a3d9a");

    /// <summary>Colour of thresholds and alerts.</summary>
    internal static readonly Color AlertColor = Color.FromHex("#d62728");

    /// <summary>Legend text of the estimated series (tests find series by it).</summary>
    public const string EstimatedLabel = "estimated";

    /// <summary>Legend text of the realized series.</summary>
    public const string RealizedLabel = "realized";

    /// <summary>Legend text of the confidence band.</summary>
    public const string BandLabel = "confidence band (±3 SE)";

    /// <summary>Legend text of the alert markers.</summary>
    public const string AlertLabel = "alert";

    /// <summary>Legend text of the threshold lines.</summary>
    public const string ThresholdLabel = "threshold";

    /// <summary>Renders the chart: one panel per metric, stacked.</summary>
    /// <param name="result">The result to draw.</param>
    /// <param name="options">What to show; null for the defaults.</param>
    /// <exception cref="ArgumentException">The result has no rows to draw, or a requested metric is not in it.</exception>
    public static Chart Render(CalculatorResult result, PerformancePlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Render(result.Model, result.Rows, nameof(result), options);
    }

    /// <summary>
    /// Renders the chart of estimate-file records (as read from an estimate file or the job host's store, realized
    /// values included once reconciled): one panel per metric, reference chunks before analysis chunks.
    /// </summary>
    /// <param name="records">The records of one model; null numbers are drawn as gaps.</param>
    /// <param name="options">What to show; null for the defaults.</param>
    /// <exception cref="ArgumentException">There are no records, they hold more than one model or an unknown period, or a requested metric is not in them.</exception>
    public static Chart Render(IReadOnlyList<EstimateRecord> records, PerformancePlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            throw new ArgumentException("There are no records to draw.", nameof(records));
        }

        var models = records.Select(r => r.Model).Distinct().ToList();
        if (models.Count > 1)
        {
            throw new ArgumentException($"The records hold several models ({string.Join(", ", models)}); draw one at a time.", nameof(records));
        }

        var rows = records
            .Select(r => new ChunkEstimate(
                new Chunk(r.ChunkKey, r.ChunkIndex, r.ChunkStartIndex, r.ChunkEndIndex, r.ChunkStartDate, r.ChunkEndDate),
                r.Period switch
                {
                    "reference" => Period.Reference,
                    "analysis" => Period.Analysis,
                    _ => throw new ArgumentException($"Record of chunk {r.ChunkKey} has an unknown period '{r.Period}'.", nameof(records)),
                },
                r.Metric,
                r.Estimated ?? double.NaN,
                r.SamplingError ?? double.NaN,
                r.LowerConfidenceBound ?? double.NaN,
                r.UpperConfidenceBound ?? double.NaN,
                r.LowerThreshold,
                r.UpperThreshold,
                r.Alert,
                r.Realized,
                r.TargetsMissingRate))
            .OrderBy(r => r.Period == Period.Reference ? 0 : 1)
            .ThenBy(r => r.Chunk.Index)
            .ToList();
        return Render(models[0], rows, nameof(records), options);
    }

    private static Chart Render(string model, IReadOnlyList<ChunkEstimate> allRows, string parameter, PerformancePlotOptions? options)
    {
        options ??= new PerformancePlotOptions();
        var rows = options.ShowReference ? allRows : allRows.Where(r => r.Period == Period.Analysis).ToList();
        var available = rows.Select(r => r.Metric).Distinct().ToList();
        var metrics = options.Metrics ?? available;
        if (metrics.Count == 0)
        {
            throw new ArgumentException("The result has no rows to draw.", parameter);
        }

        var panels = new List<Plot>(metrics.Count);
        foreach (var metric in metrics)
        {
            var metricRows = rows.Where(r => r.Metric == metric).ToList();
            if (metricRows.Count == 0)
            {
                throw new ArgumentException($"The result has no metric '{metric}'; it has {string.Join(", ", available)}.", nameof(options));
            }

            panels.Add(Panel(model, metric, metricRows, options));
        }

        return new Chart(panels, options.Width, options.PanelHeight);
    }

    private static Plot Panel(string model, string metric, List<ChunkEstimate> rows, PerformancePlotOptions options)
    {
        var plot = new Plot();
        PlotStyle.Apply(plot);
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"{model}: estimated {metric}"), size: 15);
        plot.YLabel(metric);

        // x: reference chunks 0..R-1, then analysis chunks R..R+A-1 (rows are in that order already).
        var n = rows.Count;
        var x = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = i;
        }

        var referenceCount = rows.Count(r => r.Period == Period.Reference);
        if (referenceCount > 0)
        {
            var span = plot.Add.HorizontalSpan(-0.5, referenceCount - 0.5);
            span.FillStyle.Color = Colors.Gray.WithAlpha(0.12);
            span.LineStyle.Width = 0;
            if (referenceCount < n)
            {
                var divider = plot.Add.VerticalLine(referenceCount - 0.5);
                divider.Color = Colors.DimGray;
                divider.LineWidth = 1.5f;
                divider.LinePattern = LinePattern.Solid;
            }
        }

        // Confidence band, where the estimate exists.
        var valid = Enumerable.Range(0, n).Where(i => double.IsFinite(rows[i].Estimated)).ToArray();
        if (valid.Length > 0)
        {
            var band = plot.Add.FillY(
                valid.Select(i => x[i]).ToArray(),
                valid.Select(i => rows[i].LowerConfidenceBound).ToArray(),
                valid.Select(i => rows[i].UpperConfidenceBound).ToArray());
            band.FillColor = EstimatedColor.WithAlpha(0.18);
            band.LineColor = Colors.Transparent;
            band.LegendText = BandLabel;
        }

        // Thresholds (the same on every row of a metric).
        var first = rows[0];
        var thresholdLabelled = false;
        foreach (var threshold in new[] { first.LowerThreshold, first.UpperThreshold })
        {
            if (threshold is double t && double.IsFinite(t))
            {
                var line = plot.Add.HorizontalLine(t);
                line.Color = AlertColor;
                line.LineWidth = 1.5f;
                line.LinePattern = LinePattern.Dashed;
                if (!thresholdLabelled)
                {
                    line.LegendText = ThresholdLabel;
                    thresholdLabelled = true;
                }
            }
        }

        // Estimated values.
        var estimated = plot.Add.Scatter(valid.Select(i => x[i]).ToArray(), valid.Select(i => rows[i].Estimated).ToArray());
        estimated.Color = EstimatedColor;
        estimated.LineWidth = 2;
        estimated.MarkerSize = 6;
        estimated.LegendText = EstimatedLabel;

        // Realized values, where labels exist.
        if (options.ShowRealized)
        {
            var realized = Enumerable.Range(0, n).Where(i => rows[i].Realized is double r && double.IsFinite(r)).ToArray();
            if (realized.Length > 0)
            {
                var line = plot.Add.Scatter(realized.Select(i => x[i]).ToArray(), realized.Select(i => rows[i].Realized!.Value).ToArray());
                line.Color = RealizedColor;
                line.LineWidth = 2;
                line.LinePattern = LinePattern.Dashed;
                line.MarkerSize = 5;
                line.MarkerShape = MarkerShape.OpenCircle;
                line.LegendText = RealizedLabel;
            }
        }

        // Alerts.
        var alerts = Enumerable.Range(0, n).Where(i => rows[i].Alert && double.IsFinite(rows[i].Estimated)).ToArray();
        if (alerts.Length > 0)
        {
            var markers = plot.Add.Markers(alerts.Select(i => x[i]).ToArray(), alerts.Select(i => rows[i].Estimated).ToArray());
            markers.Color = AlertColor;
            markers.MarkerSize = 11;
            markers.MarkerShape = MarkerShape.FilledDiamond;
            markers.LegendText = AlertLabel;
        }

        // Period labels above the data.
        if (referenceCount > 0)
        {
            PeriodLabel(plot, "reference", (referenceCount - 1) / 2.0);
        }

        if (referenceCount < n)
        {
            PeriodLabel(plot, "analysis", referenceCount + ((n - referenceCount - 1) / 2.0));
        }

        plot.Axes.Bottom.TickGenerator = ChunkTicks(rows);
        plot.Axes.Bottom.Label.Text = rows.Any(r => r.Chunk.StartDate is not null) ? "chunk (start date)" : "chunk";
        plot.Axes.SetLimitsX(-0.5, n - 0.5);
        FitY(plot, rows);
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static void PeriodLabel(Plot plot, string text, double x)
    {
        var label = plot.Add.Text(text, x, 0);
        label.LabelFontSize = 12;
        label.LabelFontColor = Colors.DimGray;
        label.LabelAlignment = Alignment.UpperCenter;
        label.IsVisible = true;

        // Pin the label to the top of the data area whatever the y range.
        plot.RenderManager.RenderStarting += (_, _) => label.Location = new Coordinates(x, plot.Axes.GetLimits().Top);
    }

    private static void FitY(Plot plot, List<ChunkEstimate> rows)
    {
        var values = new List<double>();
        foreach (var r in rows)
        {
            values.Add(r.Estimated);
            values.Add(r.LowerConfidenceBound);
            values.Add(r.UpperConfidenceBound);
            values.Add(r.Realized ?? double.NaN);
            values.Add(r.LowerThreshold ?? double.NaN);
            values.Add(r.UpperThreshold ?? double.NaN);
        }

        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0)
        {
            return;
        }

        var low = finite.Min();
        var high = finite.Max();
        var pad = Math.Max((high - low) * 0.15, 1e-3);
        plot.Axes.SetLimitsY(low - pad, high + (pad * 1.6));
    }

    private static ScottPlot.TickGenerators.NumericManual ChunkTicks(List<ChunkEstimate> rows)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        var step = Math.Max(1, (int)Math.Ceiling(rows.Count / 7.0));
        for (var i = 0; i < rows.Count; i += step)
        {
            var chunk = rows[i].Chunk;
            var label = chunk.StartDate is DateTime d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : chunk.Key;
            ticks.AddMajor(i, label);
        }

        return ticks;
    }
}
