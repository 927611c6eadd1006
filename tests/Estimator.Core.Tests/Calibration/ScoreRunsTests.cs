using Estimator.Calibration;
using Estimator.Tests.Numerics;

namespace Estimator.Tests.Calibration;

/// <summary>
/// The fit's fast paths (grouping by score, fitting from runs, the check built on them) against the plain algorithms:
/// the row-wise isotonic fit, scikit-learn's full splits and numpy's full argsort.
/// </summary>
public sealed class ScoreRunsTests
{
    /// <summary>
    /// Scores with two decimals (few distinct: the hash-table grouping), four decimals (ties, but too many distinct
    /// scores for the table: the radix grouping), continuous ones, or near-ties closer than scikit-learn's 1e-15.
    /// </summary>
    private static (double[] Scores, double[] Targets) Reference(int n, string shape, int seed)
    {
        var random = new Random(seed);
        var scores = new double[n];
        var targets = new double[n];
        for (var i = 0; i < n; i++)
        {
            var u = random.NextDouble();
            scores[i] = shape switch
            {
                "ties" => Math.Round(Math.Pow(u, 0.7), 2),
                "many-ties" => Math.Round(u, 4),
                "near-ties" => Math.Round(u, 1) + (random.Next(4) * 3e-16),
                _ => u,
            };
            targets[i] = random.NextDouble() < (0.1 + (0.6 * u)) ? 1 : 0;
        }

        return (scores, targets);
    }

    [Theory]
    [InlineData(1, "ties")]
    [InlineData(700, "ties")]
    [InlineData(5_000, "continuous")]
    [InlineData(5_000, "near-ties")]
    [InlineData(60_000, "many-ties")]
    public void Build_GroupsRowsByScore_WhenComparedWithGroupBy(int n, string shape)
    {
        var (scores, targets) = Reference(n, shape, n);

        var runs = ScoreRuns.Build(scores, targets);

        var groups = Enumerable.Range(0, n).GroupBy(i => scores[i]).OrderBy(g => g.Key).ToArray();
        Assert.Equal(groups.Select(g => g.Key), runs.Values);
        Assert.Equal(groups.Select(g => g.Count()), runs.Counts);
        Assert.Equal(groups.Select(g => g.Count(i => targets[i] == 1)), runs.Positives);
        for (var i = 0; i < n; i++)
        {
            var code = runs.RowCodes[i];
            Assert.Equal(scores[i], runs.Values[code >> 1]);
            Assert.Equal(targets[i], code & 1);
        }
    }

    [Theory]
    [InlineData(300, "ties")]
    [InlineData(20_000, "ties")]
    [InlineData(3_000, "continuous")]
    [InlineData(3_000, "near-ties")]
    public void RocAuc_EqualsSortedPairsRocAucBitForBit_WhenRunsBuilt(int n, string shape)
    {
        var (scores, targets) = Reference(n, shape, n + 1);

        var runs = ScoreRuns.Build(scores, targets);

        Assert.Equal(BitConverter.DoubleToInt64Bits(ReferenceRocAuc(targets, scores)), BitConverter.DoubleToInt64Bits(runs.RocAuc()));
    }

    [Theory]
    [InlineData(2, "ties")]
    [InlineData(1_000, "ties")]
    [InlineData(50_000, "ties")]
    [InlineData(4_000, "continuous")]
    [InlineData(4_000, "near-ties")]
    [InlineData(60_000, "many-ties")]
    public void FitRuns_EqualsRowWiseFitBitForBit_WhenRunsSubsetted(int n, string shape)
    {
        var (scores, targets) = Reference(n, shape, n + 2);
        var runs = ScoreRuns.Build(scores, targets);

        // Whole reference, then a random subset of rows (some runs emptied), as the calibration check's train parts.
        AssertSameCalibrator(IsotonicCalibrator.Fit(scores, targets), IsotonicCalibrator.FitRuns(runs.Values, runs.Counts, runs.Positives));

        var random = new Random(n);
        var keep = Enumerable.Range(0, n).Where(_ => random.NextDouble() < 0.6).DefaultIfEmpty(0).ToArray();
        var counts = new int[runs.Count];
        var positives = new int[runs.Count];
        foreach (var row in keep)
        {
            counts[runs.RowCodes[row] >> 1]++;
            positives[runs.RowCodes[row] >> 1] += (int)targets[row];
        }

        var expected = IsotonicCalibrator.Fit(keep.Select(r => scores[r]).ToArray(), keep.Select(r => targets[r]).ToArray());
        AssertSameCalibrator(expected, IsotonicCalibrator.FitRuns(runs.Values, counts, positives));
    }

