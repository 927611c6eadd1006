using Estimator.Estimation;
using Estimator.Metrics;

namespace Estimator.Tests.Metrics;

public sealed class EstimatedMetricsTests
{
    // p = calibrated probabilities, ŷ = predictions. By hand: TP = .9+.8 = 1.7, FP = .1+.2 = .3,
    // FN = .3+.2 = .5, TN = .7+.8 = 1.5.
    private static readonly double[] P = [0.9, 0.8, 0.3, 0.2];
    private static readonly double[] YHat = [1, 1, 0, 0];

    [Fact]
    public void ExpectedConfusionMatrix_SumsProbabilityMass_ByPredictedClass()
    {
        var cm = ExpectedConfusionMatrix.Compute(P, YHat);

        Assert.Equal(1.7, cm.TruePositive, 12);
        Assert.Equal(0.3, cm.FalsePositive, 12);
        Assert.Equal(0.5, cm.FalseNegative, 12);
        Assert.Equal(1.5, cm.TrueNegative, 12);
        Assert.Equal(4, cm.Count);
    }

    [Fact]
    public void ExpectedConfusionMatrix_SkipsRows_WithMissingProbabilityOrPrediction()
    {
        var cm = ExpectedConfusionMatrix.Compute([0.9, double.NaN, 0.3, 0.2], [1, 1, double.NaN, 0]);

        Assert.Equal(2, cm.Count);
        Assert.Equal(0.9, cm.TruePositive, 12);
        Assert.Equal(0.8, cm.TrueNegative, 12);
    }

    [Fact]
    public void ThresholdMetrics_MatchHandComputation()
    {
        var cm = ExpectedConfusionMatrix.Compute(P, YHat);

        Assert.Equal(1.7 / 2.0, EstimatedMetrics.Precision(cm), 12);
        Assert.Equal(1.7 / 2.2, EstimatedMetrics.Recall(cm), 12);
        Assert.Equal(1.5 / 1.8, EstimatedMetrics.Specificity(cm), 12);
        Assert.Equal(1.7 / (1.7 + 0.4), EstimatedMetrics.F1(cm), 12);
        Assert.Equal(3.2 / 4, EstimatedMetrics.Accuracy(cm), 12);
    }

    [Fact]
    public void Precision_IsZero_WhenNothingIsPredictedPositive()
    {
        var cm = ExpectedConfusionMatrix.Compute([0.4, 0.3], [0, 0]);

        Assert.Equal(0, EstimatedMetrics.Precision(cm));
        Assert.Equal(0, EstimatedMetrics.Recall(cm), 12);
    }

    [Theory]
    [InlineData(ConfusionMatrixNormalization.None, 1.7, 1.5, 0.3, 0.5)]
    [InlineData(ConfusionMatrixNormalization.All, 1.7 / 4, 1.5 / 4, 0.3 / 4, 0.5 / 4)]
    [InlineData(ConfusionMatrixNormalization.True, 1.7 / 2.2, 1.5 / 1.8, 0.3 / 1.8, 0.5 / 2.2)]
    [InlineData(ConfusionMatrixNormalization.Pred, 1.7 / 2.0, 1.5 / 2.0, 0.3 / 2.0, 0.5 / 2.0)]
    public void ConfusionMatrixComponent_Normalizes_AsNannyMl(ConfusionMatrixNormalization normalization, double tp, double tn, double fp, double fn)
    {
        var cm = ExpectedConfusionMatrix.Compute(P, YHat);

        Assert.Equal(tp, EstimatedMetrics.ConfusionMatrixComponent(cm, 0, normalization), 12);
        Assert.Equal(tn, EstimatedMetrics.ConfusionMatrixComponent(cm, 1, normalization), 12);
        Assert.Equal(fp, EstimatedMetrics.ConfusionMatrixComponent(cm, 2, normalization), 12);
        Assert.Equal(fn, EstimatedMetrics.ConfusionMatrixComponent(cm, 3, normalization), 12);
    }

