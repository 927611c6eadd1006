namespace Estimator.Monitoring;

/// <summary>
/// Decides remediation actions from the alert engine's state changes: folds a model's pending notifications, per alert
/// and in chunk order, into its incidents (a firing notification opens one or escalates it, a resolve closes it), and
/// queues one action per incident and target once the incident reaches the target's severity. It reads the outbox, not
/// the estimate runs, so every source of alerts (file runs, reconciliation, an online window) gets the same remediation.
/// </summary>
/// <remarks>
/// <para>Order: an alert's notification ids sort in the order of its state changes (the alert engine names them
/// <c>{chunk index:D6}-...</c>); the ledger keeps, per alert, the last id folded, so a notification still pending (a
/// channel is down) or queued again is never folded twice.</para>
/// <para>Crash safety: actions are queued (idempotently: their ids name the incident and target) before the ledger records
/// the notifications as folded, and the caller plans before any of those notifications can leave the outbox; so a
/// crash at any point re-folds the same notifications into the same actions, never new ones.</para>
/// </remarks>
internal sealed class RemediationPlanner(StoreContext context, RemediationOutbox actions, RemediationLedger ledger)
{
    /// <summary>Folds the pending notifications <paramref name="pending"/> not folded before; returns the actions queued now.</summary>
    public IReadOnlyList<RemediationAction> Plan(string model, IReadOnlyList<RemediationRule> rules, IReadOnlyList<AlertNotification> pending)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(pending);
        if (rules.Count == 0)
        {
            return [];
        }

        var incidents = ledger.Read(model);
        var queued = new List<RemediationAction>();
        var changed = false;
        foreach (var n in pending)
        {
            var entry = incidents.GetValueOrDefault(n.DedupKey) ?? IncidentEntry.None;
            if (entry.Through is { } through && string.CompareOrdinal(n.Id, through) <= 0)
            {
                continue;
            }

            if (n.State == "firing")
            {
                var open = entry.Open ?? n.Id;
                var acted = entry.Acted.ToList();
                foreach (var rule in rules)
                {
                    if (!rule.Applies(n) || acted.Contains(rule.Target, StringComparer.Ordinal))
                    {
                        continue;
                    }

                    var action = For(n, open, rule);
                    if (actions.Enqueue(action))
                    {
                        queued.Add(action);
                        context.Logger?.LogWarning("Model {Model}: {Metric} {Rule} incident reached {Severity} at chunk {Chunk}: {Action} queued for {Target}", n.Model, n.Metric, n.Rule, n.Severity, n.ChunkKey, action.Action, rule.Target);
                    }

                    acted.Add(rule.Target);
                }

                entry = new IncidentEntry(n.Id, open, acted);
            }
            else
            {
                entry = new IncidentEntry(n.Id, null, []);
            }

            incidents[n.DedupKey] = entry;
            changed = true;
        }

        if (changed)
        {
            ledger.Write(model, incidents);
        }

        return queued;
    }

    private static RemediationAction For(AlertNotification n, string incident, RemediationRule rule) => new(
        $"{incident}~{rule.Target}",
        $"{n.Model}/{incident}/{rule.Target}",
        n.Model,
        rule.Target,
        rule.Kind,
        "rollback",
        incident,
        n.Id,
        n.Metric,
        n.Rule,
        n.Severity,
        n.ChunkKey,
        n.ChunkIndex,
        n.Estimated,
        n.LowerConfidenceBound,
        n.UpperConfidenceBound,
        n.Objective,
        n.DedupKey,
        n.At);
}
