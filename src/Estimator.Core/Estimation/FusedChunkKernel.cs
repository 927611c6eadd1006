using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Estimator.Estimation;

/// <summary>
/// The chunk kernel in few passes over memory: calibrate the chunk (shuffled scores); write each probability's sort
/// key; sort the probabilities themselves (counting the distinct ones when there are few, as isotonic calibration
/// makes them, else a radix sort) and write them in rank order; one loop writes their running sums and sums the
/// expected confusion matrix in row order; the ROC AUC from the running sums. Every double equals the reference forms'
/// (<see cref="IsotonicCalibrator.Calibrate(double)"/>, <see cref="ExpectedConfusionMatrix.Compute"/>,
/// <see cref="ChunkComputation.RankCalibratedDescending"/>, <see cref="EstimatedMetrics.RocAucFromRanked"/>), which the
/// tests compare it with.
/// </summary>
/// <remarks>
/// Sorting probabilities instead of scores gives the same ranked array: the calibrator is non-decreasing and maps equal
/// scores to equal values, so both arrays are the probabilities' multiset in non-increasing order. They can differ
/// only in where a −0 sits among +0s, which no sum below can see (every running sum starts at +0, and +0 + −0 = +0).
/// </remarks>
internal static class FusedChunkKernel
{
    /// <summary>
    /// The chunk's probabilities: the scores calibrated into <paramref name="buffer"/>, or the scores themselves
    /// without a calibrator.
    /// </summary>
    internal static ReadOnlySpan<double> Calibrate(ReadOnlySpan<double> scores, IsotonicCalibrator? calibrator, Span<double> buffer)
    {
        if (calibrator is null)
        {
            return scores;
        }

        // In a loop of its own (measured: calibrating inside the summing loop was slower, as the calibration's
        // dependent loads overlap across rows only without the sums' and keys' work in the way).
        calibrator.CalibrateUnordered(scores, buffer);
        return buffer[..scores.Length];
    }

