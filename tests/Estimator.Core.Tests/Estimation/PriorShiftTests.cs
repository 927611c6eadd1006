using Estimator.Calibration;
using Estimator.Estimation.Shift;

namespace Estimator.Tests.Estimation;

/// <summary>
/// Prior-shift EM on a two-kind world worked by hand: rows of kind A have likelihood ratio P(x|1)/P(x|0) = 3
/// (P(A|1) = 0.75, P(A|0) = 0.25), rows of kind B the inverse. Under the reference prior 0.25 their posteriors are 0.5
/// and 0.1. A chunk with exactly 55 % A rows is what the prior 0.6 gives (0.6·0.75 + 0.4·0.25 = 0.55), and with one
/// free frequency the mixture likelihood is maximal exactly there.
/// </summary>
public sealed class PriorShiftTests
{
    private static double[] Chunk(int a, int b) => [.. Enumerable.Repeat(0.5, a), .. Enumerable.Repeat(0.1, b)];

    [Fact]
    public void Estimate_FindsThePriorThatGeneratedTheMix_WhenTheFrequenciesAreExact()
    {
        var fit = PriorShift.Estimate(Chunk(55, 45), 0.25);

        Assert.Equal(0.6, fit.Prior, 8);
        Assert.Equal(100, fit.Rows);

        // 2 Σ log(P_π(x)/P_π₀(x)) with P_π₀(A) = 0.375, P_π(A) = 0.55.
        var expected = 2 * ((55 * Math.Log(0.55 / 0.375)) + (45 * Math.Log(0.45 / 0.625)));
        Assert.Equal(expected, fit.LikelihoodRatio, 6);
    }

    [Fact]
    public void Estimate_StaysAtTheReferencePrior_WhenTheMixIsTheReferences()
    {
        // Under π₀ = 0.25, P(A) = 0.375: 375 A rows of 1,000.
        var fit = PriorShift.Estimate(Chunk(375, 625), 0.25);

        Assert.Equal(0.25, fit.Prior, 8);
        Assert.Equal(0, fit.LikelihoodRatio, 8);
    }

    [Fact]
    public void Estimate_StandardErrorMatchesTheBinomialInformation_OfTheTwoKindWorld()
    {
        // Observed information of π at the MLE of a two-cell multinomial: n·(P(A|1) − P(A|0))² / (P(A)·P(B)).
        var fit = PriorShift.Estimate(Chunk(550, 450), 0.25);
        var information = 1000 * 0.5 * 0.5 / (0.55 * 0.45);

        Assert.Equal(1 / Math.Sqrt(information), fit.StandardError, 8);
    }

    [Fact]
    public void Adjust_GivesTheBayesPosteriorUnderTheNewPrior()
    {
        var adjusted = new double[2];
        PriorShift.Adjust([0.5, 0.1], 0.25, 0.6, adjusted);

        // P(1|A) = 0.6·0.75 / 0.55; P(1|B) = 0.6·0.25 / 0.45.
        Assert.Equal(0.6 * 0.75 / 0.55, adjusted[0], 12);
        Assert.Equal(0.6 * 0.25 / 0.45, adjusted[1], 12);
    }

    [Fact]
    public void FitWeighted_EqualsTheUnweightedFitOnRepeatedRows_WhenWeightsAreCounts()
    {
        double[] scores = [0.1, 0.2, 0.2, 0.35, 0.5, 0.6, 0.8, 0.9];
        double[] targets = [0, 1, 0, 0, 1, 0, 1, 1];
        double[] weights = [2, 1, 3, 0, 1, 4, 2, 1];
        var repeatedScores = new List<double>();
        var repeatedTargets = new List<double>();
        for (var i = 0; i < scores.Length; i++)
        {
            for (var k = 0; k < weights[i]; k++)
            {
                repeatedScores.Add(scores[i]);
                repeatedTargets.Add(targets[i]);
            }
        }

        var weighted = IsotonicCalibrator.FitWeighted(scores, targets, weights);
        var repeated = IsotonicCalibrator.Fit(repeatedScores.ToArray(), repeatedTargets.ToArray());

        foreach (var s in new[] { 0.0, 0.1, 0.15, 0.2, 0.3, 0.5, 0.55, 0.7, 0.85, 0.9, 1.0 })
        {
            Assert.Equal(repeated.Calibrate(s), weighted.Calibrate(s), 12);
        }
    }

    [Fact]
    public void EffectiveSampleSize_IsKishs_AndNormalizeCapsAtTheClip()
    {
        Assert.Equal(36.0 / 14.0, ImportanceWeights.EffectiveSampleSize([1, 2, 3]), 12);

        double[] weights = [1, 1, 1, 97];
        ImportanceWeights.Normalize(weights, 2);
        Assert.Equal(4, weights.Sum(), 6);
        Assert.Equal(2, weights[3], 9);
        Assert.Equal(2.0 / 3, weights[0], 6);
        Assert.True(weights.Max() <= 2 + 1e-9);
    }
}
