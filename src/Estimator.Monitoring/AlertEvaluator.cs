using System.Collections.Concurrent;
using Estimator.Drift;
using Estimator.Slo;

namespace Estimator.Monitoring;

/// <summary>
/// Alert evaluation: flags each final chunk against the model's objectives and reference thresholds, runs the alert
/// lifecycle, queues each state change once in the outbox and writes the alert files. It folds only the chunks that
/// became final since the last evaluation into the model's summary (<see cref="ModelSummary"/>), so its cost does not
/// grow with the model's history; without a valid summary it reads every estimate file, with the same result.
/// </summary>
internal sealed class AlertEvaluator(StoreContext context, ChunkFiles files, AlertOutbox outbox, ModelSummaries summaries, DriftEvidenceSource? drift = null)
{
    private readonly ConcurrentDictionary<string, AlertMemo> _memos = new(StringComparer.Ordinal);

    private StoreLayout Layout => context.Layout;

    public AlertOutcome Evaluate(ModelDefinition model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var modelLock = context.Locks.Acquire(model.Name, cancellationToken);
        model.Alerting.Validate();

        // Nothing committed since this runner's last evaluation of this definition: the same states, nothing to queue.
        var signature = InputSignature(model.Name);
        if (_memos.TryGetValue(model.Name, out var memo) && ReferenceEquals(memo.Model, model) && memo.Signature == signature)
        {
            return memo.Outcome with { Enqueued = [] };
        }

        var definition = ModelSummaries.Definition(model);
        var state = context.States.Load(Layout.StatePath(model.Name));
        var start = Incremental(model.Name, definition, state);
        var fold = start is null ? Full(model, definition) : Fold(model, start.Value.Summary, start.Value.Records);
        var now = context.Time.GetUtcNow().UtcDateTime;
        var enqueued = new List<AlertNotification>();
        foreach (var n in fold.Transitions.OrderBy(n => n.ChunkIndex).ThenBy(n => n.Id, StringComparer.Ordinal))
        {
            var notification = n with { At = now, Drift = Evidence(model, n, fold.AlertingChunks) };
            if (outbox.Enqueue(notification))
            {
                enqueued.Add(notification);
                context.Logger?.LogWarning("Model {Model}: {Metric} {Rule} alert {State} ({Severity}) at chunk {Chunk}: {Reason}", n.Model, n.Metric, n.Rule, n.State, n.Severity, n.ChunkKey, n.Reason);
            }
        }

        outbox.WriteCurrent(model.Name, fold.Summary.Current);
        IReadOnlyList<AlertFlag> flags;
        long flagBytes;
        if (start is null)
        {
            flags = fold.Added;
            flagBytes = outbox.WriteFlags(model.Name, fold.Added);
        }
        else
        {
            // The earlier flags stay as written (their chunks are unchanged): the new ones are appended, and the whole
            // list is parsed only if a caller asks for it.
            flagBytes = outbox.AppendFlags(model.Name, fold.Added);
            flags = new StoredFlags(outbox, model.Name);
        }

        if (state.Pending.Count == 0)
        {
            summaries.Save(model.Name, fold.Summary with { FlagBytes = flagBytes, Drift = LatestDrift(model.Name, state, fold.Summary.Watermark) });
        }
        else
        {
            // Work items still pending may write chunks below what was folded: the next evaluation starts afresh.
            summaries.Invalidate(model.Name);
        }

        var outcome = new AlertOutcome(enqueued, fold.Summary.Current, flags);
        _memos[model.Name] = new AlertMemo(model, InputSignature(model.Name), outcome);
        return outcome;
    }

    /// <summary>
    /// The root-cause evidence for a firing notification: its input columns ranked by drift in the chunks the alert
    /// fired on (the run of flagged chunks around the notification's). Null without drift monitoring or for a resolve.
    /// </summary>
    private IReadOnlyList<DriftEvidence>? Evidence(ModelDefinition model, AlertNotification n, Dictionary<string, int[]> alertingChunks)
    {
        if (drift is null || n.State != "firing" || !alertingChunks.TryGetValue(n.Id, out var chunks) || drift(model, chunks) is not { } rows)
        {
            return null;
        }

        return RootCause.Rank(rows, chunks);
    }

    /// <summary>The drift and quality values of the final chunk <paramref name="watermark"/> (one small file); null when there are none.</summary>
    private IReadOnlyList<DriftValue>? LatestDrift(string model, ModelState state, int watermark)
    {
        var path = Layout.DriftPath(model, watermark);
        return state.InputFingerprint is null || watermark < 0 || !File.Exists(path) ? null : [.. DriftFileReader.Read(path).Select(DriftValue.From)];
    }

