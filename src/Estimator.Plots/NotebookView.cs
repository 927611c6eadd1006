using System.Globalization;
using System.Net;
using System.Text;
using Estimator.Calculators;
using Estimator.Estimation;

namespace Estimator.Plots;

/// <summary>
/// What a notebook shows for a result on its own: a table of the analysis chunks (one row per chunk, one column per
/// metric: estimate, confidence band, alert) followed by the performance chart. The package's .NET Interactive
/// extension registers it as the HTML formatter of <see cref="CalculatorResult"/>, so a cell ending in <c>result</c>
/// renders it. A row that is per column or class (drift, multiclass) is headed <c>metric column class</c>.
/// </summary>
public static class NotebookView
{
    /// <summary>Metrics charted when a result is displayed without options: the headline metrics, when present.</summary>
    private static readonly string[] ChartedByDefault = ["roc_auc", "f1", "accuracy"];

    /// <summary>The HTML table and chart of <paramref name="result"/>.</summary>
    /// <param name="result">The result to show.</param>
    /// <param name="options">What the chart shows; null for the headline metrics present in the result.</param>
    public static string ToHtml(this CalculatorResult result, PerformancePlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var headings = result.Rows.Select(Heading).Distinct().ToList();
        var metrics = result.Rows.Select(r => r.Metric).Distinct().ToList();
        var analysis = result.Rows.Where(r => r.Period == Period.Analysis).ToList();
        var chunks = analysis.Select(r => r.Chunk).DistinctBy(c => c.Index).ToList();
        var byCell = analysis.GroupBy(r => (r.Chunk.Index, Heading(r))).ToDictionary(g => g.Key, g => g.First());
        var calibration = result is CbpeResult cbpe ? $"; calibration: {WebUtility.HtmlEncode(cbpe.Calibration.Reason)}" : "";

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<div><p><b>{WebUtility.HtmlEncode(result.Model)}</b>: {chunks.Count} analysis chunks, ")
            .Append(CultureInfo.InvariantCulture, $"{analysis.Count(r => r.Alert)} alerts{calibration}</p>")
            .Append("<table><thead><tr><th>chunk</th><th>start</th><th>end</th>");
        foreach (var heading in headings)
        {
            html.Append("<th>").Append(WebUtility.HtmlEncode(heading)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var chunk in chunks)
        {
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(chunk.Key)).Append("</td><td>")
                .Append(Date(chunk.StartDate)).Append("</td><td>").Append(Date(chunk.EndDate)).Append("</td>");
            foreach (var heading in headings)
            {
                html.Append(byCell.TryGetValue((chunk.Index, heading), out var row) ? Cell(row) : "<td></td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
        var charted = options ?? new PerformancePlotOptions
        {
            Metrics = ChartedByDefault.Where(metrics.Contains).DefaultIfEmpty(metrics.FirstOrDefault() ?? "").Where(m => m.Length > 0).ToList(),
        };
        if (charted.Metrics is not { Count: 0 } && metrics.Count > 0)
        {
            html.Append(result.Plot(charted).ToHtml());
        }

        return html.Append("</div>").ToString();
    }

    private static string Heading(ChunkEstimate row) => string.Join(' ', new[] { row.Metric, row.Column, row.Class }.Where(p => p is not null));

    private static string Date(DateTime? date) => date?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";

    /// <summary>Estimate with its band; an alert is red and marked, so it also reads without colour.</summary>
    private static string Cell(ChunkEstimate row)
    {
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{row.Estimated:0.0000} [{row.LowerConfidenceBound:0.0000}, {row.UpperConfidenceBound:0.0000}]");
        return row.Alert ? $"<td style=\"color:#c00\">{text} alert</td>" : $"<td>{text}</td>";
    }
}
