using Estimator.Slo;

namespace Estimator.Tests.Slo;

public sealed class SloEvaluatorTests
{
    private static ChunkPoint P(int i, double est, double halfBand = 0.01, bool threshold = false, double? realized = null) =>
        new($"c{i}", i, est, est - halfBand, est + halfBand, threshold, realized);

    [Fact]
    public void FlagObjective_PagesOnlyWhenWholeBandIsBelow()
    {
        var flags = SloEvaluator.FlagObjective([P(0, 0.97), P(1, 0.955), P(2, 0.94)], objective: 0.96);

        Assert.Equal([Severity.None, Severity.P2, Severity.P1], flags.Select(f => f.Severity));
    }

    [Fact]
    public void FlagThresholds_EscalatesToTicket_AfterConsecutiveCrossings()
    {
        ChunkPoint[] points = [P(0, 0.9, threshold: true), P(1, 0.9), P(2, 0.9, threshold: true), P(3, 0.9, threshold: true), P(4, 0.9, threshold: true)];

        var flags = SloEvaluator.FlagThresholds(points, new AlertPolicy { ConsecutiveCrossings = 3 });

        Assert.Equal([Severity.P3, Severity.None, Severity.P3, Severity.P3, Severity.P2], flags.Select(f => f.Severity));
    }

    [Fact]
    public void Lifecycle_FiresAfterFor_AndResolvesAfterKeepFiringFor()
    {
        // Flagged chunks 2..5, clear from 6: with for = 2 the alert fires at chunk 3; with keep_firing_for = 1 it
        // resolves at the second clear chunk (7), not at 6.
        var severities = new[] { 0, 0, 2, 2, 2, 2, 0, 0, 0 };
        var flags = severities.Select((s, i) => new ChunkFlag(P(i, 0.9), s == 0 ? Severity.None : Severity.P2, "")).ToList();

        var transitions = SloEvaluator.Lifecycle(AlertRule.Objective, flags, new AlertPolicy { For = 2, KeepFiringFor = 1 });

        Assert.Equal([(AlertState.Firing, 3), (AlertState.Resolved, 7)], transitions.Select(t => (t.State, t.Point.ChunkIndex)));
    }

    [Fact]
    public void Lifecycle_DoesNotFlap_WhenOneClearChunkInterrupts()
    {
        var severities = new[] { 2, 2, 0, 2, 2, 0, 0 };
        var flags = severities.Select((s, i) => new ChunkFlag(P(i, 0.9), s == 0 ? Severity.None : Severity.P2, "")).ToList();

        var transitions = SloEvaluator.Lifecycle(AlertRule.Objective, flags, new AlertPolicy { For = 1, KeepFiringFor = 1 });

        Assert.Equal([(AlertState.Firing, 0), (AlertState.Resolved, 6)], transitions.Select(t => (t.State, t.Point.ChunkIndex)));
    }

    [Fact]
    public void Lifecycle_ReportsEscalation_WhileFiring()
    {
        var flags = new[] { Severity.P2, Severity.P1, Severity.P1, Severity.P2 }.Select((s, i) => new ChunkFlag(P(i, 0.9), s, "")).ToList();

        var transitions = SloEvaluator.Lifecycle(AlertRule.Objective, flags, new AlertPolicy());

        Assert.Equal([(Severity.P2, 0), (Severity.P1, 1), (Severity.P2, 3)], transitions.Select(t => (t.Severity, t.Point.ChunkIndex)));
        Assert.All(transitions, t => Assert.Equal(AlertState.Firing, t.State));
    }

    [Fact]
    public void Lifecycle_StaysPending_BelowFor()
    {
        var flags = new[] { Severity.P1, Severity.None, Severity.P1 }.Select((s, i) => new ChunkFlag(P(i, 0.9), s, "")).ToList();
        var policy = new AlertPolicy { For = 2 };

        var transitions = SloEvaluator.Lifecycle(AlertRule.Objective, flags, policy);

        Assert.Empty(transitions);
        Assert.Equal((AlertState.Pending, Severity.P1), SloEvaluator.Current(transitions, flags, policy));
    }

    [Fact]
    public void Budget_BurnRateIsBadShareOverBudget()
    {
        var points = Enumerable.Range(0, 30).Select(i => P(i, i >= 25 ? 0.9 : 0.99)).ToList();

        var budget = SloEvaluator.Budget(points, 0.95, new AlertPolicy { BudgetWindow = 20, ErrorBudget = 0.1 });

        // 5 of the last 20 chunks miss: share 0.25, burn 2.5, remaining 1 − 2.5.
        Assert.Equal(20, budget.WindowChunks);
        Assert.Equal(5, budget.BadChunks);
        Assert.Equal(2.5, budget.BurnRate, 12);
        Assert.Equal(-1.5, budget.BudgetRemaining, 12);
    }

    [Theory]
    [InlineData(null, Verdict.Pending)]
    [InlineData(0.93, Verdict.Confirmed)]
    [InlineData(0.97, Verdict.Retracted)]
    public void Judge_ConfirmsOrRetracts_WithRealized(double? realized, Verdict verdict)
    {
        var flag = new ChunkFlag(P(0, 0.94, realized: realized), Severity.P1, "");

        Assert.Equal(verdict, SloEvaluator.Judge(flag, 0.96));
    }

    [Fact]
    public void Validate_RejectsNonsensePolicies()
    {
        Assert.Throws<ArgumentException>(() => new AlertPolicy { For = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new AlertPolicy { ErrorBudget = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new AlertPolicy { KeepFiringFor = -1 }.Validate());
    }
}
