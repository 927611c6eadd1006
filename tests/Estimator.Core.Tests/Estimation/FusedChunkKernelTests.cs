using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.Metrics;

namespace Estimator.Tests.Estimation;

/// <summary>The fused chunk kernel against the reference kernels it replaces, bit for bit.</summary>
public sealed class FusedChunkKernelTests
{
    private static readonly IsotonicCalibrator Calibrator = FitCalibrator();

    private static readonly (Metric Metric, int Component, string Name)[] Components =
        [.. ChunkComputation.Components([Metric.RocAuc, Metric.AveragePrecision, Metric.Precision, Metric.Recall, Metric.F1, Metric.Accuracy, Metric.Specificity, Metric.ConfusionMatrix])];

    private static long Bits(double v) => BitConverter.DoubleToInt64Bits(v);

    /// <summary>Zeros as +0: the fused ranking may place a −0 elsewhere among the +0s (no sum can tell).</summary>
    private static long ZeroBlindBits(double v) => v == 0 ? 0 : Bits(v);

    private static IsotonicCalibrator FitCalibrator()
    {
        var random = new Random(11);
        var s = new double[20_000];
        var y = new double[s.Length];
        for (var i = 0; i < s.Length; i++)
        {
            s[i] = Math.Round(random.NextDouble(), 2);
            y[i] = random.NextDouble() < 0.1 + (0.8 * s[i]) ? 1 : 0;
        }

        return IsotonicCalibrator.Fit(s, y);
    }

    /// <summary>Scores with ties (two decimals) or not, NaN scores and predictions, ±0, out-of-range scores.</summary>
    private static (double[] Scores, double[] Predictions) Generate(int n, int seed, int decimals, string shape)
    {
        var random = new Random(seed);
        var s = new double[n];
        var yHat = new double[n];
        for (var i = 0; i < n; i++)
        {
            var v = random.NextDouble();
            s[i] = shape switch
            {
                "equal" => 0.37,
                "zeros" => random.Next(2) == 0 ? 0.0 : -0.0,
                "nan" => double.NaN,
                "distinct256" => random.Next(256) / 997.0,
                "distinct257" => random.Next(257) / 997.0,
                _ => random.Next(41) switch
                {
                    0 => double.NaN,
                    1 => -0.0,
                    2 => 0.0,
                    3 => 1.5,
                    4 => -0.25,
                    _ => decimals > 15 ? v : Math.Round(v, decimals),
                },
            };
            yHat[i] = random.Next(37) == 0 ? double.NaN : random.NextDouble() < 0.6 ? 1 : 0;
        }

        return (s, yHat);
    }

    public static TheoryData<int, int, bool, string> Chunks()
    {
        var data = new TheoryData<int, int, bool, string>();
        foreach (var n in new[] { 1, 2, 3, 255, 256, 257, 1_000, 10_000 })
        {
            foreach (var calibrated in new[] { false, true })
            {
                data.Add(n, 2, calibrated, "random");
                data.Add(n, 17, calibrated, "random");
            }
        }

        // Counted distinct probabilities up to 256, radix-sorted from 257.
        foreach (var shape in new[] { "equal", "zeros", "nan", "distinct256", "distinct257" })
        {
            foreach (var n in new[] { 1, 257, 5_000 })
            {
                data.Add(n, 2, false, shape);
                data.Add(n, 2, true, shape);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Chunks))]
    public void ComputeChunk_EqualsReferenceKernels_WhenChunkVaries(int n, int decimals, bool calibrated, string shape)
    {
        var (scores, predictions) = Generate(n, n + decimals, decimals, shape);
        var calibrator = calibrated ? Calibrator : null;

        var expected = ReferenceEstimates(scores, predictions, calibrator);
        var actual = Compute(scores, predictions, calibrator);

        Assert.Equal(expected.Select(Bits), actual.Select(Bits));
    }

    [Theory]
    [MemberData(nameof(Chunks))]
    public void ComputeChunk_EqualsReferenceKernels_WhenOnlyLabelMetrics(int n, int decimals, bool calibrated, string shape)
    {
        var (scores, predictions) = Generate(n, (3 * n) + decimals, decimals, shape);
        var calibrator = calibrated ? Calibrator : null;
        var probabilities = scores.Select(s => calibrator?.Calibrate(s) ?? s).ToArray();
        var cm = ExpectedConfusionMatrix.Compute(probabilities, predictions);
        var data = PeriodData.FromBuffers(scores, predictions, null, calibrator);
        var chunk = new Chunk("[0]", 0, 0, n - 1, null, null);
        using var scratch = new ChunkScratch(n);

        var (values, _) = ChunkComputation.ComputeChunk(data, chunk, [.. ChunkComputation.Components([Metric.Precision, Metric.Recall])], new CbpeOptions(), withRealized: false, scratch);

        Assert.Equal([Bits(EstimatedMetrics.Precision(cm)), Bits(EstimatedMetrics.Recall(cm))], values.Select(v => Bits(v.Estimated)));
        Assert.All(values, v => Assert.Equal(cm.Count, v.Rows));
    }

