namespace Estimator.Calibration;

/// <summary>
/// A labelled reference grouped by score: the distinct scores ascending (runs of equal scores), each run's rows and
/// positives, and the run of every row. Built with one sort; everything the calibration check and the calibrator fit
/// need from the order of the scores is read from it instead of sorting again.
/// </summary>
/// <remarks>
/// Scores compare with <c>==</c>, so −0 and +0 share a run. Targets must be 0 or 1: a run keeps counts, not targets.
/// </remarks>
internal sealed class ScoreRuns
{
    private ScoreRuns(double[] values, int[] counts, int[] positives, int[] rowCodes)
    {
        Values = values;
        Counts = counts;
        Positives = positives;
        RowCodes = rowCodes;
    }

    /// <summary>The run's score (its first row's, in sorted order), strictly increasing.</summary>
    public double[] Values { get; }

    /// <summary>Rows per run.</summary>
    public int[] Counts { get; }

    /// <summary>Rows with target 1 per run.</summary>
    public int[] Positives { get; }

    /// <summary>
    /// Per row (in the input order): 2 × its run + its target. One 4-byte read gives a row's score (the run's value)
    /// and target, which matters where rows are visited in random order (a split's test rows).
    /// </summary>
    public int[] RowCodes { get; }

    /// <summary>Number of runs (distinct scores).</summary>
    public int Count => Values.Length;

    /// <summary>Groups rows by score. Scores and targets must be NaN-free, targets 0 or 1, and at least one row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ScoreRuns Build(ReadOnlySpan<double> scores, ReadOnlySpan<double> targets)
    {
        var n = scores.Length;
        if (targets.Length != n || n == 0)
        {
            throw new ArgumentException("Scores and targets must be non-empty and of equal length.", nameof(targets));
        }

        if (n > (int.MaxValue / 2) - 1)
        {
            throw new ArgumentException("Too many rows to group by score.", nameof(scores));
        }

        if (BuildFromFewScores(scores, targets) is { } few)
        {
            return few;
        }

        var keys = scores.ToArray();
        var rows = new int[n];
        for (var i = 0; i < n; i++)
        {
            rows[i] = i;
        }

        RadixSort.SortWithRows(keys, rows, new double[n], new int[n]);

        var rowCodes = new int[n];
        var values = new double[n];
        var counts = new int[n];
        var positives = new int[n];
        var run = -1;
        var previous = double.NaN;
        for (var g = 0; g < n; g++)
        {
            var key = keys[g];
            if (!(key == previous))
            {
                run++;
                values[run] = key;
                previous = key;
            }

            var row = rows[g];
            var positive = targets[row] == 1 ? 1 : 0;
            rowCodes[row] = (2 * run) + positive;
            counts[run]++;
            positives[run] += positive;
        }

        var runs = run + 1;
        return new ScoreRuns(values[..runs], counts[..runs], positives[..runs], rowCodes);
    }

    // Up to this many distinct scores, a hash table finds the runs without sorting the rows.
    private const int FewScores = 4096;
    private const int TableBits = 13;

    /// <summary>
    /// The runs of a reference with at most <see cref="FewScores"/> distinct scores (two-decimal scores, tree models'
    /// leaf values), found with a small hash table in two passes instead of a radix sort of every row; null as soon as
    /// a further distinct score turns up (continuous scores give up within the first few thousand rows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ScoreRuns? BuildFromFewScores(ReadOnlySpan<double> scores, ReadOnlySpan<double> targets)
    {
        var n = scores.Length;
        const int tableSize = 1 << TableBits;
        var slotKeys = new ulong[tableSize];
        var slotIds = new int[tableSize];
        Array.Fill(slotIds, -1);
        var found = new double[FewScores];
        var distinct = 0;
        var rowIds = new int[n];
        var lastKey = ulong.MaxValue;
        var lastId = -1;
        for (var row = 0; row < n; row++)
        {
            var score = scores[row];

            // −0 and +0 are one score (they compare equal), so they share a key.
            var key = score == 0 ? 0UL : BitConverter.DoubleToUInt64Bits(score);
            if (key != lastKey)
            {
                var slot = (int)((key * 0x9E3779B97F4A7C15UL) >> (64 - TableBits));
                while (true)
                {
                    var id = slotIds[slot];
                    if (id < 0)
                    {
                        if (distinct == FewScores)
                        {
                            return null;
                        }

                        slotKeys[slot] = key;
                        slotIds[slot] = distinct;
                        found[distinct] = score;
                        lastId = distinct++;
                        break;
                    }

                    if (slotKeys[slot] == key)
                    {
                        lastId = id;
                        break;
                    }

                    slot = (slot + 1) & (tableSize - 1);
                }

                lastKey = key;
            }

            rowIds[row] = lastId;
        }

        var values = found[..distinct];
        var ids = new int[distinct];
        for (var id = 0; id < distinct; id++)
        {
            ids[id] = id;
        }

        Array.Sort(values, ids);
        var rank = new int[distinct];
        for (var r = 0; r < distinct; r++)
        {
            rank[ids[r]] = r;
        }

        var counts = new int[distinct];
        var positives = new int[distinct];
        var rowCodes = rowIds;
        for (var row = 0; row < n; row++)
        {
            var run = rank[rowIds[row]];
            var positive = targets[row] == 1 ? 1 : 0;
            counts[run]++;
            positives[run] += positive;
            rowCodes[row] = (2 * run) + positive;
        }

        return new ScoreRuns(values, counts, positives, rowCodes);
    }

    /// <summary>
    /// ROC AUC of the scores against the targets with tied scores at their average rank, exactly as
    /// <see cref="Metrics.RealizedMetrics.RocAuc"/> computes it (same operations in the same order); NaN for one class.
    /// </summary>
    public double RocAuc()
    {
        double positives = 0;
        double positiveRankSum = 0;
        long start = 0;
        long total = 0;
        for (var r = 0; r < Values.Length; r++)
        {
            var end = start + Counts[r];
            double tiePositives = Positives[r];
            var averageRank = (start + 1 + end) / 2.0;
            positiveRankSum += tiePositives * averageRank;
            positives += tiePositives;
            start = end;
            total = end;
        }

        var negatives = total - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (positiveRankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }
}
