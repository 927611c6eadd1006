using Estimator.Estimation.Shift;

namespace Estimator.Learning.Tests;

/// <summary>The automatic choice's rules on hand-built evidence: each branch, and the boundaries between them.</summary>
public sealed class ShiftChoiceTests
{
    private static readonly ShiftAwareCbpeOptions Options = new() { Features = ["x"] };

    // Defaults: domain AUC at the null, no prior move, no likelihood gain, no weighting move.
    private static ShiftEvidence Evidence(double auc = 0.51, double lr = 1, double covariate = 0, double prior = 0, double z = 0) =>
        new(0, ShiftEstimator.Auto, auc, 0.52, 0.3, 0.25, lr, covariate, prior, z, 40_000, "");

    [Fact]
    public void Choose_KeepsCbpe_WhenNeitherTheClassifierNorThePriorSeesAShift() =>
        Assert.Equal(ShiftEstimator.Cbpe, ShiftChoice.Choose(Evidence(z: 10), Options, 8).Estimator);

    [Fact]
    public void Choose_TakesPrior_WhenThePriorMovedAndTheClassifierGainsNoMoreThanItsAllowance()
    {
        // Allowance: 2 × 8 parameters + 5 % of 100 = 21 nats.
        Assert.Equal(ShiftEstimator.Prior, ShiftChoice.Choose(Evidence(auc: 0.6, lr: 200, covariate: 120.9, prior: 100), Options, 8).Estimator);
        Assert.NotEqual(ShiftEstimator.Prior, ShiftChoice.Choose(Evidence(auc: 0.6, lr: 200, covariate: 121.1, prior: 100), Options, 8).Estimator);
    }

    [Fact]
    public void Choose_TakesPrior_WhenOnlyTheLikelihoodRatioSeesTheShift() =>
        Assert.Equal(ShiftEstimator.Prior, ShiftChoice.Choose(Evidence(auc: 0.515, lr: 23, covariate: 13, prior: 11.5), Options, 8).Estimator);

    [Fact]
    public void Choose_TakesWeighted_WhenACovariateShiftMovesTheEstimatesBeyondTheirNoise()
    {
        Assert.Equal(ShiftEstimator.Weighted, ShiftChoice.Choose(Evidence(auc: 0.8, lr: 50, covariate: 500, prior: 25, z: 3.1), Options, 8).Estimator);
        Assert.Equal(ShiftEstimator.Cbpe, ShiftChoice.Choose(Evidence(auc: 0.8, lr: 50, covariate: 500, prior: 25, z: 2.9), Options, 8).Estimator);
    }
}
