using Estimator.Estimation;
using Estimator.Metrics;

namespace Estimator.Tests.Metrics;

public sealed class SamplingErrorTests
{
    private static double PopulationStd(params double[] v)
    {
        var mean = v.Average();
        return Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average());
    }

    [Fact]
    public void ForCounts_Precision_IsStdOfTruePositiveIndicator_OverPredictedPositives()
    {
        // 3 TP, 1 FP, 2 FN, 4 TN: precision's vector is [1,1,1,0]; f = 4/10.
        var counts = new LabelCounts(3, 1, 2, 4);

        var model = SamplingError.ForCounts(Metric.Precision, counts);

        Assert.Equal(PopulationStd(1, 1, 1, 0), model.Sigma, 12);
        Assert.Equal(0.4, model.Fraction, 12);
        Assert.Equal(PopulationStd(1, 1, 1, 0) / Math.Sqrt(100 * 0.4), model.For(100), 12);
    }

    [Fact]
    public void ForCounts_F1_ScalesIndicatorByCorrectingFactor()
    {
        var counts = new LabelCounts(3, 1, 2, 4);
        // v = [1,1,1,0,0,0], c = 6 / (3 + 1.5) = 4/3.
        var c = 6 / 4.5;

        var model = SamplingError.ForCounts(Metric.F1, counts);

        Assert.Equal(PopulationStd(c, c, c, 0, 0, 0), model.Sigma, 12);
        Assert.Equal(0.6, model.Fraction, 12);
    }

    [Fact]
    public void ForCounts_AccuracyAndSpecificity_MatchIndicatorStds()
    {
        var counts = new LabelCounts(3, 1, 2, 4);

        Assert.Equal(PopulationStd(1, 1, 1, 1, 1, 1, 1, 0, 0, 0), SamplingError.ForCounts(Metric.Accuracy, counts).Sigma, 12);
        Assert.Equal(PopulationStd(1, 1, 1, 1, 0), SamplingError.ForCounts(Metric.Specificity, counts).Sigma, 12);
        Assert.Equal(0.5, SamplingError.ForCounts(Metric.Specificity, counts).Fraction, 12);
        Assert.Equal(0.5, SamplingError.ForCounts(Metric.Recall, counts).Fraction, 12);
    }

    [Fact]
    public void ForRocAuc_FollowsNannyMlRankConstruction()
    {
        // Sorted scores put positives at ranks 1, 3, 4; u = (rank − i)/n_neg = 1/3, 2/3, 2/3.
        double[] y = [0, 1, 0, 1, 1, 0];
        double[] s = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];

        var model = SamplingError.ForRocAuc(y, s);

        Assert.Equal(PopulationStd(1.0 / 3, 2.0 / 3, 2.0 / 3), model.Sigma, 12);
        Assert.Equal(0.5, model.Fraction, 12);
    }

    [Fact]
    public void ForRocAuc_SwapsClasses_WhenPositivesAreTheMajority()
    {
        // Mean(y) = 2/3 > 0.5: y ← 1 − y, s ← 1 − s. Swapped: y' = [1,0,0], s' = [0.9,0.5,0.2]; sorted ascending
        // y' = [0,0,1]: the positive sits at rank 2 → u = (2 − 0)/2 = 1, a single value, σ = 0, f = 1/3.
        double[] y = [0, 1, 1];
        double[] s = [0.1, 0.5, 0.8];

        var model = SamplingError.ForRocAuc(y, s);

        Assert.Equal(0, model.Sigma, 12);
        Assert.Equal(1.0 / 3, model.Fraction, 12);
    }

    [Fact]
    public void ForConfusionMatrix_GrowsWithChunkSize_WhenUnnormalized()
    {
        var counts = new LabelCounts(3, 1, 2, 4);

        var none = SamplingError.ForConfusionMatrix(counts, 0, ConfusionMatrixNormalization.None);
        var all = SamplingError.ForConfusionMatrix(counts, 0, ConfusionMatrixNormalization.All);
        var byTrue = SamplingError.ForConfusionMatrix(counts, 0, ConfusionMatrixNormalization.True);

        var sigma = PopulationStd(1, 1, 1, 0, 0, 0, 0, 0, 0, 0);
        Assert.Equal(sigma * Math.Sqrt(50), none.For(50), 12);
        Assert.Equal(sigma / Math.Sqrt(50), all.For(50), 12);
        Assert.Equal(PopulationStd(1, 1, 1, 0, 0), byTrue.Sigma, 12);
        Assert.Equal(0.5, byTrue.Fraction, 12);
    }

    [Fact]
    public void ForBusinessValue_IsStdOfPerRowValue()
    {
        var counts = new LabelCounts(1, 1, 1, 1);
        var m = new BusinessValueMatrix(2, -5, -10, 10);

        var total = SamplingError.ForBusinessValue(counts, m, perPrediction: false);
        var perPrediction = SamplingError.ForBusinessValue(counts, m, perPrediction: true);

        Assert.Equal(PopulationStd(10, -5, -10, 2), total.Sigma, 12);
        Assert.Equal(total.Sigma * Math.Sqrt(9), total.For(9), 12);
        Assert.Equal(total.Sigma / 3, perPrediction.For(9), 12);
    }

    [Fact]
    public void ForAveragePrecision_IsReproducible_AndShrinksWithChunkSize()
    {
        var random = new Random(11);
        var y = Enumerable.Range(0, 2000).Select(_ => (double)random.Next(2)).ToArray();
        var s = y.Select(v => Math.Clamp((0.3 * v) + (0.7 * random.NextDouble()), 0, 1)).ToArray();

        var a = SamplingError.ForAveragePrecision(y, s);
        var b = SamplingError.ForAveragePrecision(y, s);

        Assert.Equal(a, b);
        Assert.True(a.Sigma > 0);
        Assert.Equal(a.For(100) / 2, a.For(400), 12);
    }

    [Fact]
    public void For_IsNaN_ForEmptyChunk()
    {
        Assert.True(double.IsNaN(new SamplingErrorModel(0.3, 0.5).For(0)));
    }
}