    [Fact]
    public void BusinessValue_WeighsExpectedCounts_AndNormalizesPerPredictedColumn()
    {
        var cm = ExpectedConfusionMatrix.Compute(P, YHat);
        var m = new BusinessValueMatrix(TrueNegative: 2, FalsePositive: -5, FalseNegative: -10, TruePositive: 10);

        // 2·1.5 − 5·0.3 − 10·0.5 + 10·1.7 = 13.5; per prediction: (3 − 5)/2 + (−1.5 + 17)/2 = 6.75.
        Assert.Equal(13.5, EstimatedMetrics.BusinessValue(cm, m, perPrediction: false), 12);
        Assert.Equal(6.75, EstimatedMetrics.BusinessValue(cm, m, perPrediction: true), 12);
    }

    [Fact]
    public void RocAuc_EqualsPairwiseExpectation_OnDistinctScores()
    {
        var random = new Random(7);
        var p = Enumerable.Range(0, 200).Select(_ => Math.Round(random.NextDouble(), 2)).Distinct().ToArray();

        var actual = RocAuc(p, p);

        Assert.Equal(PairwiseAuc(p), actual, 6);
    }

    [Fact]
    public void RocAuc_IgnoresTieOrder_WhenTiedScoresShareProbability()
    {
        double[] s = [0.9, 0.5, 0.5, 0.5, 0.1];
        double[] p = [0.8, 0.4, 0.4, 0.4, 0.2];

        var forward = RocAuc(p, s);
        var reversed = RocAuc(p.Reverse().ToArray(), s.Reverse().ToArray());

        Assert.Equal(forward, reversed, 12);
    }

    [Fact]
    public void RocAuc_IsNaN_WhenNoExpectedNegative()
    {
        Assert.True(double.IsNaN(RocAuc([1, 1], [0.5, 0.6])));
    }

    [Fact]
    public void AveragePrecision_MatchesPerRowDefinition()
    {
        double[] p = [0.9, 0.6, 0.5, 0.1];

        // Rows ranked by score: T_k = 0.9, 1.5, 2.0, 2.1; AP = Σ p_k · T_k / (k · T_n).
        var expected = ((0.9 * 0.9 / 1) + (0.6 * 1.5 / 2) + (0.5 * 2.0 / 3) + (0.1 * 2.1 / 4)) / 2.1;

        Assert.Equal(expected, AveragePrecision(p, p), 9);
    }

    [Fact]
    public void RankByScoreDescending_DropsRowsMissingScoreOrProbability()
    {
        double[] p = [0.2, double.NaN, 0.9, 0.5];
        double[] s = [0.1, 0.3, double.NaN, 0.7];
        var keys = new double[4];
        var ranked = new double[4];

        var n = EstimatedMetrics.RankByScoreDescending(p, s, keys, ranked);

        Assert.Equal(2, n);
        Assert.Equal([0.5, 0.2], ranked[..2]);
    }

    private static double RocAuc(double[] p, double[] s)
    {
        var ranked = new double[p.Length];
        var n = EstimatedMetrics.RankByScoreDescending(p, s, new double[p.Length], ranked);
        return EstimatedMetrics.RocAucFromRanked(ranked.AsSpan(0, n));
    }

    private static double AveragePrecision(double[] p, double[] s)
    {
        var ranked = new double[p.Length];
        var n = EstimatedMetrics.RankByScoreDescending(p, s, new double[p.Length], ranked);
        return EstimatedMetrics.AveragePrecisionFromRanked(ranked.AsSpan(0, n));
    }

    // Independent oracle: the probability that a random expected positive outranks a random expected negative,
    // Σ_{i ranked above j} p_i (1 − p_j) + ½ Σ_i p_i (1 − p_i), over (Σ p)(Σ 1 − p) — the trapezoid's closed form.
    private static double PairwiseAuc(double[] p)
    {
        double numerator = 0, positives = 0, negatives = 0;
        for (var i = 0; i < p.Length; i++)
        {
            positives += p[i];
            negatives += 1 - p[i];
            numerator += 0.5 * p[i] * (1 - p[i]);
            for (var j = 0; j < p.Length; j++)
            {
                if (p[i] > p[j])
                {
                    numerator += p[i] * (1 - p[j]);
                }
            }
        }

        return numerator / (positives * negatives);
    }
}
