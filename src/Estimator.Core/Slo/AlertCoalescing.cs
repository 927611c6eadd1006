namespace Estimator.Slo;

/// <summary>
/// What one evaluation notifies for one alert rule: its transitions over the chunks that became final in that
/// evaluation coalesce to the latest state, compared with the state the receivers last saw. A file that brings many
/// chunks at once then pages once, not once per tier change inside it.
/// </summary>
/// <remarks>
/// Rules, from the state before the evaluation to the last transition: not firing → firing sends that firing; firing →
/// firing sends it only when the tier rose (an escalation, P2 → P1); a lower or equal tier sends nothing (the incident
/// is open and its page stands); firing → resolved sends the resolve; not firing → resolved (an alert that fired and
/// cleared inside one evaluation) sends nothing, as the latest state is "not firing" — the flags and the ledger still
/// record every chunk.
/// </remarks>
public static class AlertCoalescing
{
    /// <summary>The one transition to notify, or null for none.</summary>
    /// <param name="transitions">The rule's transitions in this evaluation, in chunk order.</param>
    /// <param name="before">The rule's lifecycle state before this evaluation (what was last notified).</param>
    public static AlertTransition? ToNotify(IReadOnlyList<AlertTransition> transitions, LifecycleState before)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        ArgumentNullException.ThrowIfNull(before);
        if (transitions.Count == 0)
        {
            return null;
        }

        var last = transitions[^1];
        var wasFiring = before.State == AlertState.Firing;
        if (last.State == AlertState.Firing)
        {
            return !wasFiring || last.Severity.Rank() > before.Severity.Rank() ? last : null;
        }

        return wasFiring ? last : null;
    }
}
