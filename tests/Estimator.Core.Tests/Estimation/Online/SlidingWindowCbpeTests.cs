using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.Estimation.Online;
using Estimator.Metrics;

namespace Estimator.Tests.Estimation.Online;

public sealed class SlidingWindowCbpeTests
{
    private static readonly Metric[] AllMetrics =
    [
        Metric.RocAuc, Metric.AveragePrecision, Metric.Precision, Metric.Recall, Metric.F1, Metric.Accuracy,
        Metric.Specificity, Metric.ConfusionMatrix, Metric.BusinessValue,
    ];

    /// <summary>Scores on a 2-decimal grid (many ties, as the car-loan model's) or continuous; predictions at 0.5.</summary>
    private static (double[] Scores, double[] Predictions, double[] Targets) Generated(int n, int seed, bool ties, double shift = 0)
    {
        var random = new Random(seed);
        var s = new double[n];
        var yHat = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var raw = Math.Clamp(random.NextDouble() + shift, 0, 1);
            s[i] = ties ? Math.Round(raw, 2) : raw;
            yHat[i] = s[i] >= 0.5 ? 1 : 0;
            y[i] = random.NextDouble() < Math.Clamp(s[i] * 0.9 + 0.05, 0, 1) ? 1 : 0;
        }

        return (s, yHat, y);
    }

    private static FittedCbpe Fit(bool ties, CalibrationMode calibration)
    {
        var (s, yHat, y) = Generated(20_000, 7, ties);
        return Cbpe.Fit(new PredictionSet(s, yHat, y), new CbpeOptions
        {
            Metrics = AllMetrics,
            Chunking = Chunking.BySize(2_000),
            Calibration = calibration,
            BusinessValueMatrix = new BusinessValueMatrix(TrueNegative: 1, FalsePositive: -2, FalseNegative: -5, TruePositive: 3),
        });
    }

    /// <summary>The batch engine's estimate of the rows as one chunk: the independent oracle.</summary>
    private static IReadOnlyList<ChunkEstimate> Batch(FittedCbpe fitted, ReadOnlySpan<double> scores, ReadOnlySpan<double> predictions)
    {
        var chunk = new Chunk("[0:?]", 0, 0, scores.Length - 1, null, null);
        return fitted.EstimateChunk(new PredictionSet(scores.ToArray(), predictions.ToArray()), chunk);
    }

    /// <summary>The window's metrics computed the plain way: calibrate, sort by score, the public kernels.</summary>
    private static Dictionary<string, double> Plain(FittedCbpe fitted, ReadOnlySpan<double> scores, ReadOnlySpan<double> predictions)
    {
        var n = scores.Length;
        var p = new double[n];
        for (var i = 0; i < n; i++)
        {
            p[i] = fitted.Calibrator?.Calibrate(scores[i]) ?? scores[i];
        }

        var ranked = new double[n];
        var ranks = EstimatedMetrics.RankByScoreDescending(p, scores, new double[n], ranked);
        var cm = ExpectedConfusionMatrix.Compute(p, predictions);
        var result = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["roc_auc"] = EstimatedMetrics.RocAucFromRanked(ranked.AsSpan(0, ranks)),
            ["average_precision"] = EstimatedMetrics.AveragePrecisionFromRanked(ranked.AsSpan(0, ranks)),
            ["precision"] = EstimatedMetrics.Precision(cm),
            ["recall"] = EstimatedMetrics.Recall(cm),
            ["f1"] = EstimatedMetrics.F1(cm),
            ["accuracy"] = EstimatedMetrics.Accuracy(cm),
            ["specificity"] = EstimatedMetrics.Specificity(cm),
            ["business_value"] = EstimatedMetrics.BusinessValue(cm, fitted.Options.BusinessValueMatrix!, false),
        };
        string[] cells = ["true_positive", "true_negative", "false_positive", "false_negative"];
        for (var k = 0; k < 4; k++)
        {
            result[cells[k]] = EstimatedMetrics.ConfusionMatrixComponent(cm, k, ConfusionMatrixNormalization.None);
        }

        return result;
    }

    [Theory]
    [InlineData(true, CalibrationMode.Always)]
    [InlineData(false, CalibrationMode.Always)]
    [InlineData(true, CalibrationMode.Never)]
    [InlineData(false, CalibrationMode.Never)]
    public void Estimate_EqualsBatchEngineOnLastNRows_AfterManyBatchesAndEvictions(bool ties, CalibrationMode calibration)
    {
        var fitted = Fit(ties, calibration);
        const int capacity = 3_000;
        var (s, yHat, _) = Generated(23_417, 11, ties, shift: 0.05);
        var window = new SlidingWindowCbpe(fitted, capacity);
        var random = new Random(3);
        var checks = 0;
        for (var start = 0; start < s.Length;)
        {
            var count = Math.Min(s.Length - start, random.Next(1, 1_700));
            window.Add(s.AsSpan(start, count), yHat.AsSpan(start, count));
            start += count;
            if (random.Next(4) == 0 || start == s.Length)
            {
                var from = Math.Max(0, start - capacity);
                var expected = Batch(fitted, s.AsSpan(from, start - from), yHat.AsSpan(from, start - from));
                var actual = window.Estimate();
                Assert.Equal(expected.Count, actual.Count);
                for (var k = 0; k < expected.Count; k++)
                {
                    Assert.Equal(expected[k].Metric, actual[k].Name);
                    Assert.Equal(expected[k].Estimated, actual[k].Estimated, 1e-9);
                    Assert.Equal(expected[k].SamplingError, actual[k].SamplingError, 1e-12);
                    Assert.Equal(expected[k].LowerConfidenceBound, actual[k].LowerConfidenceBound, 1e-9);
                    Assert.Equal(expected[k].UpperConfidenceBound, actual[k].UpperConfidenceBound, 1e-9);
                    Assert.Equal(expected[k].LowerThreshold, actual[k].LowerThreshold);
                    Assert.Equal(expected[k].UpperThreshold, actual[k].UpperThreshold);
                    Assert.Equal(expected[k].Alert, actual[k].Alert);
                }

                checks++;
            }
        }

        Assert.True(checks > 3);
        Assert.Equal(s.Length, window.RowsSeen);
        Assert.Equal(capacity, window.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Estimate_MatchesPlainRecomputation_WithinOneEMinus12(bool ties)
    {
        var fitted = Fit(ties, CalibrationMode.Always);
        const int capacity = 1_000;
        var (s, yHat, _) = Generated(50_000, 5, ties);
        var window = new SlidingWindowCbpe(fitted, capacity);
        for (var start = 0; start < s.Length; start += 700)
        {
            var count = Math.Min(700, s.Length - start);
            window.Add(s.AsSpan(start, count), yHat.AsSpan(start, count));
            var end = start + count;
            var from = Math.Max(0, end - capacity);
            var plain = Plain(fitted, s.AsSpan(from, end - from), yHat.AsSpan(from, end - from));
            foreach (var metric in window.Estimate())
            {
                var expected = plain[metric.Name];
                Assert.True(Math.Abs(expected - metric.Estimated) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{metric.Name}: {expected} vs {metric.Estimated}");
                if (metric.Metric == Metric.RocAuc || metric.Metric == Metric.AveragePrecision)
                {
                    // The ranked metrics take the same steps as the plain kernels: the same doubles.
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(metric.Estimated));
                }
            }
        }
    }

    [Fact]
    public void Estimate_IsNaNWithoutRows_AndWindowFillsToCapacity()
    {
        var fitted = Fit(true, CalibrationMode.Always);
        var window = new SlidingWindowCbpe(fitted, 10);
        Assert.All(window.Estimate(), m => Assert.True(double.IsNaN(m.Estimated)));
        window.Add([0.1, 0.9, 0.5], [0, 1, 1]);
        Assert.False(window.IsFull);
        Assert.Equal(3, window.Count);
        window.Add(new double[20], new double[20]);
        Assert.True(window.IsFull);
        Assert.Equal(23, window.RowsSeen);
    }

    [Fact]
    public void Add_RejectsNonFiniteScoresAndNonBinaryPredictions_WithoutAddingAnyRow()
    {
        var window = new SlidingWindowCbpe(Fit(true, CalibrationMode.Always), 10);
        Assert.Throws<ArgumentException>(() => window.Add([0.2, double.NaN], [0, 1]));
        Assert.Throws<ArgumentException>(() => window.Add([0.2, 0.3], [0, 2]));
        Assert.Equal(0, window.RowsSeen);
    }
}
