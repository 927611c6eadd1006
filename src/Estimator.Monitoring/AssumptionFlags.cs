using Estimator.Slo;

namespace Estimator.Monitoring;

/// <summary>
/// Reconciliation's feedback on the estimator itself: where the realized values of a metric fell outside the estimate's
/// band on consecutive fully labelled chunks (<see cref="AssumptionCheck"/>), the model's estimates no longer track its
/// performance and the estimator's assumption looks violated, concept drift being the usual cause. Marks the ledger rows,
/// words the warning and queues one notification when a violation is confirmed and one when it clears.
/// </summary>
internal static class AssumptionFlags
{
    /// <summary>The rule name of the notifications (<c>model/metric/assumption</c> is their dedup key).</summary>
    public const string Rule = "assumption";

    // A ticket, not a page: the estimates are wrong, not necessarily the model; someone should look at the labels.
    private const string Severity = "P2";

    /// <summary>Each metric's violations over the fully labelled chunks of <paramref name="ledger"/>, in metric then chunk order.</summary>
    public static IReadOnlyList<AssumptionViolation> Find(IEnumerable<LedgerRecord> ledger)
    {
        var found = new List<AssumptionViolation>();
        foreach (var metric in ledger.Where(r => r.TargetsMissingRate == 0 && r.InsideBand is not null).GroupBy(r => r.Metric))
        {
            var chunks = metric.OrderBy(r => r.ChunkIndex).Select(r => new LabelledChunk(r.ChunkIndex, r.ChunkKey, r.InsideBand!.Value)).ToList();
            found.AddRange(AssumptionCheck.Find(metric.Key, chunks));
        }

        return found;
    }

    /// <summary>Whether the ledger row lies in one of <paramref name="violations"/> (from its first chunk to its last outside the band).</summary>
    public static bool Marks(IReadOnlyList<AssumptionViolation> violations, LedgerRecord row) =>
        violations.Any(v => v.Metric == row.Metric && row.ChunkIndex >= v.FirstIndex && row.ChunkIndex <= v.LastIndex);

    /// <summary>The warning for an active violation, as the summary and the Models page show it.</summary>
    public static string Warning(AssumptionViolation v, string assumption) => string.Create(
        CultureInfo.InvariantCulture,
        $"{v.Metric}: assumption violated (concept drift?): the realized value left the estimate's band on {AssumptionCheck.DefaultConsecutive} fully labelled chunks in a row from {v.FirstKey} on — {assumption}");

    /// <summary>The notifications of the violations: firing when confirmed, resolved when cleared (ids make them once-only).</summary>
    public static IEnumerable<AlertNotification> Notifications(string model, IReadOnlyList<AssumptionViolation> violations, IReadOnlyList<LedgerRecord> ledger, DateTime now)
    {
        foreach (var v in violations)
        {
            var confirmed = ledger.First(r => r.Metric == v.Metric && r.ChunkIndex == v.ConfirmedIndex);
            yield return Notification(model, v, confirmed, "firing", now, string.Create(
                CultureInfo.InvariantCulture,
                $"realized {confirmed.Realized:0.####} outside the band [{confirmed.LowerConfidenceBound:0.####}, {confirmed.UpperConfidenceBound:0.####}] on {AssumptionCheck.DefaultConsecutive} labelled chunks in a row from {v.FirstKey}: the estimates no longer track performance (assumption violated — concept drift?)"));
            if (v.ClearedIndex is int cleared)
            {
                var back = ledger.First(r => r.Metric == v.Metric && r.ChunkIndex == cleared);
                yield return Notification(model, v, back, "resolved", now, string.Create(
                    CultureInfo.InvariantCulture,
                    $"realized values back inside the band on {AssumptionCheck.DefaultConsecutive} labelled chunks in a row (from {v.FirstKey} to {back.ChunkKey})"));
            }
        }
    }

    private static AlertNotification Notification(string model, AssumptionViolation v, LedgerRecord at, string state, DateTime now, string reason) => new(
        string.Create(CultureInfo.InvariantCulture, $"{at.ChunkIndex:D6}-{v.Metric}-{Rule}-{state}-{Severity}-from{v.FirstIndex:D6}"),
        model,
        v.Metric,
        Rule,
        Severity,
        state,
        at.ChunkKey,
        at.ChunkIndex,
        at.Estimated,
        at.LowerConfidenceBound,
        at.UpperConfidenceBound,
        null,
        null,
        null,
        $"{model}/{v.Metric}/{Rule}",
        now,
        reason,
        new Dictionary<string, DateTime>());
}
