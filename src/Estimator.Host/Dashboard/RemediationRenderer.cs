using System.Net;

namespace Estimator.Host.Dashboard;

/// <summary>
/// The Models page's remediation list: the model's latest rollback requests with their status (pending, failed: the
/// last delivery pass failed and the next retries it, sent), the incident they belong to and the target.
/// </summary>
internal static class RemediationRenderer
{
    /// <summary>How many actions the list shows (the newest incidents first).</summary>
    public const int Latest = 10;

    /// <summary>Appends the list, or nothing for a model without remediation targets or actions.</summary>
    public static void Render(StringBuilder html, IModelStore store, ModelConfig model)
    {
        var actions = RemediationAction.Distinct(store.RemediationActions(model.Name, "sent"), store.RemediationActions(model.Name, "pending"))
            .OrderByDescending(a => a.ChunkIndex).ThenByDescending(a => a.Id, StringComparer.Ordinal).ToList();
        if (model.Remediation.Count == 0 && actions.Count == 0)
        {
            return;
        }

        html.Append("<div class=\"estimator-remediation\"><h4>Remediation</h4>");
        html.Append(Invariant($"<p class=\"text-muted\">Targets: {Encode(string.Join(", ", model.Remediation))}. One action per incident and target, when the incident reaches the target's severity.</p>"));
        if (actions.Count == 0)
        {
            html.Append("<p class=\"text-muted\">No action taken.</p></div>");
            return;
        }

        html.Append("<ul class=\"list-unstyled\">");
        foreach (var a in actions.Take(Latest))
        {
            var label = a.Status switch
            {
                "sent" => "label-success",
                "failed" => "label-danger",
                _ => "label-warning",
            };
            var outcome = a.Status switch
            {
                "sent" => Invariant($"accepted {Time(a.SentAt)}"),
                "failed" => Invariant($"{a.FailedPasses} failed pass(es), last {Time(a.LastFailedAt)}: {Encode(a.LastError ?? "")}; retried by the next pass"),
                _ => "waiting for the notify job",
            };
            html.Append(Invariant($"<li data-action=\"{Encode(a.Id)}\" data-status=\"{a.Status}\"><span class=\"label {label}\">{a.Status}</span> "));
            html.Append(Invariant($"<strong>{Encode(a.Action)}</strong> via {Encode(a.Target)} ({Encode(a.Kind)}): {Encode(a.Metric)} {Encode(a.Rule)} reached {Encode(a.Severity)} at {Encode(a.ChunkKey)}"));
            html.Append(Invariant($" (estimated {Number(a.Estimated)} [{Number(a.LowerConfidenceBound)}, {Number(a.UpperConfidenceBound)}]{(a.Objective is double o ? Invariant($", objective {o:0.####}") : "")}), decided {Time(a.At)}; {outcome}"));
            html.Append(Invariant($" <small class=\"text-muted\">Idempotency-Key {Encode(a.IdempotencyKey)}</small></li>"));
        }

        html.Append("</ul>");
        if (actions.Count > Latest)
        {
            html.Append(Invariant($"<p class=\"text-muted\">and {actions.Count - Latest} earlier action(s).</p>"));
        }

        html.Append("</div>");
    }

    private static string Number(double? value) => value is double v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "–";

    private static string Time(DateTime? value) => value is DateTime d ? d.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
