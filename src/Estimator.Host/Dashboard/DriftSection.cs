using System.Net;
using Estimator.Calculators;
using Estimator.Estimation;

namespace Estimator.Host.Dashboard;

/// <summary>
/// The Models page's drift and data-quality sections: per input column (the multivariate methods under "all columns")
/// one small inline SVG per method with its value over the analysis chunks, its thresholds and the alerting chunks
/// marked; columns with an alert in any chunk come first, the others keep the configured order.
/// </summary>
internal static class DriftSection
{
    private const int Width = 220;
    private const int Height = 70;
    private const int Pad = 6;

    private static readonly CalculatorKind[] DriftKinds = [CalculatorKind.UnivariateDrift, CalculatorKind.ReconstructionError, CalculatorKind.DomainClassifier];
    private static readonly CalculatorKind[] QualityKinds = [CalculatorKind.MissingValues, CalculatorKind.UnseenValues, CalculatorKind.RangeViolations, CalculatorKind.SummaryStatistics];

    /// <summary>Renders both sections from the stored rows (nothing for a model that measures none).</summary>
    public static void Render(StringBuilder html, IReadOnlyList<ChunkEstimate> rows)
    {
        var analysis = rows.Where(r => r.Period == Period.Analysis).ToList();
        RenderSection(html, "drift", "Drift", analysis.Where(r => DriftKinds.Contains(r.Calculator)).ToList());
        RenderSection(html, "quality", "Data quality", analysis.Where(r => QualityKinds.Contains(r.Calculator)).ToList());
    }

    private static void RenderSection(StringBuilder html, string section, string title, List<ChunkEstimate> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        // Columns in the order the calculators wrote them; a column with an alert in any chunk moves ahead (stable sort).
        var columns = rows.GroupBy(r => r.Column ?? "").Select(g => (Column: g.Key, Rows: g.ToList(), Alerts: g.Count(r => r.Alert)))
            .OrderBy(c => c.Alerts > 0 ? 0 : 1).ToList();
        var alerting = columns.Count(c => c.Alerts > 0);
        html.Append(Invariant($"<div class=\"estimator-{section}\" data-section=\"{section}\"><h3>{title}</h3>"));
        html.Append(Invariant($"<p class=\"text-muted\">{columns.Count} column(s), <strong class=\"{(alerting > 0 ? "text-danger" : "text-success")}\">{alerting}</strong> with alerts; red points are alerting chunks, dashed lines the thresholds.</p>"));
        foreach (var (column, columnRows, alerts) in columns)
        {
            var name = column.Length == 0 ? "all columns" : column;
            var badge = alerts > 0 ? Invariant($" <span class=\"label label-danger\">{alerts} alert(s)</span>") : "";
            html.Append(Invariant($"<div class=\"estimator-drift-column\" data-column=\"{Encode(column)}\" data-alerting=\"{(alerts > 0 ? "true" : "false")}\" style=\"display:inline-block;vertical-align:top;margin:0 16px 12px 0\">"));
            html.Append(Invariant($"<h4 style=\"font-size:14px\"><code>{Encode(name)}</code>{badge}</h4>"));
            foreach (var method in columnRows.GroupBy(r => (r.Calculator, r.Metric)))
            {
                var points = method.OrderBy(r => r.Chunk.Index).ToList();
                var latest = points[^1];
                html.Append(Invariant($"<figure data-method=\"{Encode(method.Key.Metric)}\" data-calculator=\"{Encode(method.Key.Calculator.Name())}\" style=\"display:inline-block;margin:0 8px 0 0\">"));
                Svg(html, points);
                html.Append(Invariant($"<figcaption><small>{Encode(method.Key.Metric)}: {Number(latest.Estimated)} at <code>{Encode(latest.Chunk.Key)}</code></small></figcaption></figure>"));
            }

            html.Append("</div>");
        }

        html.Append("</div>");
    }

    /// <summary>A small chart: the values as a line with a point per chunk (red when alerting), thresholds as dashed lines.</summary>
    private static void Svg(StringBuilder html, List<ChunkEstimate> points)
    {
        var values = points.Select(p => p.Estimated).Where(double.IsFinite).ToList();
        var lower = points[^1].LowerThreshold is double l && double.IsFinite(l) ? l : (double?)null;
        var upper = points[^1].UpperThreshold is double u && double.IsFinite(u) ? u : (double?)null;
        var all = values.Concat(lower is null ? [] : [lower.Value]).Concat(upper is null ? [] : [upper.Value]).ToList();
        var min = all.Count == 0 ? 0 : all.Min();
        var max = all.Count == 0 ? 1 : all.Max();
        if (max - min < 1e-12)
        {
            (min, max) = (min - 0.5, max + 0.5);
        }

        double X(int i) => Pad + ((Width - (2 * Pad)) * (points.Count == 1 ? 0.5 : i / (double)(points.Count - 1)));
        double Y(double v) => Height - Pad - ((Height - (2 * Pad)) * (v - min) / (max - min));

        html.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" style=\"background:#fafafa;border:1px solid #eee\">"));
        foreach (var threshold in new[] { lower, upper })
        {
            if (threshold is double t)
            {
                html.Append(Invariant($"<line class=\"threshold\" x1=\"{Pad}\" x2=\"{Width - Pad}\" y1=\"{Y(t):0.#}\" y2=\"{Y(t):0.#}\" stroke=\"#d9534f\" stroke-dasharray=\"4 3\" stroke-width=\"1\"><title>threshold {Number(t)}</title></line>"));
            }
        }

        var line = string.Join(" ", points.Select((p, i) => (p, i)).Where(x => double.IsFinite(x.p.Estimated)).Select(x => Invariant($"{X(x.i):0.#},{Y(x.p.Estimated):0.#}")));
        html.Append(Invariant($"<polyline fill=\"none\" stroke=\"#337ab7\" stroke-width=\"1.5\" points=\"{line}\"/>"));
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            if (!double.IsFinite(p.Estimated))
            {
                continue;
            }

            var (fill, radius, css) = p.Alert ? ("#d9534f", 3.5, "alert") : ("#337ab7", 2.0, "ok");
            html.Append(Invariant($"<circle class=\"{css}\" cx=\"{X(i):0.#}\" cy=\"{Y(p.Estimated):0.#}\" r=\"{radius}\" fill=\"{fill}\"><title>{Encode(p.Chunk.Key)}: {Number(p.Estimated)}{(p.Alert ? " (alert)" : "")}</title></circle>"));
        }

        html.Append("</svg>");
    }

    private static string Number(double? value) => value is double v && double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "–";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