    /// <summary>The summary and the records of the chunks that became final since; null when a full evaluation is needed.</summary>
    private (ModelSummary Summary, List<EstimateRecord> Records)? Incremental(string model, string definition, ModelState state)
    {
        if (state.Pending.Count > 0 || summaries.Load(model) is not { } summary || summary.Definition != definition || !outbox.FlagsIntact(model, summary.FlagBytes))
        {
            return null;
        }

        // The chunk log holds final (so visible) chunks only, in index order: the ones after the watermark are read without
        // reading the log.
        var records = new List<EstimateRecord>();
        for (var index = summary.Watermark + 1; index < state.Log.Count; index++)
        {
            if (!Add(index))
            {
                return null;
            }
        }

        foreach (var chunk in state.Tail)
        {
            if (chunk.Visible && chunk.Final && chunk.Index > summary.Watermark && !Add(chunk.Index))
            {
                return null;
            }
        }

        return (summary, records);

        bool Add(int index)
        {
            var path = Layout.AnalysisEstimatesPath(model, index);
            if (!File.Exists(path))
            {
                return false;
            }

            records.AddRange(EstimateFileReader.Read(path).Where(r => !r.Provisional));
            return true;
        }
    }

    private Folded Full(ModelDefinition model, string definition)
    {
        var records = files.ReadEstimates(model.Name).Where(r => r.Period == "analysis" && !r.Provisional).ToList();
        var empty = new ModelSummary(ModelSummaries.CurrentVersion, definition, -1, [], [], [], 0);
        return Fold(model, empty, records);
    }

    /// <summary>Folds <paramref name="records"/> (final chunks after the summary's watermark) into the summary.</summary>
    private static Folded Fold(ModelDefinition model, ModelSummary summary, List<EstimateRecord> records)
    {
        var policy = model.Alerting;
        var byMetric = records.GroupBy(r => r.Metric).ToDictionary(g => g.Key, g => g.OrderBy(r => r.ChunkIndex).ToList(), StringComparer.Ordinal);
        var metricOrder = summary.Metrics.Select(m => m.Metric).Concat(records.Select(r => r.Metric)).Distinct(StringComparer.Ordinal).ToList();
        var transitions = new List<AlertNotification>();
        var alertingChunks = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var current = new List<AlertStatus>();
        var added = new List<(AlertFlag Flag, int Rule)>(records.Count * 2);
        var metrics = new List<MetricSummary>();
        var rules = new List<RuleSummary>();
        var watermark = summary.Watermark;
        foreach (var metric in metricOrder)
        {
            var rows = byMetric.GetValueOrDefault(metric) ?? [];
            var previous = summary.Metrics.FirstOrDefault(m => m.Metric == metric);
            var points = rows.Select(r => new ChunkPoint(
                r.ChunkKey, r.ChunkIndex, r.Estimated ?? double.NaN, r.LowerConfidenceBound ?? double.NaN, r.UpperConfidenceBound ?? double.NaN,
                r.Alert, r.Realized, r.ChunkEndDate)).ToList();
            var byIndex = rows.ToDictionary(r => r.ChunkIndex);
            var latest = rows.Count > 0 ? rows[^1] : previous!.Latest;
            watermark = Math.Max(watermark, latest.ChunkIndex);
            var window = (previous?.Window ?? []).Concat(points.Select(p => p.Estimated)).TakeLast(policy.BudgetWindow).ToArray();
            metrics.Add(new MetricSummary(metric, latest, window));

            var crossings = Rule(metric, "threshold", null, SloDirection.Below)?.At.Crossings ?? 0;
            var thresholdFlags = SloEvaluator.FlagThresholds(points, policy, ref crossings);
            Collect(AlertRule.Threshold, thresholdFlags, null, SloDirection.Below, crossings);
            foreach (var slo in model.Slos.Where(s => s.Metric == metric))
            {
                Collect(AlertRule.Objective, SloEvaluator.FlagObjective(points, slo.Objective, slo.Direction), slo.Objective, slo.Direction, 0);
            }

            void Collect(AlertRule rule, IReadOnlyList<ChunkFlag> ruleFlags, double? objective, SloDirection direction, int crossingsAfter)
            {
                var ruleName = rule == AlertRule.Objective ? "objective" : "threshold";
                var earlier = Rule(metric, ruleName, objective, direction);
                var at = earlier?.At ?? LifecycleState.Initial;
                var lifecycle = SloEvaluator.Lifecycle(rule, ruleFlags, policy, ref at);
                at = at with { Crossings = crossingsAfter };
                var (state, severity) = SloEvaluator.Current(at);
                var budget = objective is double o ? SloEvaluator.Budget(window, o, policy, direction) : null;
                current.Add(new AlertStatus(model.Name, metric, ruleName, state.ToString().ToLowerInvariant(), severity == Severity.None ? null : severity.ToString(), objective, budget, latest.ChunkKey)
                {
                    Direction = objective is null ? null : direction.Name(),
                });

                foreach (var flag in ruleFlags)
                {
                    var verdict = objective is double obj && flag.Severity != Severity.None ? SloEvaluator.Judge(flag, obj, direction).ToString().ToLowerInvariant() : null;
                    added.Add((new AlertFlag(metric, ruleName, flag.Point.ChunkKey, flag.Point.ChunkIndex, flag.Severity == Severity.None ? null : flag.Severity.ToString(), flag.Reason, verdict), rules.Count));
                }

                rules.Add(new RuleSummary(metric, ruleName, objective, at, (earlier?.Flags ?? 0) + ruleFlags.Count) { Direction = direction == SloDirection.Above ? direction : null });

                // One notification per rule and evaluation: the transitions coalesce to the latest state.
                if (AlertCoalescing.ToNotify(lifecycle, earlier?.At ?? LifecycleState.Initial) is { } t)
                {
                    var r = byIndex[t.Point.ChunkIndex];
                    var stateName = t.State == AlertState.Firing ? "firing" : "resolved";
                    var id = string.Create(CultureInfo.InvariantCulture, $"{t.Point.ChunkIndex:D6}-{metric}-{ruleName}-{stateName}-{t.Severity}");
                    transitions.Add(new AlertNotification(
                        id, model.Name, metric, ruleName, t.Severity.ToString(), stateName, r.ChunkKey, r.ChunkIndex, r.Estimated, r.LowerConfidenceBound,
                        r.UpperConfidenceBound, objective, r.LowerThreshold, r.UpperThreshold, $"{model.Name}/{metric}/{ruleName}", default, t.Reason,
                        new Dictionary<string, DateTime>()));
                    alertingChunks[id] = FlaggedRun(ruleFlags, t.Point.ChunkIndex);
                }
            }
        }

        // flags.json lists the flags chunk by chunk (each chunk's rules in the order above), so the flags of chunks that
        // became final later are appended at its end.
        var flags = added.OrderBy(f => f.Flag.ChunkIndex).ThenBy(f => f.Rule).Select(f => f.Flag).ToList();
        return new Folded(summary with { Watermark = watermark, Metrics = metrics, Rules = rules, Current = current }, flags, transitions, alertingChunks);

        // Rules are matched by metric, rule, objective and direction (two objectives on one metric are two rules).
        RuleSummary? Rule(string metric, string rule, double? objective, SloDirection direction) =>
            summary.Rules.FirstOrDefault(r => r.Metric == metric && r.Rule == rule && Nullable.Equals(r.Objective, objective) && (r.Direction ?? SloDirection.Below) == direction);
    }

