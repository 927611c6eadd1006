using System.Globalization;
using Estimator.Metrics;
using Estimator.Numerics;

namespace Estimator.Calibration;

/// <summary>
/// NannyML's <c>needs_calibration</c> (spec §2.2): does isotonic calibration, fitted and tested on ten stratified
/// 90/10 shuffle splits of the reference, lower the expected calibration error of the scores?
/// </summary>
/// <remarks>
/// <para>
/// Steps: NaN targets or scores are an error; a single class, or ROC AUC above 0.999, means no calibration. Otherwise
/// scikit-learn's <c>StratifiedShuffleSplit(n_splits=10, test_size=0.1, random_state=42)</c> is drawn over the rows
/// in the given order (reproduced index for index), an isotonic calibrator is fitted on each train part and applied to
/// its test part, the ten test parts are concatenated, and the ECE of the raw and of the calibrated pooled scores are
/// compared with equal-count bins; calibration is needed when ECE(raw) &gt; ECE(calibrated), strictly.
/// </para>
/// <para>
/// Speed: the reference is sorted by score once. Each train part's sorted order is the global order filtered by a
/// membership mark (the split's test rows are stamped at their sorted positions; the train part is their complement),
/// so the ten fits need no sort of their own.
/// </para>
/// <para>
/// Ties: both ECE sorts replay numpy's default (unstable) argsort (<see cref="NumpyArgsort"/>), so tied pooled scores
/// fall into the same bins as in NannyML and the ECE values match too (car-loan raw ECE 0.027679; a stable sort would
/// give 0.027973).
/// </para>
/// </remarks>
public static class CalibrationCheck
{
    /// <summary>Number of equal-count bins for the ECE (NannyML's <c>bin_count</c>).</summary>
    public const int BinCount = 10;

    /// <summary>Number of stratified shuffle splits (NannyML's <c>split_count</c>).</summary>
    public const int SplitCount = 10;

    /// <summary>Above this reference ROC AUC the scores already separate the classes and are not calibrated.</summary>
    public const double RocAucCeiling = 0.999;

    private const double TestSize = 0.1;
    private const uint Seed = 42;

    /// <summary>Runs the check on reference targets and scores, rows in the order given.</summary>
    /// <param name="targets">Reference targets, 0 or 1.</param>
    /// <param name="scores">Reference raw scores.</param>
    /// <returns>The decision, both ECE values (NaN when the check stopped early) and a reason.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <exception cref="EstimatorDataException">
    /// The reference is empty, has a missing target or score, a target other than 0 or 1, a class with a single
    /// row, or is too small for two bins.
    /// </exception>
    public static CalibrationCheckResult NeedsCalibration(ReadOnlySpan<double> targets, ReadOnlySpan<double> scores)
    {
        if (targets.Length != scores.Length)
        {
            throw new ArgumentException("Targets and scores differ in length.", nameof(scores));
        }

        return NeedsCalibration(targets.ToArray(), scores.ToArray(), threads: 1);
    }

