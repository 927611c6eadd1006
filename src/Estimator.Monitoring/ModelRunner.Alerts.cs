using System.Globalization;
using System.Text.Json;
using Estimator.IO;
using Estimator.Slo;
using Microsoft.Extensions.Logging;

namespace Estimator.Monitoring;

/// <summary>
/// A notification waiting in (or delivered from) a model's outbox: one alert state change. Its <see cref="Id"/> is
/// derived from the change itself, so evaluating the same chunks again never queues it twice.
/// </summary>
/// <param name="Id">Stable id of the state change (file name in the outbox).</param>
/// <param name="Model">The model.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Rule"><c>objective</c> (an SLO floor) or <c>threshold</c> (reference thresholds).</param>
/// <param name="Severity"><c>P1</c>, <c>P2</c> or <c>P3</c>.</param>
/// <param name="State"><c>firing</c> or <c>resolved</c>.</param>
/// <param name="ChunkKey">The chunk at which the state changed.</param>
/// <param name="ChunkIndex">Its index.</param>
/// <param name="Estimated">The estimate at that chunk.</param>
/// <param name="LowerConfidenceBound">Lower band.</param>
/// <param name="UpperConfidenceBound">Upper band.</param>
/// <param name="Objective">The SLO floor (objective rule), else null.</param>
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
    IReadOnlyDictionary<string, DateTime> Delivered);

/// <summary>An alert's state after the latest final chunk (what <c>/metrics</c> and the dashboard report).</summary>
/// <param name="Model">The model.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Rule"><c>objective</c> or <c>threshold</c>.</param>
/// <param name="State"><c>inactive</c>, <c>pending</c> or <c>firing</c>.</param>
/// <param name="Severity">The severity while pending or firing.</param>
/// <param name="Objective">The SLO floor, for objective rules.</param>
/// <param name="Budget">Error budget and burn rate, for objective rules.</param>
/// <param name="ChunkKey">The latest final chunk evaluated.</param>
public sealed record AlertStatus(string Model, string Metric, string Rule, string State, string? Severity, double? Objective, BudgetStatus? Budget, string? ChunkKey);

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

/// <summary>Alerting: SLO decay flags from the stored estimates, the alert lifecycle, and the notification outbox.</summary>
public sealed partial class ModelRunner
{
    private static readonly JsonSerializerOptions AlertJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// Evaluates the model's objectives and reference thresholds over its final analysis chunks, queues a notification
    /// for every alert state change not queued before (<c>outbox/pending/</c>), and writes the current states
    /// (<c>alerts/current.json</c>) and per-chunk flags (<c>alerts/flags.json</c>). Provisional chunks never alert.
    /// When neither the model's estimate files nor its definition changed since this runner last evaluated it, the
    /// evaluation would find the same states, so the last outcome is returned (with nothing enqueued) without reading
    /// the estimates again.
    /// </summary>
    public AlertOutcome EvaluateAlerts(ModelDefinition model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var modelLock = AcquireLock(model.Name, cancellationToken);
        model.Alerting.Validate();
        var signature = AlertInputSignature(model.Name);
        if (_alertMemos.TryGetValue(model.Name, out var memo) && ReferenceEquals(memo.Model, model) && memo.Signature == signature)
        {
            return memo.Outcome with { Enqueued = [] };
        }

        var now = Time.GetUtcNow().UtcDateTime;
        var records = ReadEstimates(model.Name).Where(r => r.Period == "analysis" && !r.Provisional).ToList();
        var transitions = new List<AlertNotification>();
        var current = new List<AlertStatus>();
        var flagsOut = new List<AlertFlag>();
        foreach (var group in records.GroupBy(r => r.Metric))
        {
            var rows = group.OrderBy(r => r.ChunkIndex).ToList();
            var points = rows.Select(r => new ChunkPoint(
                r.ChunkKey, r.ChunkIndex, r.Estimated ?? double.NaN, r.LowerConfidenceBound ?? double.NaN, r.UpperConfidenceBound ?? double.NaN,
                r.Alert, r.Realized, r.ChunkEndDate)).ToList();
            var byIndex = rows.ToDictionary(r => r.ChunkIndex);
            var last = rows.Count == 0 ? null : rows[^1].ChunkKey;

            var thresholdFlags = SloEvaluator.FlagThresholds(points, model.Alerting);
            Collect(AlertRule.Threshold, thresholdFlags, null);
            foreach (var slo in model.Slos.Where(s => s.Metric == group.Key))
            {
                var objectiveFlags = SloEvaluator.FlagObjective(points, slo.Objective);
                Collect(AlertRule.Objective, objectiveFlags, slo.Objective);
            }

            void Collect(AlertRule rule, IReadOnlyList<ChunkFlag> flags, double? objective)
            {
                var ruleName = rule == AlertRule.Objective ? "objective" : "threshold";
                var lifecycle = SloEvaluator.Lifecycle(rule, flags, model.Alerting);
                var (state, severity) = SloEvaluator.Current(lifecycle, flags, model.Alerting);
                var budget = objective is double o ? SloEvaluator.Budget(points, o, model.Alerting) : null;
                current.Add(new AlertStatus(model.Name, group.Key, ruleName, state.ToString().ToLowerInvariant(), severity == Severity.None ? null : severity.ToString(), objective, budget, last));
                foreach (var flag in flags)
                {
                    var verdict = objective is double obj && flag.Severity != Severity.None ? SloEvaluator.Judge(flag, obj).ToString().ToLowerInvariant() : null;
                    flagsOut.Add(new AlertFlag(group.Key, ruleName, flag.Point.ChunkKey, flag.Point.ChunkIndex, flag.Severity == Severity.None ? null : flag.Severity.ToString(), flag.Reason, verdict));
                }

                foreach (var t in lifecycle)
                {
                    var r = byIndex[t.Point.ChunkIndex];
                    var stateName = t.State == AlertState.Firing ? "firing" : "resolved";
                    var id = string.Create(CultureInfo.InvariantCulture, $"{t.Point.ChunkIndex:D6}-{group.Key}-{ruleName}-{stateName}-{t.Severity}");
                    transitions.Add(new AlertNotification(
                        id, model.Name, group.Key, ruleName, t.Severity.ToString(), stateName, r.ChunkKey, r.ChunkIndex, r.Estimated, r.LowerConfidenceBound,
                        r.UpperConfidenceBound, objective, r.LowerThreshold, r.UpperThreshold, $"{model.Name}/{group.Key}/{ruleName}", now, t.Reason,
                        new Dictionary<string, DateTime>()));
                }
            }
        }

        var outbox = Path.Combine(ModelDirectory(model.Name), "outbox");
        var enqueued = new List<AlertNotification>();
        foreach (var n in transitions.OrderBy(n => n.ChunkIndex).ThenBy(n => n.Id, StringComparer.Ordinal))
        {
            var pending = Path.Combine(outbox, "pending", n.Id + ".json");
            var sent = Path.Combine(outbox, "sent", n.Id + ".json");
            if (File.Exists(pending) || File.Exists(sent))
            {
                continue;
            }

            AtomicFile.WriteText(pending, JsonSerializer.Serialize(n, AlertJson));
            enqueued.Add(n);
            Logger?.LogWarning("Model {Model}: {Metric} {Rule} alert {State} ({Severity}) at chunk {Chunk}: {Reason}", n.Model, n.Metric, n.Rule, n.State, n.Severity, n.ChunkKey, n.Reason);
        }

        var alerts = Path.Combine(ModelDirectory(model.Name), "alerts");
        WriteIfChanged(Path.Combine(alerts, "current.json"), JsonSerializer.Serialize(current, AlertJson));
        WriteIfChanged(Path.Combine(alerts, "flags.json"), JsonSerializer.Serialize(flagsOut, AlertJson));
        var outcome = new AlertOutcome(enqueued, current, flagsOut);
        _alertMemos[model.Name] = new AlertMemo(model, AlertInputSignature(model.Name), outcome);
        return outcome;
    }

