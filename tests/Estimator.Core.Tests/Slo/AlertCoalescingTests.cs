using Estimator.Slo;

namespace Estimator.Tests.Slo;

/// <summary>One evaluation notifies at most once per rule: its transitions coalesce to the latest state.</summary>
public sealed class AlertCoalescingTests
{
    private static readonly LifecycleState NotFiring = LifecycleState.Initial;

    private static LifecycleState Firing(Severity severity) => LifecycleState.Initial with { State = AlertState.Firing, Severity = severity, LastSeverity = severity };

    private static AlertTransition T(int chunk, AlertState state, Severity severity) =>
        new(AlertRule.Objective, state, severity, new ChunkPoint($"c{chunk}", chunk, 0.9, 0.89, 0.91, false, null), "reason");

    public static TheoryData<string, LifecycleState, AlertTransition[], int?> Cases() => new()
    {
        // The car-loan decay arriving in one file: P1 at 5, down to P2 at 8, back to P1 at 9 → one trigger, the latest.
        { "fires once with the latest tier", NotFiring, [T(5, AlertState.Firing, Severity.P1), T(8, AlertState.Firing, Severity.P2), T(9, AlertState.Firing, Severity.P1)], 9 },
        { "escalation while firing sends one update", Firing(Severity.P2), [T(4, AlertState.Firing, Severity.P1)], 4 },
        { "de-escalation while firing sends nothing", Firing(Severity.P1), [T(4, AlertState.Firing, Severity.P2)], null },
        { "down and back up to the same tier sends nothing", Firing(Severity.P1), [T(4, AlertState.Firing, Severity.P2), T(6, AlertState.Firing, Severity.P1)], null },
        { "resolve of an open incident is sent", Firing(Severity.P2), [T(4, AlertState.Firing, Severity.P1), T(7, AlertState.Resolved, Severity.P1)], 7 },
        { "fired and cleared inside one evaluation sends nothing", NotFiring, [T(3, AlertState.Firing, Severity.P2), T(6, AlertState.Resolved, Severity.P2)], null },
        { "resolved and fired again at a higher tier is an escalation", Firing(Severity.P2), [T(3, AlertState.Resolved, Severity.P2), T(6, AlertState.Firing, Severity.P1)], 6 },
        { "nothing happened", Firing(Severity.P1), [], null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToNotify_CoalescesToTheLatestState(string because, LifecycleState before, AlertTransition[] transitions, int? expectedChunk)
    {
        var notified = AlertCoalescing.ToNotify(transitions, before);

        Assert.True(expectedChunk == notified?.Point.ChunkIndex, because);
        if (notified is not null)
        {
            Assert.Same(transitions[^1], notified);
        }
    }
}