    [Theory]
    [MemberData(nameof(Chunks))]
    public void SortDescendingWithSums_EqualsRankingByScore_WhenChunkVaries(int n, int decimals, bool calibrated, string shape)
    {
        var (scores, predictions) = Generate(n, (2 * n) + decimals, decimals, shape);
        var calibrator = calibrated ? Calibrator : null;
        var probabilities = scores.Select(s => calibrator?.Calibrate(s) ?? s).ToArray();
        var expectedRanked = new double[n];
        var expectedCount = ChunkComputation.RankCalibratedDescending(scores, calibrator, new double[n], new double[n], expectedRanked);
        var expectedMatrix = ExpectedConfusionMatrix.Compute(probabilities, predictions);

        var keys = new ulong[n];
        var counts = new int[Estimator.Numerics.RadixSort.CountsLength];
        var p = FusedChunkKernel.Calibrate(scores, calibrator, new double[n]);
        var count = FusedChunkKernel.Encode(scores, p, keys);
        var ranked = new double[n];
        var cumulative = new double[n];
        var matrix = FusedChunkKernel.SortDescendingWithSums(keys.AsSpan(0, count), new ulong[n], counts, ranked, cumulative, p, predictions);
        var alone = FusedChunkKernel.Matrix(p, predictions);

        Assert.Equal(expectedCount, count);
        Assert.Equal(expectedRanked.Take(count).Select(ZeroBlindBits), ranked.Take(count).Select(ZeroBlindBits));
        Assert.Equal(expectedRanked.Take(count).Count(double.IsNegative), ranked.Take(count).Count(double.IsNegative));
        double sum = 0;
        for (var k = 0; k < count; k++)
        {
            sum += expectedRanked[k];
            Assert.Equal(Bits(sum), Bits(cumulative[k]));
        }

        long[] expectedCells = [Bits(expectedMatrix.TruePositive), Bits(expectedMatrix.FalsePositive), Bits(expectedMatrix.FalseNegative), Bits(expectedMatrix.TrueNegative), expectedMatrix.Count];
        Assert.Equal(expectedCells, new[] { Bits(matrix.TruePositive), Bits(matrix.FalsePositive), Bits(matrix.FalseNegative), Bits(matrix.TrueNegative), matrix.Count });
        Assert.Equal(expectedCells, new[] { Bits(alone.TruePositive), Bits(alone.FalsePositive), Bits(alone.FalseNegative), Bits(alone.TrueNegative), alone.Count });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(257)]
    [InlineData(10_000)]
    public void RocAucFromCumulative_EqualsRocAucFromRanked_WhenProbabilitiesVary(int n)
    {
        var random = new Random(n);
        foreach (var scale in new[] { 1.0, 1e-7, 1e12 })
        {
            // Probabilities with many ties (two decimals) and without; running sums well past 1e5 at the large scale.
            var ranked = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? Math.Round(random.NextDouble(), 2) : random.NextDouble() * scale).OrderDescending().ToArray();
            var cumulative = new double[n];
            double sum = 0;
            for (var k = 0; k < n; k++)
            {
                sum += ranked[k];
                cumulative[k] = sum;
            }

            Assert.Equal(Bits(EstimatedMetrics.RocAucFromRanked(ranked)), Bits(FusedChunkKernel.RocAucFromCumulative(cumulative)));
        }
    }

    [Fact]
    public void Round5_EqualsMathRound_WhenValuesAreMidpointsLargeOrSpecial()
    {
        var random = new Random(5);
        var values = new List<double>
        {
            0.0, -0.0, 0.5e-5, 1.5e-5, 2.5e-5, -2.5e-5, 0.123455, 0.123445, 1e16, -1e16, 9.999999999999998e15, 1.0000000000000002e16,
            4503599627370496.0, 1e20, double.MaxValue, double.Epsilon, double.PositiveInfinity, double.NegativeInfinity, double.NaN,
        };
        for (var i = 0; i < 20_000; i++)
        {
            values.Add((random.Next(2_000_000) - 1_000_000 + 0.5) / 1e5);
            values.Add(random.NextDouble() * Math.Pow(10, random.Next(-8, 18)) * (random.Next(2) == 0 ? 1 : -1));
            values.Add(random.Next(100_000) + 0.5e-5);
        }

        while (values.Count % Vector256<double>.Count != 0)
        {
            values.Add(0.25);
        }

        var span = CollectionsMarshal.AsSpan(values);
        for (var i = 0; i < span.Length; i += Vector256<double>.Count)
        {
            var rounded = FusedChunkKernel.Round5(Vector256.Create(span.Slice(i, Vector256<double>.Count)));
            for (var lane = 0; lane < Vector256<double>.Count; lane++)
            {
                Assert.Equal(Bits(Math.Round(span[i + lane], 5)), Bits(rounded[lane]));
            }
        }
    }

    [Fact]
    public void CalibrateUnordered_EqualsCalibrate_WhenScoresHitThresholdsAndGaps()
    {
        var calibrators = new[]
        {
            Calibrator,
            new IsotonicCalibrator([0.0, 1.0], [0.2, 0.7]),
            new IsotonicCalibrator([-1.0, 0.0, 1e-300, 2e-300, 1.0], [-0.0, -0.0, 0.0, 0.5, 0.5]),
            new IsotonicCalibrator([0.1, 0.1 + 1e-15, 0.3, 0.30000000000000004, 0.9], [0.0, 1e300, 1e300, double.MaxValue, double.MaxValue]),
            new IsotonicCalibrator([0.5], [0.25]),
            new IsotonicCalibrator([0.25, 0.5, 0.75], [0.1, 0.1, 0.9]),
            new IsotonicCalibrator([.. Enumerable.Range(0, 5_000).Select(i => Math.Pow(i / 5_000.0, 3))], [.. Enumerable.Range(0, 5_000).Select(i => i / 5_000.0)]),
        };
        var random = new Random(3);
        foreach (var calibrator in calibrators)
        {
            var lookup = calibrator.Lookup;
            var scores = calibrator.Thresholds
                .SelectMany(x => new[] { x, Math.BitDecrement(x), Math.BitIncrement(x) })
                .Concat(Enumerable.Range(0, 50_000).Select(_ => (random.NextDouble() * 1.4) - 0.2))
                .Concat(Enumerable.Range(0, 5_000).Select(_ => Math.Round(random.NextDouble(), 2)))
                .Append(double.NaN).Append(-0.0).Append(double.PositiveInfinity).Append(double.NegativeInfinity);
            var all = scores.ToArray();
            var unordered = new double[all.Length];
            calibrator.CalibrateUnordered(all, unordered);
            for (var i = 0; i < all.Length; i++)
            {
                var expected = Bits(calibrator.Calibrate(all[i]));
                Assert.Equal(expected, Bits(lookup.Calibrate(all[i])));
                Assert.Equal(expected, Bits(unordered[i]));
            }
        }
    }

    [Fact]
    public void ComputeChunk_EqualsReferenceKernels_WhenCalibratorGivesNaN()
    {
        // Infinite values of opposite sign: a score inside gets NaN, which ranking by score keeps and the fused path
        // would drop, so the chunk takes the reference path.
        var calibrator = new IsotonicCalibrator([0.0, 1.0], [double.NegativeInfinity, double.PositiveInfinity]);
        var (scores, predictions) = Generate(1_000, 7, 2, "random");

        var expected = ReferenceEstimates(scores, predictions, calibrator, rankByScore: true);
        var actual = Compute(scores, predictions, calibrator);

        Assert.Equal(expected.Select(Bits), actual.Select(Bits));
    }

    private static double[] Compute(double[] scores, double[] predictions, IsotonicCalibrator? calibrator)
    {
        var data = PeriodData.FromBuffers(scores, predictions, null, calibrator);
        var chunk = new Chunk("[0]", 0, 0, scores.Length - 1, null, null);
        using var scratch = new ChunkScratch(scores.Length);
        var (values, _) = ChunkComputation.ComputeChunk(data, chunk, Components, new CbpeOptions(), withRealized: false, scratch);
        return [.. values.Select(v => v.Estimated), .. values.Select(v => (double)v.Rows)];
    }

    /// <summary>The straightforward kernels: calibrate every row, co-sort by score, the reference estimators.</summary>
    private static double[] ReferenceEstimates(double[] scores, double[] predictions, IsotonicCalibrator? calibrator, bool rankByScore = false)
    {
        var n = scores.Length;
        var probabilities = scores.Select(s => calibrator?.Calibrate(s) ?? s).ToArray();
        var cm = ExpectedConfusionMatrix.Compute(probabilities, predictions);
        var ranked = new double[n];
        var count = rankByScore
            ? ChunkComputation.RankCalibratedDescending(scores, calibrator, new double[n], new double[n], ranked)
            : EstimatedMetrics.RankByScoreDescending(probabilities, scores, new double[n], ranked);
        var rankedSpan = ranked.AsSpan(0, count);
        var estimates = new List<double>
        {
            EstimatedMetrics.RocAucFromRanked(rankedSpan),
            EstimatedMetrics.AveragePrecisionFromRanked(rankedSpan),
            EstimatedMetrics.Precision(cm),
            EstimatedMetrics.Recall(cm),
            EstimatedMetrics.F1(cm),
            EstimatedMetrics.Accuracy(cm),
            EstimatedMetrics.Specificity(cm),
        };
        for (var k = 0; k < 4; k++)
        {
            estimates.Add(EstimatedMetrics.ConfusionMatrixComponent(cm, k, ConfusionMatrixNormalization.None));
        }

        var rows = new List<double> { count, count };
        rows.AddRange(Enumerable.Repeat((double)cm.Count, 9));
        return [.. estimates, .. rows];
    }
}