    /// <summary>The alerts' current states as of the last evaluation (empty before the first).</summary>
    public IReadOnlyList<AlertStatus> ReadAlertStatus(string model)
    {
        var path = Path.Combine(ModelDirectory(CheckedName(model)), "alerts", "current.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<List<AlertStatus>>(File.ReadAllText(path), AlertJson) ?? [] : [];
    }

    /// <summary>Notifications of the model waiting for delivery, oldest first.</summary>
    public IReadOnlyList<AlertNotification> PendingNotifications(string model) => ReadOutbox(model, "pending");

    /// <summary>Notifications of the model delivered to every channel they were routed to.</summary>
    public IReadOnlyList<AlertNotification> SentNotifications(string model) => ReadOutbox(model, "sent");

    /// <summary>
    /// Records a delivery: the notification's <see cref="AlertNotification.Delivered"/> gains the channel; once
    /// <paramref name="complete"/>, it moves from <c>pending/</c> to <c>sent/</c>. Each step is one atomic file operation,
    /// so after a crash a channel already recorded is never sent to again.
    /// </summary>
    public AlertNotification RecordDelivery(AlertNotification notification, string channel, bool complete)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var outbox = Path.Combine(ModelDirectory(CheckedName(notification.Model)), "outbox");
        var pending = Path.Combine(outbox, "pending", notification.Id + ".json");
        var delivered = new Dictionary<string, DateTime>(notification.Delivered) { [channel] = Time.GetUtcNow().UtcDateTime };
        var updated = notification with { Delivered = delivered };
        AtomicFile.WriteText(pending, JsonSerializer.Serialize(updated, AlertJson));
        if (complete)
        {
            var sent = Path.Combine(outbox, "sent", notification.Id + ".json");
            Directory.CreateDirectory(Path.GetDirectoryName(sent)!);
            File.Move(pending, sent, overwrite: true);
        }

        return updated;
    }

    /// <summary>Writes <paramref name="text"/> atomically unless the file already holds exactly it (most evaluations change nothing).</summary>
    private static void WriteIfChanged(string path, string text)
    {
        try
        {
            if (File.Exists(path) && File.ReadAllText(path) == text)
            {
                return;
            }
        }
        catch (IOException)
        {
            // Unreadable: rewrite it.
        }

        AtomicFile.WriteText(path, text);
    }

    private List<AlertNotification> ReadOutbox(string model, string box)
    {
        var directory = Path.Combine(ModelDirectory(CheckedName(model)), "outbox", box);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var files = Directory.GetFiles(directory, "*.json");
        Array.Sort(files, StringComparer.Ordinal);
        return files.Select(f => JsonSerializer.Deserialize<AlertNotification>(File.ReadAllText(f), AlertJson)!).ToList();
    }
}
