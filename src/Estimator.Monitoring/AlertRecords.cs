using System.Text.Json.Serialization;
using Estimator.Drift;
using Estimator.Slo;

namespace Estimator.Monitoring;

/// <summary>
/// A notification waiting in (or delivered from) a model's outbox: one alert state change. Its <see cref="Id"/> is
/// derived from the change itself, so evaluating the same chunks again never queues it twice.
/// </summary>
/// <param name="Id">Stable id of the state change (file name in the outbox).</param>
/// <param name="Model">The model.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Rule"><c>objective</c> (an SLO floor or ceiling) or <c>threshold</c> (reference thresholds).</param>
/// <param name="Severity"><c>P1</c>, <c>P2</c> or <c>P3</c>.</param>
/// <param name="State"><c>firing</c> or <c>resolved</c>.</param>
/// <param name="ChunkKey">The chunk at which the state changed.</param>
/// <param name="ChunkIndex">Its index.</param>
/// <param name="Estimated">The estimate at that chunk.</param>
/// <param name="LowerConfidenceBound">Lower band.</param>
/// <param name="UpperConfidenceBound">Upper band.</param>
/// <param name="Objective">The SLO floor or ceiling (objective rule), else null.</param>
/// <param name="LowerThreshold">The reference lower threshold, if any.</param>
/// <param name="UpperThreshold">The reference upper threshold, if any.</param>
/// <param name="DedupKey">Stable key of the alert (model/metric/rule): a receiver groups trigger and resolve by it.</param>
/// <param name="At">When the change was detected (UTC).</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="Delivered">Channels it has been delivered to, with the time.</param>
public sealed record AlertNotification(
    string Id,
    string Model,
    string Metric,
    string Rule,
    string Severity,
    string State,
    string ChunkKey,
    int ChunkIndex,
    double? Estimated,
    double? LowerConfidenceBound,
    double? UpperConfidenceBound,
    double? Objective,
    double? LowerThreshold,
    double? UpperThreshold,
    string DedupKey,
    DateTime At,
    string Reason,
    IReadOnlyDictionary<string, DateTime> Delivered)
{
    /// <summary>
    /// The root-cause evidence of a firing alert: the model's input columns ranked by how strongly they drifted in the
    /// alerting chunks (<see cref="RootCause"/>); empty when none of those chunks has drift values, null for a model
    /// without a <c>drift:</c> section and for resolutions.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DriftEvidence>? Drift { get; init; }
}

/// <summary>An alert's state after the latest final chunk (what <c>/metrics</c> and the dashboard report).</summary>
/// <param name="Model">The model.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Rule"><c>objective</c> or <c>threshold</c>.</param>
/// <param name="State"><c>inactive</c>, <c>pending</c> or <c>firing</c>.</param>
/// <param name="Severity">The severity while pending or firing.</param>
/// <param name="Objective">The SLO floor or ceiling, for objective rules.</param>
/// <param name="Budget">Error budget and burn rate, for objective rules.</param>
/// <param name="ChunkKey">The latest final chunk evaluated.</param>
public sealed record AlertStatus(string Model, string Metric, string Rule, string State, string? Severity, double? Objective, BudgetStatus? Budget, string? ChunkKey)
{
    /// <summary>Which side of <see cref="Objective"/> is decay (<c>below</c> or <c>above</c>), for objective rules; null for threshold rules.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Direction { get; init; }
}

/// <summary>One chunk's flag under one rule, with what the realized value says about it.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Rule"><c>objective</c> or <c>threshold</c>.</param>
/// <param name="ChunkKey">The chunk.</param>
/// <param name="ChunkIndex">Its index.</param>
/// <param name="Severity"><c>P1</c>/<c>P2</c>/<c>P3</c>, or null when clear.</param>
/// <param name="Reason">Why.</param>
/// <param name="Verdict">For objective flags: <c>pending</c> (no labels), <c>confirmed</c> or <c>retracted</c> by the realized value.</param>
public sealed record AlertFlag(string Metric, string Rule, string ChunkKey, int ChunkIndex, string? Severity, string Reason, string? Verdict);

/// <summary>What an alert evaluation did.</summary>
/// <param name="Enqueued">Notifications newly queued in the outbox.</param>
/// <param name="Current">Every alert's current state.</param>
/// <param name="Flags">Every final chunk's flags.</param>
public sealed record AlertOutcome(IReadOnlyList<AlertNotification> Enqueued, IReadOnlyList<AlertStatus> Current, IReadOnlyList<AlertFlag> Flags);
