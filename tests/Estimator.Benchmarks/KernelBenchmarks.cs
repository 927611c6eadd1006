using BenchmarkDotNet.Attributes;
using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.Metrics;
using Estimator.Numerics;

namespace Estimator.Benchmarks;

/// <summary>Seeded data shaped like the resampled car-loan set: scores with two decimals (many ties), 0/1 labels.</summary>
internal static class Data
{
    public static (double[] Scores, double[] Predictions, double[] Targets) Generate(int n, int seed)
    {
        var random = new Random(seed);
        var s = new double[n];
        var yHat = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            s[i] = Math.Round(Math.Pow(random.NextDouble(), 0.7), 2);
            yHat[i] = s[i] >= 0.5 ? 1 : 0;
            y[i] = random.NextDouble() < (0.05 + (0.9 * s[i])) ? 1 : 0;
        }

        return (s, yHat, y);
    }
}

/// <summary>Per-chunk kernels on one 10,000-row chunk: the sort, the ranking, and each metric's estimate.</summary>
[MemoryDiagnoser]
public class ChunkKernels
{
    private double[] _scores = [];
    private double[] _predictions = [];
    private double[] _probabilities = [];
    private double[] _keys = [];
    private double[] _scratch = [];
    private double[] _ranked = [];
    private IsotonicCalibrator _calibrator = null!;

    [Params(10_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (s, yHat, y) = Data.Generate(Rows, 1);
        var (rs, _, ry) = Data.Generate(100_000, 2);
        _calibrator = IsotonicCalibrator.Fit(rs, ry);
        _ = y;
        _scores = s;
        _predictions = yHat;
        _probabilities = new double[Rows];
        _calibrator.Calibrate(s, _probabilities);
        _keys = new double[Rows];
        _scratch = new double[Rows];
        _ranked = new double[Rows];
        ChunkComputation.RankCalibratedDescending(_scores, _calibrator, _keys, _scratch, _ranked);
    }

    [Benchmark(Baseline = true, Description = "sort: Array.Sort keys+items (old ranking)")]
    public int CoSortRanking() => EstimatedMetrics.RankByScoreDescending(_probabilities, _scores, _keys, _ranked);

    [Benchmark(Description = "sort: radix keys-only + calibrate sorted (new ranking)")]
    public int RadixRanking() => ChunkComputation.RankCalibratedDescending(_scores, _calibrator, _keys, _scratch, _ranked);

    [Benchmark(Description = "sort: radix sort only")]
    public void RadixSortOnly()
    {
        _scores.CopyTo(_keys, 0);
        RadixSort.Sort(_keys, _scratch);
    }

    [Benchmark(Description = "calibrate: 10k unsorted scores")]
    public void Calibrate() => _calibrator.Calibrate(_scores, _keys);

    [Benchmark(Description = "estimate: roc_auc from ranked")]
    public double RocAuc() => EstimatedMetrics.RocAucFromRanked(_ranked);

    [Benchmark(Description = "estimate: average_precision from ranked")]
    public double AveragePrecision() => EstimatedMetrics.AveragePrecisionFromRanked(_ranked);

    [Benchmark(Description = "estimate: precision+recall (expected confusion matrix)")]
    public double PrecisionRecall()
    {
        var cm = ExpectedConfusionMatrix.Compute(_probabilities, _predictions);
        return EstimatedMetrics.Precision(cm) + EstimatedMetrics.Recall(cm);
    }
}

/// <summary>
/// The fused chunk kernel (calibrate + expected confusion matrix + sort keys, sort with running sums, ROC AUC from
/// the sums) against the reference kernels it replaces, on one 10,000-row chunk, per stage and whole.
/// </summary>
[MemoryDiagnoser]
public class FusedChunkKernels
{
    private double[] _scores = [];
    private double[] _predictions = [];
    private double[] _probabilities = [];
    private double[] _keys = [];
    private double[] _scratch = [];
    private double[] _ranked = [];
    private double[] _cumulative = [];
    private ulong[] _encoded = [];
    private ulong[] _encodedScratch = [];
    private ulong[] _pristine = [];
    private int[] _digitCounts = [];
    private int _count;
    private IsotonicCalibrator? _calibrator;

    [Params(10_000)]
    public int Rows { get; set; }

    /// <summary>Car-loan-like two-decimal scores, calibrated; or continuous scores without a calibrator (radix path).</summary>
    [Params("two-decimal calibrated", "continuous raw")]
    public string Scores { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var (s, yHat, _) = Data.Generate(Rows, 1);
        if (Scores == "continuous raw")
        {
            var random = new Random(7);
            s = [.. s.Select(_ => random.NextDouble())];
        }
        else
        {
            var (rs, _, ry) = Data.Generate(100_000, 2);
            _calibrator = IsotonicCalibrator.Fit(rs, ry);
        }

        _scores = s;
        _predictions = yHat;
        _probabilities = new double[Rows + 1];
        _keys = new double[Rows + 1];
        _scratch = new double[Rows + 1];
        _ranked = new double[Rows];
        _cumulative = new double[Rows];
        _encoded = new ulong[Rows];
        _encodedScratch = new ulong[Rows];
        _digitCounts = new int[RadixSort.CountsLength];
        var p = FusedChunkKernel.Calibrate(_scores, _calibrator, _probabilities);
        _count = FusedChunkKernel.Encode(_scores, p, _encoded);
        _pristine = [.. _encoded];
        FusedChunkKernel.SortDescendingWithSums(_encoded.AsSpan(0, _count), _encodedScratch, _digitCounts, _ranked, _cumulative, p, _predictions);
    }