    /// <summary>
    /// What the evaluation depends on, as file stamps: the committed state, the summary and the alert files. Every run
    /// that changes a chunk commits the state or drops the summary, so equal signatures mean the same evaluation.
    /// </summary>
    private string InputSignature(string model) =>
        string.Join('|', Stamp(Layout.StatePath(model)), Stamp(Layout.SummaryPath(model)), Stamp(Path.Combine(Layout.AlertsDirectory(model), "current.json")), Stamp(Path.Combine(Layout.AlertsDirectory(model), "flags.json")));

    private static string Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? string.Create(CultureInfo.InvariantCulture, $"{info.Length}:{info.LastWriteTimeUtc.Ticks}") : "-";
    }

    /// <summary>
    /// The chunks an alert fired on: the run of consecutive flagged chunks (among those just folded) around
    /// <paramref name="at"/>, which is always included. A decay that arrives in one file fires once, at its first chunk,
    /// and its evidence covers every flagged chunk of the file.
    /// </summary>
    private static int[] FlaggedRun(IReadOnlyList<ChunkFlag> flags, int at)
    {
        var position = -1;
        for (var i = 0; i < flags.Count && position < 0; i++)
        {
            position = flags[i].Point.ChunkIndex == at ? i : -1;
        }

        if (position < 0)
        {
            return [at];
        }

        var (first, last) = (position, position);
        while (first > 0 && flags[first - 1].Severity != Severity.None)
        {
            first--;
        }

        while (last < flags.Count - 1 && flags[last + 1].Severity != Severity.None)
        {
            last++;
        }

        var run = new int[last - first + 1];
        for (var i = first; i <= last; i++)
        {
            run[i - first] = flags[i].Point.ChunkIndex;
        }

        return run;
    }

    private sealed record Folded(ModelSummary Summary, List<AlertFlag> Added, List<AlertNotification> Transitions, Dictionary<string, int[]> AlertingChunks);

    /// <summary>A model's last alert evaluation: the definition it used, the signature of its inputs and its outcome.</summary>
    private sealed record AlertMemo(ModelDefinition Model, string Signature, AlertOutcome Outcome);
}
