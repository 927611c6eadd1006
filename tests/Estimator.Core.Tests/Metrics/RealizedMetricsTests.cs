using Estimator.Estimation;
using Estimator.Metrics;

namespace Estimator.Tests.Metrics;

public sealed class RealizedMetricsTests
{
    // scikit-learn's documented example: roc_auc_score = 0.75, average_precision_score = 0.8333...
    private static readonly double[] Y = [0, 0, 1, 1];
    private static readonly double[] S = [0.1, 0.4, 0.35, 0.8];

    [Fact]
    public void RocAuc_MatchesScikitLearnExample()
    {
        Assert.Equal(0.75, RealizedMetrics.RocAuc(Y, S), 12);
    }

    [Fact]
    public void AveragePrecision_MatchesScikitLearnExample()
    {
        Assert.Equal(0.5 * (1.0 + (2.0 / 3.0)), RealizedMetrics.AveragePrecision(Y, S), 12);
    }

    [Fact]
    public void RocAuc_CountsTiedPairAsHalf()
    {
        Assert.Equal(0.5, RealizedMetrics.RocAuc([0, 1], [0.5, 0.5]), 12);
    }

    [Fact]
    public void RocAuc_IsNaN_WithOneClass()
    {
        Assert.True(double.IsNaN(RealizedMetrics.RocAuc([1, 1, 1], [0.1, 0.5, 0.9])));
    }

    [Fact]
    public void RocAuc_EqualsBruteForcePairCount_OnRandomTiedData()
    {
        var random = new Random(3);
        var y = Enumerable.Range(0, 300).Select(_ => (double)random.Next(2)).ToArray();
        var s = Enumerable.Range(0, 300).Select(_ => Math.Round(random.NextDouble(), 1)).ToArray();
        double wins = 0, pairs = 0;
        for (var i = 0; i < y.Length; i++)
        {
            for (var j = 0; j < y.Length; j++)
            {
                if (y[i] == 1 && y[j] == 0)
                {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }

        Assert.Equal(wins / pairs, RealizedMetrics.RocAuc(y, s), 12);
    }

    [Fact]
    public void FromCounts_MatchesDefinitions()
    {
        var counts = LabelCounts.Compute([1, 1, 0, 0, 1, 0], [1, 0, 0, 1, 1, 0]);

        Assert.Equal(new LabelCounts(2, 1, 1, 2), counts);
        Assert.Equal(2.0 / 3, RealizedMetrics.FromCounts(Metric.Precision, counts), 12);
        Assert.Equal(2.0 / 3, RealizedMetrics.FromCounts(Metric.Recall, counts), 12);
        Assert.Equal(2.0 / 3, RealizedMetrics.FromCounts(Metric.F1, counts), 12);
        Assert.Equal(2.0 / 3, RealizedMetrics.FromCounts(Metric.Specificity, counts), 12);
        Assert.Equal(4.0 / 6, RealizedMetrics.FromCounts(Metric.Accuracy, counts), 12);
    }

    [Fact]
    public void FromCounts_PrecisionIsNaN_ButSpecificityDefined_WhenOneClass()
    {
        var counts = LabelCounts.Compute([0, 0, 0], [0, 0, 0]);

        Assert.True(double.IsNaN(RealizedMetrics.FromCounts(Metric.Precision, counts)));
        Assert.True(double.IsNaN(RealizedMetrics.FromCounts(Metric.F1, counts)));
        Assert.Equal(1.0, RealizedMetrics.FromCounts(Metric.Specificity, counts));
        Assert.Equal(1.0, RealizedMetrics.FromCounts(Metric.Accuracy, counts));
    }

    [Fact]
    public void ConfusionMatrixComponent_IsZero_WhenNormalizedGroupIsEmpty()
    {
        var counts = LabelCounts.Compute([0, 0], [0, 1]);

        Assert.Equal(0, RealizedMetrics.ConfusionMatrixComponent(counts, 0, ConfusionMatrixNormalization.True));
        Assert.Equal(0.5, RealizedMetrics.ConfusionMatrixComponent(counts, 2, ConfusionMatrixNormalization.True));
    }

    [Theory]
    [InlineData(512, 2)]
    [InlineData(10_000, 2)]
    [InlineData(10_000, 15)]
    [InlineData(3_000, 0)]
    public void RocAuc_EqualsCoSortedPairsBitForBit_WhenLongEnoughForRadix(int n, int decimals)
    {
        var random = new Random(n + decimals);
        var scores = Enumerable.Range(0, n).Select(_ => Math.Round((random.NextDouble() * 2) - 1, decimals)).ToArray();
        scores[0] = -0.0;
        scores[1] = 0.0;
        var targets = scores.Select(s => random.NextDouble() < 0.3 + (0.3 * s) ? 1.0 : 0.0).ToArray();

        var expected = Estimator.Tests.Calibration.ScoreRunsTests.ReferenceRocAuc(targets, scores);

        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(RealizedMetrics.RocAuc(targets, scores)));
    }

    [Fact]
    public void LabelCounts_EqualsCellByCellCount_WhenLabelsShuffledWithMissing()
    {
        var random = new Random(5);
        double Label() => random.Next(10) == 0 ? double.NaN : random.Next(2);
        var targets = Enumerable.Range(0, 5_000).Select(_ => Label()).ToArray();
        var predictions = Enumerable.Range(0, 5_000).Select(_ => Label()).ToArray();

        var counts = LabelCounts.Compute(targets, predictions);

        var rows = Enumerable.Range(0, targets.Length).Where(i => !double.IsNaN(targets[i]) && !double.IsNaN(predictions[i])).ToArray();
        Assert.Equal(rows.Count(i => targets[i] == 1 && predictions[i] == 1), counts.TruePositive);
        Assert.Equal(rows.Count(i => targets[i] == 0 && predictions[i] == 1), counts.FalsePositive);
        Assert.Equal(rows.Count(i => targets[i] == 1 && predictions[i] == 0), counts.FalseNegative);
        Assert.Equal(rows.Count(i => targets[i] == 0 && predictions[i] == 0), counts.TrueNegative);
    }
}
