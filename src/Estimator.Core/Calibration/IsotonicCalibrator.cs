using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text.Json.Serialization;

namespace Estimator.Calibration;

/// <summary>
/// Isotonic calibration as scikit-learn's <c>IsotonicRegression(increasing=True, out_of_bounds='clip')</c> with unit
/// sample weights, in <see cref="double"/>: a non-decreasing piecewise-linear map from scores to probabilities.
/// </summary>
/// <remarks>
/// <para>
/// Fitting sorts the pairs by score, pools scores closer than 1e-15 to the first score of their group (scikit-learn's
/// <c>_make_unique</c>) into one point whose target is the group's mean and whose weight is its size, runs weighted
/// pool-adjacent-violators (scikit-learn's single-pass variant, so pooled values agree to the last bit for 0/1
/// targets), and keeps the fitted points minus the interior points of constant runs.
/// </para>
/// <para>
/// Calibrating interpolates linearly between consecutive fitted points (numpy's <c>interp</c>: a score equal to a
/// threshold returns that threshold's value), clips below the first and above the last threshold, and maps NaN to NaN.
/// </para>
/// <para>The model is the two arrays <see cref="Thresholds"/> and <see cref="Values"/>; it round-trips through System.Text.Json.</para>
/// </remarks>
public sealed class IsotonicCalibrator
{
    /// <summary>scikit-learn's tie tolerance: <c>np.finfo(np.float64).resolution</c>.</summary>
    private const double TieResolution = 1e-15;

    /// <summary>Creates a calibrator from fitted points (e.g. deserialised ones).</summary>
    /// <param name="thresholds">Scores of the fitted points, strictly increasing, at least one.</param>
    /// <param name="values">Calibrated values at <paramref name="thresholds"/>, non-decreasing, same length.</param>
    /// <exception cref="ArgumentException">The arrays differ in length, are empty, or are not ordered as required.</exception>
    [JsonConstructor]
    public IsotonicCalibrator(double[] thresholds, double[] values)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(values);
        if (thresholds.Length != values.Length)
        {
            throw new ArgumentException("Thresholds and values differ in length.", nameof(values));
        }

        if (thresholds.Length == 0)
        {
            throw new ArgumentException("An isotonic calibrator needs at least one point.", nameof(thresholds));
        }

        for (var i = 0; i < thresholds.Length; i++)
        {
            if (!double.IsFinite(thresholds[i]))
            {
                throw new ArgumentException($"Threshold {i} is not finite.", nameof(thresholds));
            }

            if (double.IsNaN(values[i]))
            {
                throw new ArgumentException($"Value {i} is NaN.", nameof(values));
            }

            if (i > 0 && !(thresholds[i] > thresholds[i - 1]))
            {
                throw new ArgumentException($"Thresholds must be strictly increasing (index {i}).", nameof(thresholds));
            }

            if (i > 0 && !(values[i] >= values[i - 1]))
            {
                throw new ArgumentException($"Values must be non-decreasing (index {i}).", nameof(values));
            }
        }