    [Theory]
    [InlineData(2_000, "ties", 1)]
    [InlineData(30_000, "ties", 2)]
    [InlineData(30_000, "ties", 1)]
    [InlineData(8_000, "continuous", 2)]
    [InlineData(8_000, "near-ties", 1)]
    [InlineData(30_000, "many-ties", 2)]
    public void Run_MatchesPlainCheck_WhenComparedWithFullSplitsFitsAndArgsorts(int n, string shape, int threads)
    {
        var (scores, targets) = Reference(n, shape, n + 3);

        var (result, runs) = CalibrationCheck.Run(targets, scores, threads);
        var (eceRaw, eceCalibrated) = PlainCheck(targets, scores);

        // The bins hold the same rows; only the order each bin is summed in differs, so the last bits may.
        Assert.NotNull(runs);
        Assert.Equal(eceRaw, result.EceRaw, 1e-13);
        Assert.Equal(eceCalibrated, result.EceCalibrated, 1e-13);
        Assert.Equal(eceRaw > eceCalibrated, result.NeedsCalibration);
    }

    /// <summary>NannyML's needs_calibration step by step: full scikit-learn splits, a row-wise fit per split, full argsorts.</summary>
    private static (double Raw, double Calibrated) PlainCheck(double[] targets, double[] scores)
    {
        var raw = new List<double>();
        var calibrated = new List<double>();
        var pooledTargets = new List<double>();
        foreach (var (train, test) in ReferenceStratifiedShuffleSplit.Split(targets))
        {
            var calibrator = IsotonicCalibrator.Fit(train.Select(r => scores[r]).ToArray(), train.Select(r => targets[r]).ToArray());
            foreach (var row in test)
            {
                raw.Add(scores[row]);
                calibrated.Add(calibrator.Calibrate(scores[row]));
                pooledTargets.Add(targets[row]);
            }
        }

        var edges = CalibrationCheck.BinEdges(raw.Count, CalibrationCheck.BinCount);
        var y = pooledTargets.ToArray();
        return (Ece(raw.ToArray(), y, edges), Ece(calibrated.ToArray(), y, edges));
    }

    private static double Ece(double[] values, double[] targets, int[] edges)
    {
        var order = IndirectNumpyArgsort.ArgSort(values);
        double ece = 0;
        for (var b = 0; b + 1 < edges.Length; b++)
        {
            var rows = order[edges[b]..edges[b + 1]];
            ece += (double)rows.Length / order.Length * Math.Abs(rows.Average(r => values[r]) - rows.Average(r => targets[r]));
        }

        return ece;
    }

    private static void AssertSameCalibrator(IsotonicCalibrator expected, IsotonicCalibrator actual)
    {
        Assert.Equal(expected.Thresholds.Select(BitConverter.DoubleToInt64Bits), actual.Thresholds.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.Values.Select(BitConverter.DoubleToInt64Bits), actual.Values.Select(BitConverter.DoubleToInt64Bits));
    }

    /// <summary>Mann–Whitney U with average ranks over pairs co-sorted by a comparison sort (the textbook form).</summary>
    internal static double ReferenceRocAuc(double[] targets, double[] scores)
    {
        var keys = (double[])scores.Clone();
        var labels = (double[])targets.Clone();
        Array.Sort(keys, labels);
        double positives = 0, positiveRankSum = 0;
        var n = keys.Length;
        for (var i = 0; i < n;)
        {
            var j = i;
            double tiePositives = 0;
            while (j < n && keys[j] == keys[i])
            {
                tiePositives += labels[j++];
            }

            positiveRankSum += tiePositives * ((i + 1 + j) / 2.0);
            positives += tiePositives;
            i = j;
        }

        var negatives = n - positives;
        return positives == 0 || negatives == 0 ? double.NaN : (positiveRankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }
}