    /// <summary>
    /// Runs the check using up to <paramref name="threads"/> threads; the result does not depend on it. With two or
    /// more, the splits (one sequential stream of MT19937 draws) are drawn on one thread while this one sorts the
    /// reference, then the ten isotonic fits and the two ECE sorts are spread over the threads.
    /// </summary>
    internal static CalibrationCheckResult NeedsCalibration(double[] targets, double[] scores, int threads)
    {
        if (targets.Length != scores.Length)
        {
            throw new ArgumentException("Targets and scores differ in length.", nameof(scores));
        }

        var n = targets.Length;
        if (n == 0)
        {
            throw new EstimatorDataException("the reference is empty: the calibration check needs rows");
        }

        var positives = 0;
        for (var row = 0; row < n; row++)
        {
            var target = targets[row];
            if (double.IsNaN(target))
            {
                throw new EstimatorDataException("the reference must have no missing targets for the calibration check", row: row);
            }

            if (double.IsNaN(scores[row]))
            {
                throw new EstimatorDataException("the reference must have no missing scores for the calibration check", row: row);
            }

            if (target == 1)
            {
                positives++;
            }
            else if (target != 0)
            {
                throw new EstimatorDataException(
                    string.Create(CultureInfo.InvariantCulture, $"target {target} is not 0 or 1"), row: row);
            }
        }

        if (positives == 0 || positives == n)
        {
            return new CalibrationCheckResult(false, double.NaN, double.NaN, "reference has a single class");
        }

        // Train order is irrelevant here (only membership), so the final train shuffle is skipped (draws still made).
        Func<IReadOnlyList<(int[] Train, int[] Test)>> draw = () => StratifiedShuffleSplit.Split(targets, SplitCount, TestSize, Seed, permuteTrain: false);
        var drawing = threads > 1 ? Task.Run(draw) : null;

        // One global sort by score: feeds ROC AUC and every train part's sorted order.
        var sortedScores = scores.ToArray();
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(sortedScores, order);
        var sortedTargets = new double[n];
        var sortedPosition = new int[n];
        for (var g = 0; g < n; g++)
        {
            var row = order[g];
            sortedTargets[g] = targets[row];
            sortedPosition[row] = g;
        }

        var auc = RealizedMetrics.RocAuc(sortedTargets, sortedScores);
        if (auc > RocAucCeiling)
        {
            // The drawing thread's result (or error: a reference too small to split) is not needed.
            drawing?.ContinueWith(t => t.Exception, TaskScheduler.Default);
            return new CalibrationCheckResult(
                false,
                double.NaN,
                double.NaN,
                string.Create(CultureInfo.InvariantCulture, $"reference ROC AUC {auc:0.######} > {RocAucCeiling}: scores already separate the classes"));
        }

        IReadOnlyList<(int[] Train, int[] Test)> splits;
        try
        {
            splits = drawing is null ? draw() : drawing.GetAwaiter().GetResult();
        }
        catch (ArgumentException exception)
        {
            throw new EstimatorDataException($"the reference is too small for the calibration check's stratified splits: {exception.Message}", exception);
        }

        var pooledLength = 0;
        var trainLength = 0;
        var offsets = new int[splits.Count];
        for (var s = 0; s < splits.Count; s++)
        {
            offsets[s] = pooledLength;
            pooledLength += splits[s].Test.Length;
            trainLength = Math.Max(trainLength, splits[s].Train.Length);
        }

        var pooledRaw = new double[pooledLength];
        var pooledCalibrated = new double[pooledLength];
        var pooledTargets = new double[pooledLength];

        // Each split writes only its own slice of the pooled vectors, so the fits can run in any order on any thread.
        Parallel.For(
            0,
            splits.Count,
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => new FitScratch(n, trainLength),
            (s, _, scratch) =>
            {
                // n_train = n − n_test and the parts are disjoint, so the train part is the complement of the test
                // part: stamp the test rows at their sorted positions and walk the global order, skipping them. Marks
                // are unique per split, so a thread's stamp array never needs clearing.
                var test = splits[s].Test;
                var mark = s + 1;
                var stamp = scratch.Stamp;
                foreach (var row in test)
                {
                    stamp[sortedPosition[row]] = mark;
                }

                var trainScores = scratch.Scores;
                var trainTargets = scratch.Targets;
                var m = 0;
                for (var g = 0; g < n; g++)
                {
                    if (stamp[g] != mark)
                    {
                        trainScores[m] = sortedScores[g];
                        trainTargets[m] = sortedTargets[g];
                        m++;
                    }
                }

                var calibrator = IsotonicCalibrator.FitSorted(trainScores.AsSpan(0, m), trainTargets.AsSpan(0, m));
                var offset = offsets[s];
                for (var t = 0; t < test.Length; t++)
                {
                    var row = test[t];
                    pooledRaw[offset + t] = scores[row];
                    pooledTargets[offset + t] = targets[row];
                }

                calibrator.Calibrate(pooledRaw.AsSpan(offset, test.Length), pooledCalibrated.AsSpan(offset, test.Length));
                return scratch;
            },
            _ => { });

        var binEdges = BinEdges(pooledLength, BinCount);
        // NannyML argsorts each pooled vector with numpy's default (unstable) sort; the tie order moves the bins'
        // contents, so replay that sort rather than a stable one.
        int[]? rawOrder = null, calibratedOrder = null;
        Parallel.Invoke(
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => rawOrder = NumpyArgsort.ArgSort(pooledRaw),
            () => calibratedOrder = NumpyArgsort.ArgSort(pooledCalibrated));
        var eceRaw = ExpectedCalibrationError(pooledRaw, pooledTargets, rawOrder!, binEdges);
        var eceCalibrated = ExpectedCalibrationError(pooledCalibrated, pooledTargets, calibratedOrder!, binEdges);
        var needed = eceRaw > eceCalibrated;
        var reason = needed
            ? string.Create(CultureInfo.InvariantCulture, $"ECE raw {eceRaw:0.0000} > calibrated {eceCalibrated:0.0000}")
            : string.Create(CultureInfo.InvariantCulture, $"ECE raw {eceRaw:0.0000} <= calibrated {eceCalibrated:0.0000}: calibration does not help");
        return new CalibrationCheckResult(needed, eceRaw, eceCalibrated, reason);
    }

