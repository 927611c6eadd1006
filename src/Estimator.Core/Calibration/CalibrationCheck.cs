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
/// Speed: the reference is grouped by score once (<see cref="ScoreRuns"/>: a hash table when there are few distinct
/// scores, else one radix sort). A split's train part is
/// the complement of its test part, so its runs are the reference's runs less the test rows': each fit walks the runs
/// (a hundred for two-decimal scores) instead of sorting or filtering a million rows. The splits' draws skip the swaps
/// that only reorder train parts (<see cref="StratifiedShuffleSplit.TestParts"/>).
/// </para>
/// <para>
/// Ties: both ECE sorts replay numpy's default (unstable) argsort (<see cref="NumpyArgsort"/>), so tied pooled scores
/// fall into the same bins as in NannyML and the ECE values match too (car-loan raw ECE 0.027679; a stable sort would
/// give 0.027973). Only the bins' contents matter, so the replay stops at partitions no bin edge cuts
/// (<see cref="NumpyArgsort.ArgPartition"/>); a bin's values are summed in the order that leaves them, where NannyML's
/// <c>np.mean</c> sums pairwise in sorted order, so the ECE values can differ from NannyML's in the last bits.
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
        ColumnLength.Same(targets.Length, scores.Length, "Targets", nameof(scores));

        return NeedsCalibration(targets.ToArray(), scores.ToArray(), threads: 1);
    }

    /// <summary>Runs the check using up to <paramref name="threads"/> threads; the result does not depend on it.</summary>
    internal static CalibrationCheckResult NeedsCalibration(double[] targets, double[] scores, int threads) => Run(targets, scores, threads).Result;

    /// <summary>
    /// Runs the check using up to <paramref name="threads"/> threads (the result does not depend on it) and returns the
    /// reference grouped by score as well, from which the calibrator itself is fitted without another sort; the runs
    /// are null when the check stopped before grouping (a single class).
    /// </summary>
    /// <remarks>
    /// With two or more threads the splits (one sequential stream of MT19937 draws) are drawn on one thread while
    /// this one groups the reference by score, then the ten fits and the two ECE partitions are spread over both.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (CalibrationCheckResult Result, ScoreRuns? Runs) Run(double[] targets, double[] scores, int threads)
    {
        ColumnLength.Same(targets.Length, scores.Length, "Targets", nameof(scores));

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
            return (new CalibrationCheckResult(false, double.NaN, double.NaN, "reference has a single class"), null);
        }

        Func<int[][]> draw = () => StratifiedShuffleSplit.TestParts(targets, SplitCount, TestSize, Seed);
        var drawing = threads > 1 ? Task.Run(draw) : null;

        // One grouping by score: feeds ROC AUC, every split's train part and the final calibrator.
        var runs = ScoreRuns.Build(scores, targets);
        var auc = runs.RocAuc();
        if (auc > RocAucCeiling)
        {
            // The drawing thread's result (or error: a reference too small to split) is not needed.
            drawing?.ContinueWith(t => t.Exception, TaskScheduler.Default);
            return (new CalibrationCheckResult(
                false,
                double.NaN,
                double.NaN,
                string.Create(CultureInfo.InvariantCulture, $"reference ROC AUC {auc:0.######} > {RocAucCeiling}: scores already separate the classes")), runs);
        }

        int[][] tests;
        try
        {
            tests = drawing is null ? draw() : drawing.GetAwaiter().GetResult();
        }
        catch (ArgumentException exception)
        {
            throw new EstimatorDataException($"the reference is too small for the calibration check's stratified splits: {exception.Message}", exception);
        }

        var pooledLength = 0;
        var longestTest = 0;
        var offsets = new int[tests.Length];
        for (var s = 0; s < tests.Length; s++)
        {
            offsets[s] = pooledLength;
            pooledLength += tests[s].Length;
            longestTest = Math.Max(longestTest, tests[s].Length);
        }

        var pooledRaw = new double[pooledLength];
        var pooledCalibrated = new double[pooledLength];
        var pooledTargets = new double[pooledLength];

        // Each split writes only its own slice of the pooled vectors, so the fits can run in any order on any thread.
        Parallel.For(
            0,
            tests.Length,
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => new FitScratch(runs.Count, longestTest),
            (s, _, scratch) =>
            {
                // n_train = n − n_test and the parts are disjoint, so the train part is the complement of the test part:
                // its runs are the reference's runs less the test rows counted into them.
                var test = tests[s];
                var testCounts = scratch.Counts;
                var testPositives = scratch.Positives;
                Array.Clear(testCounts);
                Array.Clear(testPositives);
                var rowCodes = runs.RowCodes;
                var runValues = runs.Values;
                var testRuns = scratch.TestRuns;
                var offset = offsets[s];
                for (var t = 0; t < test.Length; t++)
                {
                    // A test row's score is its run's (equal by ==; a zero may come back with the other sign, which no sum or
                    // comparison below can tell apart), read with its target from one code instead of three arrays.
                    var code = rowCodes[test[t]];
                    var run = code >> 1;
                    var positive = code & 1;
                    testRuns[t] = run;
                    testCounts[run]++;
                    testPositives[run] += positive;
                    pooledRaw[offset + t] = runValues[run];
                    pooledTargets[offset + t] = positive;
                }

                for (var r = 0; r < testCounts.Length; r++)
                {
                    testCounts[r] = runs.Counts[r] - testCounts[r];
                    testPositives[r] = runs.Positives[r] - testPositives[r];
                }

                var calibrator = IsotonicCalibrator.FitRuns(runs.Values, testCounts, testPositives);
                if (runs.Count < test.Length)
                {
                    // Fewer distinct scores than test rows: calibrate each score once and look the rows' values up.
                    var calibratedRuns = scratch.Calibrated;
                    calibrator.Calibrate(runValues, calibratedRuns);
                    for (var t = 0; t < test.Length; t++)
                    {
                        pooledCalibrated[offset + t] = calibratedRuns[testRuns[t]];
                    }
                }
                else
                {
                    calibrator.CalibrateUnordered(pooledRaw.AsSpan(offset, test.Length), pooledCalibrated.AsSpan(offset, test.Length));
                }

                return scratch;
            },
            _ => { });

        var binEdges = BinEdges(pooledLength, BinCount);

        // NannyML argsorts each pooled vector with numpy's default (unstable) sort; the tie order moves the bins'
        // contents, so replay that sort rather than a stable one, as far as the bin edges need it.
        int[]? rawOrder = null, calibratedOrder = null;
        Parallel.Invoke(
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => rawOrder = NumpyArgsort.ArgPartition(pooledRaw, binEdges),
            () => calibratedOrder = NumpyArgsort.ArgPartition(pooledCalibrated, binEdges));
        var eceRaw = ExpectedCalibrationError(pooledRaw, pooledTargets, rawOrder!, binEdges);
        var eceCalibrated = ExpectedCalibrationError(pooledCalibrated, pooledTargets, calibratedOrder!, binEdges);
        var needed = eceRaw > eceCalibrated;
        var reason = needed
            ? string.Create(CultureInfo.InvariantCulture, $"ECE raw {eceRaw:0.0000} > calibrated {eceCalibrated:0.0000}")
            : string.Create(CultureInfo.InvariantCulture, $"ECE raw {eceRaw:0.0000} <= calibrated {eceCalibrated:0.0000}: calibration does not help");
        return (new CalibrationCheckResult(needed, eceRaw, eceCalibrated, reason), runs);
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

    /// <summary>One thread's buffers for the split fits: per run, the test rows and then the train rows.</summary>
    private sealed class FitScratch(int runs, int testRows)
    {
        public int[] TestRuns { get; } = new int[testRows];

        public int[] Counts { get; } = new int[runs];

        public int[] Positives { get; } = new int[runs];

        public double[] Calibrated { get; } = new double[runs];
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
