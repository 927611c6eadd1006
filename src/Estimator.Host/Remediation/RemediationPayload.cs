using System.Text.Json.Nodes;
using Estimator.Host.Notifications;

namespace Estimator.Host.Remediation;

/// <summary>The JSON body posted to a remediation target.</summary>
public static class RemediationPayload
{
    /// <summary>
    /// <c>{"action": "rollback", "model", "metric", "severity", "estimated", "lower_confidence_bound",
    /// "upper_confidence_bound", "objective", "dedup_key", "at"}</c>, then <c>id</c> (the idempotency key, also sent as
    /// the <c>Idempotency-Key</c> header), <c>incident</c>, <c>rule</c>, <c>chunk_key</c>, <c>chunk_index</c> and
    /// <c>target</c>. The numbers are the chunk's at which the incident reached the severity (null when absent);
    /// <c>objective</c> is null for threshold and assumption alerts; <c>dedup_key</c> is the alert's (as on its
    /// notifications); <c>at</c> is when the alert engine detected the change (ISO-8601 UTC). The body is the same on
    /// every retry.
    /// </summary>
    /// <param name="action">The action.</param>
    public static string Json(RemediationAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var body = new JsonObject
        {
            ["action"] = action.Action,
            ["model"] = action.Model,
            ["metric"] = action.Metric,
            ["severity"] = action.Severity,
            ["estimated"] = NotificationPayloads.Number(action.Estimated),
            ["lower_confidence_bound"] = NotificationPayloads.Number(action.LowerConfidenceBound),
            ["upper_confidence_bound"] = NotificationPayloads.Number(action.UpperConfidenceBound),
            ["objective"] = NotificationPayloads.Number(action.Objective),
            ["dedup_key"] = action.DedupKey,
            ["at"] = NotificationPayloads.Timestamp(action.At),
            ["id"] = action.IdempotencyKey,
            ["incident"] = action.Incident,
            ["rule"] = action.Rule,
            ["chunk_key"] = action.ChunkKey,
            ["chunk_index"] = action.ChunkIndex,
            ["target"] = action.Target,
        };
        return body.ToJsonString();
    }
}