    /// <summary>Writes the sort key of each non-NaN probability to <paramref name="keys"/>, in row order.</summary>
    /// <returns>The number of keys written, or −1 if a row with a score got a NaN probability (a calibrator with
    /// infinite values), where ranking by probability would drop a row that ranking by score keeps.</returns>
    internal static int Encode(ReadOnlySpan<double> scores, ReadOnlySpan<double> probabilities, Span<ulong> keys)
    {
        var n = 0;
        var lost = false;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i];
            if (!double.IsNaN(p))
            {
                keys[n++] = RadixSort.Encode(BitConverter.DoubleToUInt64Bits(p));
            }
            else
            {
                lost |= !double.IsNaN(scores[i]);
            }
        }

        return lost ? -1 : n;
    }

    /// <summary><see cref="ExpectedConfusionMatrix.Compute"/> with the fused kernel's branch-free row sums.</summary>
    internal static ExpectedConfusionMatrix Matrix(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> predictions)
    {
        ColumnLength.Same(probabilities.Length, predictions.Length, "Probabilities", nameof(predictions));

        var sums = default(MatrixSums);
        for (var i = 0; i < probabilities.Length; i++)
        {
            sums.Add(probabilities[i], predictions[i]);
        }

        return sums.Result();
    }

    /// <summary>
    /// Sorts the keys of <see cref="Encode"/> and writes the probabilities in descending order to
    /// <paramref name="ranked"/> and their running sums (in that order) to <paramref name="cumulative"/>; in the same
    /// loop, sums the expected confusion matrix of <paramref name="probabilities"/> and <paramref name="predictions"/>
    /// in row order (default when <paramref name="predictions"/> is empty). The two sequential sums are independent,
    /// so one loop runs them side by side.
    /// </summary>
    internal static ExpectedConfusionMatrix SortDescendingWithSums(
        Span<ulong> keys,
        Span<ulong> scratch,
        Span<int> digitCounts,
        Span<double> ranked,
        Span<double> cumulative,
        ReadOnlySpan<double> probabilities,
        ReadOnlySpan<double> predictions)
    {
        var n = keys.Length;
        ReadOnlySpan<ulong> sorted = keys;
        if (n <= RadixSort.SmallSort)
        {
            keys.Sort();
        }
        else
        {
            Span<ulong> distinctKeys = stackalloc ulong[DistinctSlots];
            Span<int> distinctCounts = stackalloc int[DistinctSlots];
            var distinct = CountDistinct(keys, distinctKeys, distinctCounts);
            if (distinct >= 0)
            {
                ExpandDescending(distinctKeys[..distinct], distinctCounts[..distinct], ranked[..n]);
                return SumsAndMatrix(ranked[..n], cumulative[..n], probabilities, predictions);
            }

            // Counting the digits in a loop of its own is faster than in the calibrating loop (measured): the
            // counters' read-modify-writes and the calibration's dependent loads do not mix well.
            digitCounts.Clear();
            foreach (var key in keys)
            {
                RadixSort.CountDigits(key, digitCounts);
            }

            if (!RadixSort.SortCounted(keys, scratch[..n], digitCounts))
            {
                sorted = scratch[..n];
            }
        }

        ranked = ranked[..n];
        for (var k = 0; k < n; k++)
        {
            ranked[k] = BitConverter.UInt64BitsToDouble(RadixSort.Decode(sorted[n - 1 - k]));
        }

        return SumsAndMatrix(ranked, cumulative[..n], probabilities, predictions);
    }

    private static ExpectedConfusionMatrix SumsAndMatrix(ReadOnlySpan<double> ranked, Span<double> cumulative, ReadOnlySpan<double> probabilities, ReadOnlySpan<double> predictions)
    {
        var rows = 0;
        if (!predictions.IsEmpty)
        {
            ColumnLength.Same(probabilities.Length, predictions.Length, "Probabilities", nameof(predictions));

            rows = probabilities.Length;
        }

        var sums = default(MatrixSums);
        double sum = 0;
        var both = Math.Min(ranked.Length, rows);
        var k = 0;
        for (; k < both; k++)
        {
            sum += ranked[k];
            cumulative[k] = sum;
            sums.Add(probabilities[k], predictions[k]);
        }

        for (; k < ranked.Length; k++)
        {
            sum += ranked[k];
            cumulative[k] = sum;
        }

        for (k = both; k < rows; k++)
        {
            sums.Add(probabilities[k], predictions[k]);
        }

        return predictions.IsEmpty ? default : sums.Result();
    }

    /// <summary>Slots of the table of distinct keys: twice the most distinct keys it takes, a power of two.</summary>
    private const int DistinctSlots = 512;

    /// <summary>At most this many distinct probabilities are counted instead of radix-sorted.</summary>
    private const int MaxDistinct = DistinctSlots / 2;

    /// <summary>
    /// Counts each distinct key (an open-addressing table; no encoded key is 0, which marks a free slot) and packs the
    /// keys and counts at the front of the spans; returns how many, or −1 as soon as there are more than
    /// <see cref="MaxDistinct"/>. Scores with few decimals give few distinct probabilities, and then counting them
    /// replaces the radix sort's digit counts and six scatter passes.
    /// </summary>
    private static int CountDistinct(ReadOnlySpan<ulong> keys, Span<ulong> table, Span<int> counts)
    {
        table.Clear();
        counts.Clear();
        var distinct = 0;
        foreach (var key in keys)
        {
            var slot = (int)((key * 0x9E37_79B9_7F4A_7C15UL) >> (64 - 9));
            while (true)
            {
                var held = table[slot];
                if (held == key)
                {
                    break;
                }

                if (held == 0)
                {
                    if (++distinct > MaxDistinct)
                    {
                        return -1;
                    }

                    table[slot] = key;
                    break;
                }

                slot = (slot + 1) & (DistinctSlots - 1);
            }

            counts[slot]++;
        }

        var packed = 0;
        for (var slot = 0; slot < DistinctSlots; slot++)
        {
            if (table[slot] != 0)
            {
                table[packed] = table[slot];
                counts[packed] = counts[slot];
                packed++;
            }
        }

        return packed;
    }

    /// <summary>Writes each distinct key's value as often as it occurs, largest first.</summary>
    private static void ExpandDescending(Span<ulong> keys, Span<int> counts, Span<double> ranked)
    {
        keys.Sort(counts);
        var k = 0;
        for (var d = keys.Length - 1; d >= 0; d--)
        {
            ranked.Slice(k, counts[d]).Fill(BitConverter.UInt64BitsToDouble(RadixSort.Decode(keys[d])));
            k += counts[d];
        }
    }

    /// <summary>
    /// <see cref="EstimatedMetrics.RocAucFromRanked"/> from the running sums of the ranked probabilities: the rounded
    /// rates are computed several rows at a time, the area is summed row by row in the reference's order.
    /// </summary>
    /// <param name="cumulative">Running sums of the ranked probabilities, as <see cref="SortDescendingWithSums"/> writes them.</param>
    internal static double RocAucFromCumulative(ReadOnlySpan<double> cumulative)
    {
        var n = cumulative.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        // The reference sums the ranked probabilities once for the totals, in the order of the running sums.
        var total = cumulative[n - 1];
        var tpTotal = Math.Round(total, 5);
        var fpTotal = Math.Round(n - total, 5);
        if (tpTotal == 0 || fpTotal == 0)
        {
            return double.NaN;
        }

        // tpr[k + 1] and fpr[k + 1] are row k's rates; index 0 holds the starting point (0, 0).
        // Four rows at a time: their rates, and their area terms from each row's rates and the previous row's (the
        // vector rotated by one lane, the first lane taken from the previous four rows' last). Only the area sum is
        // sequential, in row order; the divisions (which must stay divisions) overlap with it.
        double area = 0, previousTpr = 0, previousFpr = 0;
        var k = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            var tpTotals = Vector256.Create(tpTotal);
            var fpTotals = Vector256.Create(fpTotal);
            var rows = Vector256.Create(1.0, 2.0, 3.0, 4.0);
            var step = Vector256.Create((double)Vector256<double>.Count);
            var half = Vector256.Create(0.5);
            var rotate = Vector256.Create(3L, 0, 1, 2);
            var firstLane = Vector256.Create(-1L, 0, 0, 0).AsDouble();
            var lastTpr = Vector256<double>.Zero;
            var lastFpr = Vector256<double>.Zero;
            ref var sums = ref MemoryMarshal.GetReference(cumulative);
            for (; k <= n - Vector256<double>.Count; k += Vector256<double>.Count)
            {
                var sum = Vector256.LoadUnsafe(ref sums, (nuint)k);
                var tpr = Round5(sum) / tpTotals;
                var fpr = Round5(rows - sum) / fpTotals;
                rows += step;
                var tprRotated = Vector256.Shuffle(tpr, rotate);
                var fprRotated = Vector256.Shuffle(fpr, rotate);
                var tprBefore = Vector256.ConditionalSelect(firstLane, lastTpr, tprRotated);
                var fprBefore = Vector256.ConditionalSelect(firstLane, lastFpr, fprRotated);
                lastTpr = tprRotated;
                lastFpr = fprRotated;
                var terms = (fpr - fprBefore) * (tpr + tprBefore) * half;
                area += terms.GetElement(0);
                area += terms.GetElement(1);
                area += terms.GetElement(2);
                area += terms.GetElement(3);
            }

            previousTpr = lastTpr.GetElement(0);
            previousFpr = lastFpr.GetElement(0);
        }

        for (; k < n; k++)
        {
            var tpr = Math.Round(cumulative[k], 5) / tpTotal;
            var fpr = Math.Round(k + 1 - cumulative[k], 5) / fpTotal;
            area += (fpr - previousFpr) * (tpr + previousTpr) * 0.5;
            previousTpr = tpr;
            previousFpr = fpr;
        }

        return area;
    }

    /// <summary>
    /// <see cref="Math.Round(double, int)"/> to 5 digits, lane by lane: scale, round half to even, unscale, for
    /// magnitudes below 1e16 (larger values, infinities and NaN pass through unchanged, as there).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Round5(Vector256<double> value)
    {
        var power = Vector256.Create(1e5);
        var rounded = Vector256.Round(value * power) / power;
        return Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(value), Vector256.Create(1e16)), rounded, value);
    }

    /// <summary>
    /// The expected confusion matrix's running sums, row by row without branches on the (unpredictable) predicted
    /// class: a row adds its probability to one sum and +0 to the other. Adding +0 changes no sum: each starts at +0
    /// and so is never −0. Rows with a NaN probability or prediction add nothing, as in
    /// <see cref="ExpectedConfusionMatrix.Compute"/>.
    /// </summary>
    private struct MatrixSums
    {
        private double _positiveMass;
        private double _negativeMass;
        private double _positivePredictions;
        private long _count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(double p, double yHat)
        {
            var bits = BitConverter.DoubleToUInt64Bits(p);
            var valid = !double.IsNaN(p) & !double.IsNaN(yHat);
            var positive = valid & (yHat == 1);
            var negative = valid & (yHat != 1);
            _positiveMass += BitConverter.UInt64BitsToDouble(bits & (0UL - Unsafe.BitCast<bool, byte>(positive)));
            _negativeMass += BitConverter.UInt64BitsToDouble(bits & (0UL - Unsafe.BitCast<bool, byte>(negative)));
            _positivePredictions += Unsafe.BitCast<bool, byte>(positive);
            _count += Unsafe.BitCast<bool, byte>(valid);
        }

        public readonly ExpectedConfusionMatrix Result() => new(
            _positiveMass,
            _positivePredictions - _positiveMass,
            _negativeMass,
            _count - _positivePredictions - _negativeMass,
            _count);
    }
}
