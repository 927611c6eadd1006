using System.Net;
using Estimator.Drift;
using Estimator.Host.Notifications;

namespace Estimator.Host.Dashboard;

/// <summary>
/// The Models page's answer to "why did the estimate drop?": under each firing alert, the input columns that drifted in
/// its alerting chunks, as its latest firing notification carries them (<see cref="AlertNotification.Drift"/>).
/// </summary>
internal static class RootCauseRenderer
{
    /// <summary>The latest firing notification of each alert (by dedup key) that carries drift evidence.</summary>
    public static Dictionary<string, AlertNotification> LatestEvidence(IModelStore store, string model)
    {
        var latest = new Dictionary<string, AlertNotification>(StringComparer.Ordinal);
        foreach (var n in store.SentNotifications(model).Concat(store.PendingNotifications(model)))
        {
            if (n.State == "firing" && n.Drift is not null && (!latest.TryGetValue(n.DedupKey, out var held) || Later(n, held)))
            {
                latest[n.DedupKey] = n;
            }
        }

        return latest;
    }

    /// <summary>Appends the evidence as a short list: alerting columns first (as ranked), with their method and value.</summary>
    public static void Render(StringBuilder html, AlertNotification n)
    {
        var evidence = n.Drift!;
        html.Append(Invariant($"<div class=\"estimator-root-cause\" data-alert=\"{Encode(n.DedupKey)}\"><small>"));
        var drifting = evidence.Where(e => e.AlertingChunks > 0).ToList();
        if (drifting.Count == 0)
        {
            html.Append(Invariant($"No input column drifted in the alerting chunks (up to {Encode(n.ChunkKey)}): a change in the inputs' relation to the target (concept drift) or in columns not monitored?"));
        }
        else
        {
            html.Append("Drifting inputs: ");
            html.Append(string.Join(", ", drifting.Select(Describe)));
        }

        html.Append("</small></div>");
    }

    private static string Describe(DriftEvidence e) =>
        Invariant($"<span data-column=\"{Encode(e.Column)}\"><strong>{Encode(e.Column)}</strong> ({Encode(NotificationPayloads.MethodValue(e))}; {e.AlertingChunks} of {e.Chunks} chunks)</span>");

    private static bool Later(AlertNotification a, AlertNotification b) => a.ChunkIndex != b.ChunkIndex ? a.ChunkIndex > b.ChunkIndex : a.At > b.At;

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