    /// <summary>
    /// NannyML's <c>_get_bin_index_edges</c>: B = <paramref name="binCount"/>, or L // 2 when L &lt;= 2B (at least 2);
    /// width w = L // B; edges <c>range(0, L + 1, w)</c> with the last edge replaced by L.
    /// </summary>
    /// <remarks>
    /// Spec §2.2 step 5 describes B bins with the last absorbing the remainder. That is what this gives whenever
    /// L mod B &lt; w, i.e. always for L ≥ B²; for smaller L NannyML's <c>range</c> yields more than B bins (L = 29: 14 bins
    /// of width 2, the last [26, 29)), and this follows NannyML.
    /// </remarks>
    /// <returns>The edges e_0 = 0 &lt; … &lt; e_k = L; bin b is [e_b, e_{b+1}).</returns>
    internal static int[] BinEdges(int length, int binCount)
    {
        if (length <= 2 * binCount)
        {
            binCount = length / 2;
            if (binCount < 2)
            {
                throw new EstimatorDataException(
                    string.Create(CultureInfo.InvariantCulture, $"cannot split into minimum of 2 bins: the calibration check pools {length} rows, please increase the reference size"));
            }
        }

        var width = length / binCount;
        var edgeCount = (length / width) + 1;
        var edges = new int[edgeCount];
        for (var e = 0; e < edgeCount; e++)
        {
            edges[e] = e * width;
        }

        edges[^1] = length;
        return edges;
    }

    /// <summary>One thread's buffers for the split fits.</summary>
    private sealed class FitScratch(int rows, int trainRows)
    {
        public int[] Stamp { get; } = new int[rows];

        public double[] Scores { get; } = new double[trainRows];

        public double[] Targets { get; } = new double[trainRows];
    }

    /// <summary>Σ over bins of (|bin| / L) · |mean(v) − mean(y)|, the rows taken in <paramref name="order"/>.</summary>
    internal static double ExpectedCalibrationError(double[] values, double[] targets, int[] order, int[] edges)
    {
        var length = (double)order.Length;
        double ece = 0;
        for (var b = 0; b + 1 < edges.Length; b++)
        {
            double sumValues = 0;
            double sumTargets = 0;
            for (var i = edges[b]; i < edges[b + 1]; i++)
            {
                var p = order[i];
                sumValues += values[p];
                sumTargets += targets[p];
            }

            var count = edges[b + 1] - edges[b];
            ece += count / length * Math.Abs((sumValues / count) - (sumTargets / count));
        }

        return ece;
    }
}
