using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.Metrics;
using Estimator.Tests.Golden;

namespace Estimator.Tests.Estimation;

/// <summary>The parallel and optimised paths against the serial path and the straightforward kernels, bit for bit.</summary>
public sealed class ParallelDeterminismTests
{
    private static readonly Metric[] AllMetrics =
    [
        Metric.RocAuc, Metric.Precision, Metric.Recall, Metric.F1, Metric.Accuracy, Metric.Specificity,
        Metric.AveragePrecision, Metric.ConfusionMatrix, Metric.BusinessValue,
    ];

    private static PredictionSet Generated(int n, int seed, int decimals)
    {
        var random = new Random(seed);
        var s = new double[n];
        var yHat = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            s[i] = i % 97 == 0 ? double.NaN : Round(Math.Pow(random.NextDouble(), 0.8), decimals);
            yHat[i] = i % 89 == 0 ? double.NaN : s[i] >= 0.5 ? 1 : 0;
            y[i] = i % 83 == 0 ? double.NaN : random.NextDouble() < (0.1 + (0.8 * (double.IsNaN(s[i]) ? 0.5 : s[i]))) ? 1 : 0;
        }

        return new PredictionSet(s, yHat, y);
    }

    /// <summary>Rounds to <paramref name="decimals"/> (ties galore at 2), or not at all above 15.</summary>
    private static double Round(double v, int decimals) => decimals > 15 ? v : Math.Round(v, decimals);

    private static void AssertIdentical(CbpeResult expected, CbpeResult actual)
    {
        Assert.Equal(expected.Rows.Count, actual.Rows.Count);
        for (var i = 0; i < expected.Rows.Count; i++)
        {
            var e = expected.Rows[i];
            var a = actual.Rows[i];
            Assert.Equal(e.Chunk, a.Chunk);
            Assert.Equal(e.Metric, a.Metric);
            Assert.Equal(Bits(e.Estimated), Bits(a.Estimated));
            Assert.Equal(Bits(e.SamplingError), Bits(a.SamplingError));
            Assert.Equal(Bits(e.LowerConfidenceBound), Bits(a.LowerConfidenceBound));
            Assert.Equal(Bits(e.UpperConfidenceBound), Bits(a.UpperConfidenceBound));
            Assert.Equal(e.LowerThreshold is double l1 ? Bits(l1) : 0, a.LowerThreshold is double l2 ? Bits(l2) : 0);
            Assert.Equal(e.UpperThreshold is double u1 ? Bits(u1) : 0, a.UpperThreshold is double u2 ? Bits(u2) : 0);
            Assert.Equal(e.Realized is double r1 ? Bits(r1) : 0, a.Realized is double r2 ? Bits(r2) : 0);
            Assert.Equal(e.Alert, a.Alert);
        }
    }

    private static long Bits(double v) => BitConverter.DoubleToInt64Bits(v);

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 6)]
    [InlineData(4, 17)]
    public void FitAndEstimate_AreBitIdentical_WhenParallel(int threads, int decimals)
    {
        var reference = Generated(60_000, 1, decimals);
        var analysis = Generated(45_123, 2, decimals);
        var options = new CbpeOptions
        {
            Metrics = AllMetrics,
            Chunking = Chunking.BySize(3_000),
            BusinessValueMatrix = new BusinessValueMatrix(1, -2, -3, 4),
        };
        var parallel = new ComputeOptions { MaxDegreeOfParallelism = threads };

        var serialFit = Cbpe.Fit(reference, options, ComputeOptions.Serial);
        var parallelFit = Cbpe.Fit(reference, options, parallel);
        Assert.Equal(serialFit.ToJson(), parallelFit.ToJson());

        AssertIdentical(serialFit.Estimate(analysis, "m", ComputeOptions.Serial), parallelFit.Estimate(analysis, "m", parallel));
    }

    [Fact]
    public void Estimate_IsBitIdentical_WhenParallel_OnCarLoan()
    {
        var options = new CbpeOptions { Metrics = AllMetrics, Chunking = Chunking.BySize(5_000), BusinessValueMatrix = new BusinessValueMatrix(0, -1, -1, 1) };
        var fitted = Cbpe.Fit(CarLoanFixture.Reference, options, ComputeOptions.Serial);

        AssertIdentical(
            fitted.Estimate(CarLoanFixture.Analysis, "m", ComputeOptions.Serial),
            fitted.Estimate(CarLoanFixture.Analysis, "m", new ComputeOptions { MaxDegreeOfParallelism = 2 }));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(17)]
    public void RankCalibratedDescending_EqualsCoSortOfCalibratedProbabilities(int decimals)
    {
        var data = Generated(20_000, 3, decimals);
        var calibrator = IsotonicCalibrator.Fit(
            data.Scores.Where((s, i) => !double.IsNaN(s) && !double.IsNaN(data.Targets![i])).ToArray(),
            data.Targets!.Where((y, i) => !double.IsNaN(y) && !double.IsNaN(data.Scores[i])).ToArray());
        var probabilities = data.Scores.Select(calibrator.Calibrate).ToArray();
        var n = data.Count;
        var expected = new double[n];
        var count = EstimatedMetrics.RankByScoreDescending(probabilities, data.Scores, new double[n], expected);

        var actual = new double[n];
        var actualCount = ChunkComputation.RankCalibratedDescending(data.Scores, calibrator, new double[n], new double[n], actual);

        Assert.Equal(count, actualCount);
        Assert.Equal(expected.Take(count).Select(Bits), actual.Take(count).Select(Bits));
    }
}
