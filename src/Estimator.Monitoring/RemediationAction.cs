using System.Text.Json.Serialization;

namespace Estimator.Monitoring;

/// <summary>
/// One automated remediation (a rollback request) decided for an incident: what is posted to the remediation target,
/// and how its delivery went. Its <see cref="Id"/> names the incident and the target, so deciding it again is a no-op.
/// </summary>
/// <param name="Id">File name in <c>remediation/pending/</c> and <c>sent/</c>: <c>{incident}~{target}</c>.</param>
/// <param name="IdempotencyKey">Sent as the <c>Idempotency-Key</c> header (and the body's <c>id</c>):
/// <c>{model}/{incident}/{target}</c>, the same on every retry, different for every incident.</param>
/// <param name="Model">The model.</param>
/// <param name="Target">The remediation target's name.</param>
/// <param name="Kind">The target's kind (<c>webhook</c>).</param>
/// <param name="Action">What is asked for: <c>rollback</c>.</param>
/// <param name="Incident">Id of the notification that opened the incident (its first firing transition).</param>
/// <param name="NotificationId">Id of the notification at which the incident reached the target's severity.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Rule"><c>objective</c>, <c>threshold</c> or <c>assumption</c>.</param>
/// <param name="Severity">The incident's severity at that notification (<c>P1</c>, <c>P2</c> or <c>P3</c>).</param>
/// <param name="ChunkKey">The chunk at which it reached that severity.</param>
/// <param name="ChunkIndex">Its index.</param>
/// <param name="Estimated">The estimate at that chunk.</param>
/// <param name="LowerConfidenceBound">Its lower band.</param>
/// <param name="UpperConfidenceBound">Its upper band.</param>
/// <param name="Objective">The SLO floor or ceiling (objective rule), else null.</param>
/// <param name="DedupKey">The alert's key (<c>model/metric/rule</c>), as on the alert's notifications.</param>
/// <param name="At">When the alert engine detected the change (UTC): the same on every retry.</param>
public sealed record RemediationAction(
    string Id,
    string IdempotencyKey,
    string Model,
    string Target,
    string Kind,
    string Action,
    string Incident,
    string NotificationId,
    string Metric,
    string Rule,
    string Severity,
    string ChunkKey,
    int ChunkIndex,
    double? Estimated,
    double? LowerConfidenceBound,
    double? UpperConfidenceBound,
    double? Objective,
    string DedupKey,
    DateTime At)
{
    /// <summary>Delivery passes that ended without the receiver's 2xx (each pass retries with backoff first).</summary>
    public int FailedPasses { get; init; }

    /// <summary>Why the last failed pass failed, or null.</summary>
    public string? LastError { get; init; }

    /// <summary>When the last pass failed, or null.</summary>
    public DateTime? LastFailedAt { get; init; }

    /// <summary>When the receiver accepted it (2xx), or null while it is pending.</summary>
    public DateTime? SentAt { get; init; }

    /// <summary><c>sent</c> once accepted; <c>failed</c> while its last delivery pass failed (it is retried by the next); else <c>pending</c>.</summary>
    [JsonIgnore]
    public string Status => SentAt is not null ? "sent" : LastError is not null ? "failed" : "pending";

    /// <summary>
    /// The model's actions once each: a crash between writing an action to <c>sent/</c> and removing it from
    /// <c>pending/</c> leaves it in both boxes, and the delivered copy is the one that counts.
    /// </summary>
    /// <param name="sent">The actions in <c>sent/</c>.</param>
    /// <param name="pending">The actions in <c>pending/</c>.</param>
    public static IEnumerable<RemediationAction> Distinct(IEnumerable<RemediationAction> sent, IEnumerable<RemediationAction> pending) =>
        sent.Concat(pending).GroupBy(a => a.Id, StringComparer.Ordinal).Select(g => g.OrderByDescending(a => a.SentAt is not null).First());
}