        Thresholds = (double[])thresholds.Clone();
        Values = (double[])values.Clone();
        _lookup = BuildLookup(Thresholds);
        (_slopes, _bucketScale) = BuildSlopes(Thresholds, Values);
        _intervals = BuildIntervals(Thresholds, Values, _slopes);
        _bucketNext = BuildBucketNext(Thresholds, _lookup);
    }

    private IsotonicCalibrator(double[] thresholds, double[] values, bool trusted)
    {
        _ = trusted;
        Thresholds = thresholds;
        Values = values;
        _lookup = BuildLookup(thresholds);
        (_slopes, _bucketScale) = BuildSlopes(thresholds, values);
        _intervals = BuildIntervals(thresholds, values, _slopes);
        _bucketNext = BuildBucketNext(thresholds, _lookup);
    }

    /// <summary>Buckets of equal width over [first, last threshold]: the interval to start searching from.</summary>
    private const int LookupBuckets = 4096;

    // _lookup[b] = the last interval j whose threshold x[j] lies at or below bucket b's lower edge; a starting guess
    // that is checked against the exact comparisons, so it only speeds the search up and never changes the result.
    private readonly int[] _lookup;

    // _slopes[j] = the slope of interval j exactly as the interpolation computes it, or NaN where the plain formula
    // might not give numpy's value (an infinite slope, or y[j] = -0); _bucketScale maps a score to its lookup bucket.
    private readonly double[] _slopes;
    private readonly double _bucketScale;

    // _intervals[j] = interval j's x[j], x[j + 1], slope and y[j] side by side: one cache line per row's lookup.
    private readonly Interval[] _intervals;

    // _bucketNext[b] = x[_lookup[b] + 1], the threshold of the one step, loaded beside the bucket's interval.
    private readonly double[] _bucketNext;

    /// <summary>The calibration tables as one value, for a row loop that calibrates rows in no particular order.</summary>
    internal IsotonicLookup Lookup => new(Thresholds, Values, _lookup, _slopes, _bucketScale);

    /// <summary>Scores of the fitted points (x), strictly increasing.</summary>
    public double[] Thresholds { get; }

    /// <summary>Calibrated values at <see cref="Thresholds"/> (y), non-decreasing.</summary>
    public double[] Values { get; }

    /// <summary>Fits the isotonic regression of <paramref name="targets"/> on <paramref name="scores"/>.</summary>
    /// <param name="scores">Raw scores; no NaN.</param>
    /// <param name="targets">Targets (0/1 for calibration; any finite values work); no NaN.</param>
    /// <exception cref="ArgumentException">Lengths differ, the input is empty, or it contains NaN.</exception>
    public static IsotonicCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<double> targets)
    {
        if (scores.Length != targets.Length)
        {
            throw new ArgumentException("Scores and targets differ in length.", nameof(targets));
        }

        if (scores.Length == 0)
        {
            throw new ArgumentException("Cannot fit an isotonic calibrator on no data.", nameof(scores));
        }

        var keys = scores.ToArray();
        var items = targets.ToArray();
        for (var i = 0; i < keys.Length; i++)
        {
            if (double.IsNaN(keys[i]) || double.IsNaN(items[i]))
            {
                throw new ArgumentException($"Row {i} has a NaN score or target.", nameof(scores));
            }
        }

        Array.Sort(keys, items);
        return FitSorted(keys, items);
    }

    /// <summary>
    /// Fits on pairs already sorted by score (ascending; the order of tied scores only affects the rounding of their
    /// mean, and not at all for 0/1 targets). Inputs must be NaN-free and non-empty.
    /// </summary>
    internal static IsotonicCalibrator FitSorted(ReadOnlySpan<double> sortedScores, ReadOnlySpan<double> targets)
    {
        var n = sortedScores.Length;

        // _make_unique: a new point starts when the score exceeds the current point's first score by >= resolution.
        var x = new double[n];
        var y = new double[n];
        var w = new double[n];
        var k = 0;
        var currentX = sortedScores[0];
        double currentY = 0;
        double currentW = 0;
        for (var j = 0; j < n; j++)
        {
            var score = sortedScores[j];
            if (score - currentX >= TieResolution)
            {
                x[k] = currentX;
                w[k] = currentW;
                y[k] = currentY / currentW;
                k++;
                currentX = score;
                currentW = 1;
                currentY = targets[j];
            }
            else
            {
                currentW += 1;
                currentY += targets[j];
            }
        }

        x[k] = currentX;
        w[k] = currentW;
        y[k] = currentY / currentW;
        k++;

        return FitUnique(x, y, w, k);
    }

    /// <summary>
    /// Fits on a sorted reference given as runs of equal scores (<see cref="ScoreRuns"/>): run r holds
    /// <paramref name="counts"/>[r] rows with score <paramref name="values"/>[r], <paramref name="positives"/>[r] of
    /// them with target 1; runs with no rows are skipped. Bit for bit <see cref="FitSorted"/> on the rows the runs
    /// stand for: a run's rows are pooled together (equal scores), and the pooled sums of 0/1 targets and unit
    /// weights are integers, exact whatever the order they are added in.
    /// </summary>
    internal static IsotonicCalibrator FitRuns(ReadOnlySpan<double> values, ReadOnlySpan<int> counts, ReadOnlySpan<int> positives)
    {
        var runs = values.Length;
        var x = new double[runs];
        var y = new double[runs];
        var w = new double[runs];
        var k = 0;
        var r = 0;
        while (r < runs && counts[r] == 0)
        {
            r++;
        }

        if (r == runs)
        {
            throw new ArgumentException("Cannot fit an isotonic calibrator on no data.", nameof(counts));
        }

        var currentX = values[r];
        double currentY = positives[r];
        double currentW = counts[r];
        for (r++; r < runs; r++)
        {
            if (counts[r] == 0)
            {
                continue;
            }

            var score = values[r];
            if (score - currentX >= TieResolution)
            {
                x[k] = currentX;
                w[k] = currentW;
                y[k] = currentY / currentW;
                k++;
                currentX = score;
                currentW = counts[r];
                currentY = positives[r];
            }
            else
            {
                currentW += counts[r];
                currentY += positives[r];
            }
        }

        x[k] = currentX;
        w[k] = currentW;
        y[k] = currentY / currentW;
        k++;

        return FitUnique(x, y, w, k);
    }

    /// <summary>Pool-adjacent-violators on the first <paramref name="k"/> unique points, then the trimmed calibrator.</summary>
    private static IsotonicCalibrator FitUnique(double[] x, double[] y, double[] w, int k)
    {
        PoolAdjacentViolators(y.AsSpan(0, k), w.AsSpan(0, k));

        // Keep the first and last points and every point whose value differs from a neighbour's.
        var kept = 0;
        for (var i = 0; i < k; i++)
        {
            if (i == 0 || i == k - 1 || y[i] != y[i - 1] || y[i] != y[i + 1])
            {
                x[kept] = x[i];
                y[kept] = y[i];
                kept++;
            }
        }

        return new IsotonicCalibrator(x.AsSpan(0, kept).ToArray(), y.AsSpan(0, kept).ToArray(), trusted: true);
    }

    /// <summary>Calibrates one score.</summary>
    /// <param name="score">A raw score; NaN gives NaN.</param>
    public double Calibrate(double score)
    {
        var hint = 0;
        return Interpolate(Thresholds, Values, _lookup, _slopes, _bucketScale, score, ref hint);
    }

    /// <summary>Calibrates scores into <paramref name="destination"/> (same length; may not overlap <paramref name="scores"/> partially).</summary>
    /// <param name="scores">Raw scores; NaN gives NaN.</param>
    /// <param name="destination">Receives the calibrated values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="scores"/>.</exception>
    public void Calibrate(ReadOnlySpan<double> scores, Span<double> destination)
    {
        if (destination.Length < scores.Length)
        {
            throw new ArgumentException("Destination is too short.", nameof(destination));
        }

        var x = Thresholds;
        var y = Values;
        var lookup = _lookup;
        var slopes = _slopes;
        var scale = _bucketScale;
        var hint = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            destination[i] = Interpolate(x, y, lookup, slopes, scale, scores[i], ref hint);
        }
    }

    private static (double[] Slopes, double BucketScale) BuildSlopes(double[] x, double[] y)
    {
        var last = x.Length - 1;
        var slopes = new double[Math.Max(0, last)];
        for (var j = 0; j < last; j++)
        {
            var slope = (y[j + 1] - y[j]) / (x[j + 1] - x[j]);
            slopes[j] = double.IsFinite(slope) && !double.IsNegative(y[j]) ? slope : double.NaN;
        }

        return (slopes, last > 0 ? LookupBuckets / (x[last] - x[0]) : 0);
    }

    /// <summary>
    /// <see cref="Calibrate(ReadOnlySpan{double}, Span{double})"/> for scores in no particular order: the same values,
    /// without trying the previous row's interval first (a guess that is right for sorted scores and mispredicted for
    /// shuffled ones).
    /// </summary>
    internal void CalibrateUnordered(ReadOnlySpan<double> scores, Span<double> destination)
    {
        if (destination.Length < scores.Length)
        {
            throw new ArgumentException("Destination is too short.", nameof(destination));
        }

        if (_lookup.Length > 0)
        {
            CalibrateRecords(scores, destination);
            return;
        }

        var lookup = Lookup;
        for (var i = 0; i < scores.Length; i++)
        {
            destination[i] = lookup.Calibrate(scores[i]);
        }
    }

    /// <summary>
    /// <see cref="IsotonicLookup.Calibrate"/> for rows strictly inside the thresholds with a plain slope, without
    /// bounds checks (every index is in range by construction: the bucket is clamped, lookup[] stays below last, the
    /// step cannot pass last as the score is below x[last]); other rows go through the general path.
    /// </summary>
    private void CalibrateRecords(ReadOnlySpan<double> scores, Span<double> destination)
    {
        var x = Thresholds;
        var first = x[0];
        var final = x[^1];
        var scale = _bucketScale;
        var general = Lookup;
        ref var next = ref MemoryMarshal.GetArrayDataReference(_bucketNext);
        ref var buckets = ref MemoryMarshal.GetArrayDataReference(_lookup);
        ref var intervals = ref MemoryMarshal.GetArrayDataReference(_intervals);
        for (var i = 0; i < scores.Length; i++)
        {
            var score = scores[i];
            if (score > first && score < final)
            {
                // In range by the test above, so the plain truncating conversion (no saturation) is exact here.
                var bucket = Sse2.IsSupported
                    ? Sse2.ConvertToInt32WithTruncation(Vector128.CreateScalarUnsafe(Math.Min((score - first) * scale, LookupBuckets - 1)))
                    : (int)Math.Min((score - first) * scale, LookupBuckets - 1);
                var j = Unsafe.Add(ref buckets, bucket);
                j += Unsafe.BitCast<bool, byte>(Unsafe.Add(ref next, bucket) <= score);
                ref readonly var interval = ref Unsafe.Add(ref intervals, j);
                if (interval.Left <= score && score < interval.Right && !double.IsNaN(interval.Slope))
                {
                    destination[i] = (interval.Slope * (score - interval.Left)) + interval.Value;
                    continue;
                }
            }

            destination[i] = CalibrateOutOfLine(general, score);
        }
    }

    // Out of line so that the rare general path's registers do not crowd the row loop's.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double CalibrateOutOfLine(IsotonicLookup lookup, double score) => lookup.Calibrate(score);

    private static double[] BuildBucketNext(double[] x, int[] lookup)
    {
        var next = new double[lookup.Length];
        for (var b = 0; b < lookup.Length; b++)
        {
            next[b] = x[lookup[b] + 1];
        }

        return next;
    }

    private static Interval[] BuildIntervals(double[] x, double[] y, double[] slopes)
    {
        var intervals = new Interval[slopes.Length];
        for (var j = 0; j < intervals.Length; j++)
        {
            intervals[j] = new Interval(x[j], x[j + 1], slopes[j], y[j]);
        }

        return intervals;
    }

    private readonly record struct Interval(double Left, double Right, double Slope, double Value);

    private static int[] BuildLookup(double[] x)
    {
        var last = x.Length - 1;
        if (last < 2)
        {
            return [];
        }

        var lookup = new int[LookupBuckets];
        var width = (x[last] - x[0]) / LookupBuckets;
        var j = 0;
        for (var b = 0; b < LookupBuckets; b++)
        {
            var edge = x[0] + (b * width);
            while (j + 1 < last && x[j + 1] <= edge)
            {
                j++;
            }

            lookup[b] = j;
        }

        return lookup;
    }

    /// <summary>The j with x[j] &lt;= score &lt; x[j + 1], for x[0] &lt; score &lt; x[last]: a bucket guess, a short walk, else bisection.</summary>
    private static int Locate(double[] x, int[] lookup, double scale, double score, int hint)
    {
        var last = x.Length - 1;
        if (hint >= 0)
        {
            if (hint < last && x[hint] <= score && score < x[hint + 1])
            {
                return hint;
            }

            if (hint + 1 < last && x[hint + 1] <= score && score < x[hint + 2])
            {
                return hint + 1;
            }
        }

        int lo = 0, hi = last;
        if (lookup.Length > 0)
        {
            // Only a starting guess: whatever bucket it gives, the interval is checked below (so rounding cannot matter).
            var bucket = (int)Math.Clamp((score - x[0]) * scale, 0, LookupBuckets - 1);
            var j = lookup[bucket];
            if (x[j] <= score)
            {
                for (var step = 0; step < 8; step++)
                {
                    if (score < x[j + 1])
                    {
                        return j;
                    }

                    j++;
                }

                lo = j;
            }
        }

        while (hi - lo > 1)
        {
            var mid = (lo + hi) >>> 1;
            if (x[mid] <= score)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>numpy <c>interp</c> after clipping; <paramref name="hint"/> is the last interval used (sorted inputs hit it).</summary>
    private static double Interpolate(double[] x, double[] y, int[] lookup, double[] slopes, double scale, double score, ref int hint)
    {
        if (double.IsNaN(score))
        {
            return double.NaN;
        }

        var last = x.Length - 1;
        if (score <= x[0])
        {
            return y[0];
        }

        if (score >= x[last])
        {
            return y[last];
        }

        // Find j with x[j] <= score < x[j + 1]; here 0 <= j < last.
        var j = Locate(x, lookup, scale, score, hint);
        hint = j;
        return InterpolateInterval(x, y, slopes, j, score);
    }

    /// <summary>
    /// numpy <c>interp</c> for x[0] &lt; <paramref name="score"/> &lt; x[last] found without a previous interval: the
    /// bucket's interval, stepped once without a branch (a score on a threshold usually lies one interval past its
    /// bucket's, and whether it does is as unpredictable as the scores), checked, else the general search.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double InterpolateInside(double[] x, double[] y, int[] lookup, double[] slopes, double scale, double score)
    {
        var j = 0;
        if (lookup.Length > 0)
        {
            j = lookup[(int)Math.Clamp((score - x[0]) * scale, 0, LookupBuckets - 1)];

            // lookup[] never exceeds last - 1, and score < x[last], so the step stays inside.
            j += Unsafe.BitCast<bool, byte>(x[j + 1] <= score);
            if (!(x[j] <= score && score < x[j + 1]))
            {
                j = Locate(x, lookup, scale, score, -1);
            }
        }

        return InterpolateInterval(x, y, slopes, j, score);
    }

    /// <summary>numpy <c>interp</c> on the interval j with x[j] &lt;= <paramref name="score"/> &lt; x[j + 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double InterpolateInterval(double[] x, double[] y, double[] slopes, int j, double score)
    {
        var plain = slopes[j];
        if (!double.IsNaN(plain))
        {
            // A finite slope and y[j] not -0: at score = x[j] this gives slope * 0 + y[j] = y[j] exactly, and never NaN,
            // so it is the general formula below without its branches.
            return (plain * (score - x[j])) + y[j];
        }

        return InterpolateSteep(x, y, j, score);
    }

    private static double InterpolateSteep(double[] x, double[] y, int j, double score)
    {
        if (x[j] == score)
        {
            return y[j];
        }

        var slope = (y[j + 1] - y[j]) / (x[j + 1] - x[j]);
        var result = (slope * (score - x[j])) + y[j];
        if (double.IsNaN(result))
        {
            // numpy's fallback for an infinite slope: interpolate from the right point.
            result = (slope * (score - x[j + 1])) + y[j + 1];
            if (double.IsNaN(result) && y[j] == y[j + 1])
            {
                result = y[j];
            }
        }

        return result;
    }

    /// <summary>
    /// scikit-learn's <c>_inplace_contiguous_isotonic_regression</c>: weighted PAV that pools each maximal
    /// non-increasing run at once and backtracks one block, O(n). On return <paramref name="y"/> holds the fit.
    /// </summary>
    private static void PoolAdjacentViolators(Span<double> y, Span<double> w)
    {
        var n = y.Length;

        // Blocks: if [i..j] is an active block then target[i] == j and target[j] == i.
        var target = new int[n];
        for (var t = 0; t < n; t++)
        {
            target[t] = t;
        }

        var i = 0;
        while (i < n)
        {
            var k = target[i] + 1;
            if (k == n)
            {
                break;
            }

            if (y[i] < y[k])
            {
                i = k;
                continue;
            }

            var sumWy = w[i] * y[i];
            var sumW = w[i];
            while (true)
            {
                var previousY = y[k];
                sumWy += w[k] * y[k];
                sumW += w[k];
                k = target[k] + 1;
                if (k == n || previousY < y[k])
                {
                    y[i] = sumWy / sumW;
                    w[i] = sumW;
                    target[i] = k - 1;
                    target[k - 1] = i;
                    if (i > 0)
                    {
                        i = target[i - 1];
                    }

                    break;
                }
            }
        }

        i = 0;
        while (i < n)
        {
            var k = target[i] + 1;
            y.Slice(i + 1, k - i - 1).Fill(y[i]);
            i = k;
        }
    }
}

/// <summary>
/// One calibrator's tables, calibrating one score at a time with the same result as
/// <see cref="IsotonicCalibrator.Calibrate(double)"/>, for shuffled scores: a bucket guess and one branch-free step.
/// </summary>
internal readonly struct IsotonicLookup
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly int[] _lookup;
    private readonly double[] _slopes;
    private readonly double _scale;

    public IsotonicLookup(double[] x, double[] y, int[] lookup, double[] slopes, double scale)
    {
        _x = x;
        _y = y;
        _lookup = lookup;
        _slopes = slopes;
        _scale = scale;
    }

    /// <summary>The calibrated value of <paramref name="score"/>; NaN gives NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Calibrate(double score)
    {
        if (double.IsNaN(score))
        {
            return double.NaN;
        }

        var x = _x;
        var last = x.Length - 1;
        if (score <= x[0])
        {
            return _y[0];
        }

        if (score >= x[last])
        {
            return _y[last];
        }

        return IsotonicCalibrator.InterpolateInside(x, _y, _lookup, _slopes, _scale, score);
    }
}
