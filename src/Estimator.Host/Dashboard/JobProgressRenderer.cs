using System.Net;
using Estimator.Host.Jobs;

namespace Estimator.Host.Dashboard;

/// <summary>
/// Shows a job's progress (its <see cref="JobProgress.ParameterName"/> parameter) on the dashboard's job details page:
/// phase, a bar, rows read, chunks estimated, rate, time left and the update time. The parameter outlives the run, so a
/// finished job keeps its final numbers; a job that reported nothing gets nothing extra. Registered with the Models page
/// (<see cref="ModelsDashboard"/>).
/// </summary>
internal static class JobProgressRenderer
{
    /// <summary>The progress section for a job with these parameters; empty when it has no progress.</summary>
    public static string Render(IDictionary<string, string>? parameters)
    {
        if (parameters is null || !parameters.TryGetValue(JobProgress.ParameterName, out var raw) || string.IsNullOrEmpty(raw))
        {
            return "";
        }

        JobProgress? p;
        try
        {
            p = JobProgress.FromJson(raw);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Invariant($"<div class=\"estimator-progress alert alert-warning\">Progress cannot be read: {Encode(e.Message)}</div>");
        }

        if (p is null)
        {
            return "";
        }

        var percent = p.Fraction is double f && double.IsFinite(f) ? Math.Clamp(f, 0, 1) * 100 : (double?)null;
        var done = p.Phase == nameof(Estimator.Monitoring.RunPhase.Done);
        var html = new StringBuilder();
        html.Append("<div class=\"estimator-progress\" id=\"estimator-progress\" style=\"margin:20px 0\">");
        html.Append(Invariant($"<h3>Progress <small>{Encode(p.Job)}</small></h3>"));
        html.Append(Invariant($"<p><span class=\"label {(done ? "label-success" : "label-info")}\" data-progress=\"phase\">{Encode(JobProgress.Describe(p.Phase))}</span> "));
        html.Append(Invariant($"<span class=\"text-muted\" data-progress=\"updated\">updated {Encode(p.UpdatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))} UTC</span></p>"));

        // Plain inline CSS: the bar must show whatever stylesheet the dashboard's version ships.
        var width = percent ?? 0;
        var label = percent is double pc ? pc.ToString("0", CultureInfo.InvariantCulture) + "%" : "–";
        html.Append(Invariant($"<div data-progress=\"bar\" role=\"progressbar\" aria-valuemin=\"0\" aria-valuemax=\"100\"{(percent is double v ? Invariant($" aria-valuenow=\"{v:0}\"") : "")} style=\"position:relative;height:20px;border:1px solid #ccc;border-radius:3px;background:#f5f5f5;overflow:hidden;margin-bottom:10px\">"));
        html.Append(Invariant($"<div style=\"width:{width:0.##}%;height:100%;background:{(done ? "#5cb85c" : "#337ab7")}\"></div>"));
        html.Append(Invariant($"<span style=\"position:absolute;top:0;left:0;right:0;text-align:center;line-height:18px;font-size:12px\">{Encode(label)} of this phase</span></div>"));

        html.Append("<table class=\"table table-condensed\" style=\"width:auto\"><tbody>");
        Row(html, "files", "Files read", Of(p.FilesRead, p.TotalFiles) + (p.TotalBytes > 0 ? Invariant($" ({Bytes(p.BytesRead)} of {Bytes(p.TotalBytes)})") : ""));
        Row(html, "rows", "Rows read", N(p.RowsRead));
        Row(html, "chunks", "Chunks estimated", Of(p.ChunksEstimated, p.TotalChunks));
        Row(html, "rate", "Rate", JobProgress.Rate(p.RowsPerSecond));
        Row(html, "time-left", "Time left (this phase)", JobProgress.Duration(p.SecondsLeft));
        Row(html, "elapsed", "Elapsed", JobProgress.Duration(p.ElapsedSeconds));
        html.Append("</tbody></table></div>");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string key, string name, string value) =>
        html.Append(Invariant($"<tr><th>{Encode(name)}</th><td data-progress=\"{Encode(key)}\">{Encode(value)}</td></tr>"));

    private static string Of(long done, long total) => total > 0 ? N(done) + " of " + N(total) : N(done);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => Invariant($"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => Invariant($"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => Invariant($"{bytes / (double)(1L << 10):0.0} KiB"),
        _ => Invariant($"{bytes} B"),
    };

    private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
