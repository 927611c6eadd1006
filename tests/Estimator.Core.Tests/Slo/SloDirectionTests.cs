using Estimator.Slo;

namespace Estimator.Tests.Slo;

/// <summary>
/// Ceilings (<see cref="SloDirection.Above"/>) mirror floors. Expected tiers are worked out by hand from the rule: P1 when
/// the band's lower bound is above the objective, P2 when only the estimate is, none when the estimate meets it.
/// </summary>
public sealed class SloDirectionTests
{
    private static ChunkPoint P(int i, double est, double lower, double upper, double? realized = null) =>
        new($"c{i}", i, est, lower, upper, false, realized);

    [Fact]
    public void FlagObjective_Ceiling_PagesOnlyWhenWholeBandIsAbove()
    {
        // Objective 2.5 (an MAE ceiling):
        //   c0 2.3 [2.1, 2.5]: estimate under it                     → none
        //   c1 2.6 [2.4, 2.8]: estimate over, lower bound under     → P2
        //   c2 2.8 [2.6, 3.0]: lower bound over                      → P1
        //   c3 2.5 [2.3, 2.7]: estimate equal meets it               → none
        //   c4 2.7 [2.5, 2.9]: lower bound equal: band reaches it    → P2
        //   c5 NaN                                                   → none
        ChunkPoint[] points = [P(0, 2.3, 2.1, 2.5), P(1, 2.6, 2.4, 2.8), P(2, 2.8, 2.6, 3.0), P(3, 2.5, 2.3, 2.7), P(4, 2.7, 2.5, 2.9), P(5, double.NaN, double.NaN, double.NaN)];

        var flags = SloEvaluator.FlagObjective(points, 2.5, SloDirection.Above);

        Assert.Equal([Severity.None, Severity.P2, Severity.P1, Severity.None, Severity.P2, Severity.None], flags.Select(f => f.Severity));
        Assert.Equal("whole band [2.6, 3] above objective 2.5", flags[2].Reason);
        Assert.Equal("estimate 2.6 above objective 2.5, band reaches it", flags[1].Reason);
        Assert.Equal("estimate 2.3 meets objective 2.5", flags[0].Reason);
    }

    [Fact]
    public void FlagObjective_Floor_IsUnchangedByDefault()
    {
        // The same points against a floor of 2.5: c0 whole band [2.1, 2.5] — upper equal, band reaches it, estimate
        // under → P2; c1, c2, c3, c4 estimate at or over → none; NaN → none.
        ChunkPoint[] points = [P(0, 2.3, 2.1, 2.5), P(1, 2.6, 2.4, 2.8), P(2, 2.8, 2.6, 3.0), P(3, 2.5, 2.3, 2.7), P(4, 2.7, 2.5, 2.9), P(5, 2.0, 1.8, 2.2)];

        var byDefault = SloEvaluator.FlagObjective(points, 2.5);
        var below = SloEvaluator.FlagObjective(points, 2.5, SloDirection.Below);

        Assert.Equal([Severity.P2, Severity.None, Severity.None, Severity.None, Severity.None, Severity.P1], byDefault.Select(f => f.Severity));
        Assert.Equal(byDefault.Select(f => (f.Severity, f.Reason)), below.Select(f => (f.Severity, f.Reason)));
        Assert.Equal("whole band [1.8, 2.2] below objective 2.5", byDefault[5].Reason);
    }

    [Fact]
    public void FlagObjective_Ceiling_IsTheFloorOfTheNegatedValues()
    {
        // Mirror: a ceiling c on x flags exactly as a floor −c on −x, whose band is [−upper, −lower].
        var random = new Random(7);
        for (var k = 0; k < 500; k++)
        {
            var est = Math.Round(random.NextDouble() * 4, 1);
            var half = Math.Round(random.NextDouble(), 1);
            var objective = Math.Round(random.NextDouble() * 4, 1);
            var ceiling = SloEvaluator.FlagObjective([P(0, est, est - half, est + half)], objective, SloDirection.Above)[0];
            var floor = SloEvaluator.FlagObjective([P(0, -est, -(est + half), -(est - half))], -objective, SloDirection.Below)[0];
            Assert.Equal(floor.Severity, ceiling.Severity);
        }
    }

    [Fact]
    public void Budget_Ceiling_CountsEstimatesAboveTheObjective()
    {
        // Window 4 of estimates 1, 3, 2, 3, 2.5, 1: the last four are 2, 3, 2.5, 1 — one (3) above 2.5 (2.5 meets
        // it). Share 1/4, budget 0.5 → burn 0.5, remaining 0.5.
        double[] estimates = [1, 3, 2, 3, 2.5, 1];
        var policy = new AlertPolicy { BudgetWindow = 4, ErrorBudget = 0.5 };

        var ceiling = SloEvaluator.Budget(estimates, 2.5, policy, SloDirection.Above);
        var floor = SloEvaluator.Budget(estimates, 2.5, policy);

        Assert.Equal((4, 1), (ceiling.WindowChunks, ceiling.BadChunks));
        Assert.Equal(0.5, ceiling.BurnRate, 12);
        Assert.Equal(0.5, ceiling.BudgetRemaining, 12);

        // Against a floor the same window misses with 2 and 1: share 1/2, burn 1.
        Assert.Equal(2, floor.BadChunks);
        Assert.Equal(1.0, floor.BurnRate, 12);
    }

    [Theory]
    [InlineData(null, Verdict.Pending)]
    [InlineData(2.9, Verdict.Confirmed)]
    [InlineData(2.5, Verdict.Retracted)]
    [InlineData(1.7, Verdict.Retracted)]
    public void Judge_Ceiling_ConfirmsWhenRealizedIsAbove(double? realized, Verdict verdict)
    {
        var flag = new ChunkFlag(P(0, 2.8, 2.6, 3.0, realized), Severity.P1, "");

        Assert.Equal(verdict, SloEvaluator.Judge(flag, 2.5, SloDirection.Above));
    }

    [Theory]
    [InlineData("mae", SloDirection.Above)]
    [InlineData("mape", SloDirection.Above)]
    [InlineData("mse", SloDirection.Above)]
    [InlineData("msle", SloDirection.Above)]
    [InlineData("rmse", SloDirection.Above)]
    [InlineData("rmsle", SloDirection.Above)]
    [InlineData("false_positive", SloDirection.Above)]
    [InlineData("false_negative", SloDirection.Above)]
    [InlineData("roc_auc", SloDirection.Below)]
    [InlineData("f1", SloDirection.Below)]
    [InlineData("precision", SloDirection.Below)]
    [InlineData("recall", SloDirection.Below)]
    [InlineData("specificity", SloDirection.Below)]
    [InlineData("accuracy", SloDirection.Below)]
    [InlineData("average_precision", SloDirection.Below)]
    [InlineData("business_value", SloDirection.Below)]
    [InlineData("true_positive", SloDirection.Below)]
    [InlineData("true_negative", SloDirection.Below)]
    public void For_InfersCeilingForLosses_FloorOtherwise(string metric, SloDirection expected) =>
        Assert.Equal(expected, SloDirections.For(metric));

    [Theory]
    [InlineData("below", SloDirection.Below)]
    [InlineData(" ABOVE ", SloDirection.Above)]
    public void TryParse_ReadsNames(string text, SloDirection expected)
    {
        Assert.True(SloDirections.TryParse(text, out var direction));
        Assert.Equal(expected, direction);
        Assert.False(SloDirections.TryParse("ceiling", out _));
    }
}