    [Benchmark(Baseline = true, Description = "chunk: reference kernels (calibrate, matrix, rank by score, roc_auc)")]
    public double Reference()
    {
        ReadOnlySpan<double> p = _scores;
        if (_calibrator is not null)
        {
            // The hinted calibration is the reference's row-by-row value (a hint never changes a result).
            _calibrator.Calibrate(_scores, _probabilities);
            p = _probabilities.AsSpan(0, Rows);
        }

        var cm = ExpectedConfusionMatrix.Compute(p, _predictions);
        var n = ChunkComputation.RankCalibratedDescending(_scores, _calibrator, _keys, _scratch, _ranked);
        return EstimatedMetrics.RocAucFromRanked(_ranked.AsSpan(0, n)) + EstimatedMetrics.Precision(cm) + EstimatedMetrics.Recall(cm);
    }

    [Benchmark(Description = "chunk: fused kernel (same numbers)")]
    public double Fused()
    {
        var p = FusedChunkKernel.Calibrate(_scores, _calibrator, _probabilities);
        var n = FusedChunkKernel.Encode(_scores, p, _encoded);
        var cm = FusedChunkKernel.SortDescendingWithSums(_encoded.AsSpan(0, n), _encodedScratch, _digitCounts, _ranked, _cumulative, p, _predictions);
        return FusedChunkKernel.RocAucFromCumulative(_cumulative.AsSpan(0, n)) + EstimatedMetrics.Precision(cm) + EstimatedMetrics.Recall(cm);
    }

    [Benchmark(Description = "fused: calibrate + sort keys")]
    public int CalibrateAndEncode() => FusedChunkKernel.Encode(_scores, FusedChunkKernel.Calibrate(_scores, _calibrator, _probabilities), _encoded);

    [Benchmark(Description = "fused: calibrate (shuffled scores) only")]
    public void CalibrateUnordered() => _calibrator?.CalibrateUnordered(_scores, _probabilities);

    [Benchmark(Description = "fused: sort (distinct count or radix) + running sums + expected confusion matrix")]
    public ExpectedConfusionMatrix SortWithSums()
    {
        // The sort consumes its keys, so each call sorts a fresh copy (the copy is a small part of the time).
        _pristine.AsSpan(0, _count).CopyTo(_encoded);
        ReadOnlySpan<double> p = _calibrator is null ? _scores : _probabilities.AsSpan(0, Rows);
        return FusedChunkKernel.SortDescendingWithSums(_encoded.AsSpan(0, _count), _encodedScratch, _digitCounts, _ranked, _cumulative, p, _predictions);
    }

    [Benchmark(Description = "fused: roc_auc from running sums")]
    public double RocAuc() => FusedChunkKernel.RocAucFromCumulative(_cumulative.AsSpan(0, _count));
}

/// <summary>Fit-time kernels on a 1,000,000-row reference.</summary>
[MemoryDiagnoser]
public class FitKernels
{
    private double[] _scores = [];
    private double[] _targets = [];

    [Params(1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => (_scores, _, _targets) = Data.Generate(Rows, 3);

    [Benchmark(Description = "calibrate: isotonic fit (sort + PAV)")]
    public IsotonicCalibrator IsotonicFit() => IsotonicCalibrator.Fit(_scores, _targets);

    [Benchmark(Description = "calibrate: needs-calibration check (10 splits + 10 fits + ECE)")]
    public CalibrationCheckResult NeedsCalibration() => CalibrationCheck.NeedsCalibration(_targets, _scores);

    [Benchmark(Description = "calibrate: stratified splits, test parts only (as the check draws them)")]
    public int TestParts() => StratifiedShuffleSplit.TestParts(_targets, 10, 0.1, 42).Length;

    [Benchmark(Description = "calibrate: group the reference by score (hash table: two-decimal scores)")]
    public int GroupByScore() => ScoreRuns.Build(_scores, _targets).Count;

    [Benchmark(Description = "calibrate: ECE bins of 1e6 scores (numpy argsort replayed up to the bin edges)")]
    public int[] EceBins() => NumpyArgsort.ArgPartition(_scores, CalibrationCheck.BinEdges(_scores.Length, CalibrationCheck.BinCount));

    [Benchmark(Description = "sampling error: roc_auc (numpy argsort replay)")]
    public SamplingErrorModel SamplingErrorRocAuc() => SamplingError.ForRocAuc(_targets, _scores);

    [Benchmark(Description = "sort: numpy argsort replay")]
    public int[] NumpyArgSort() => NumpyArgsort.ArgSort(_scores);

    [Benchmark(Description = "sort: Array.Sort copy")]
    public double[] ArraySort()
    {
        var copy = (double[])_scores.Clone();
        Array.Sort(copy);
        return copy;
    }
}

/// <summary>End to end in memory: fit on 1,000,000 reference rows, estimate 1,000,000 analysis rows (chunks of 10,000).</summary>
public class EndToEnd
{
    private PredictionSet _reference = null!;
    private PredictionSet _analysis = null!;
    private FittedCbpe _fitted = null!;
    private readonly CbpeOptions _options = new() { Metrics = [Metric.RocAuc, Metric.Precision, Metric.Recall], Chunking = Chunking.BySize(10_000) };

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (s, yHat, y) = Data.Generate(1_000_000, 4);
        _reference = new PredictionSet(s, yHat, y);
        var (a, aHat, _) = Data.Generate(1_000_000, 5);
        _analysis = new PredictionSet(a, aHat);
        _fitted = Cbpe.Fit(_reference, _options);
    }

    [Benchmark(Description = "fit 1e6")]
    public FittedCbpe Fit() => Cbpe.Fit(_reference, _options, new ComputeOptions { MaxDegreeOfParallelism = Threads });

    [Benchmark(Description = "estimate 1e6")]
    public CbpeResult Estimate() => _fitted.Estimate(_analysis, "bench", new ComputeOptions { MaxDegreeOfParallelism = Threads });
}
