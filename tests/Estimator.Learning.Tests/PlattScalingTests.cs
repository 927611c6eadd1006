namespace Estimator.Learning.Tests;

/// <summary>The Platt scaling behind the boosted domain classifier's log-odds.</summary>
public sealed class PlattScalingTests
{
    [Fact]
    public void Platt_RecoversTheLogisticCurve_ThatDrewTheLabels()
    {
        var random = new Random(3);
        var scores = new double[40_000];
        var labels = new bool[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = (random.NextDouble() * 6) - 3;
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-((2 * scores[i]) - 1)));
        }

        var (slope, intercept) = DensityRatioClassifier.Platt(scores, labels);

        Assert.InRange(slope, 1.9, 2.1);
        Assert.InRange(intercept, -1.1, -0.9);
    }

    [Fact]
    public void Platt_KeepsASlopeNearZero_WhenScoresCarryNoSignal_AtAnyScale()
    {
        var random = new Random(4);
        var scores = new double[20_000];
        var labels = new bool[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = 1e4 * random.NextDouble();
            labels[i] = random.NextDouble() < 0.1;
        }

        var (slope, intercept) = DensityRatioClassifier.Platt(scores, labels);

        // No signal: the flat model, log odds of 0.1 everywhere (slope × score range well below 0.2).
        Assert.InRange(slope * 1e4, -0.2, 0.2);
        Assert.InRange(intercept + (slope * 5e3), Math.Log(0.1 / 0.9) - 0.1, Math.Log(0.1 / 0.9) + 0.1);
    }
}
