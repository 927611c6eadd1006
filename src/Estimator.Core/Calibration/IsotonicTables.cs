using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Estimator.Calibration;

/// <summary>
/// The tables an <see cref="IsotonicCalibrator"/> calibrates with, built once from its fitted points: a bucket index
/// over the thresholds, each interval's slope, and interval records for the shuffled-row loop. They only speed the
/// search for a score's interval up; every value is numpy's <c>interp</c> (<see cref="IsotonicInterpolation"/>).
/// </summary>
internal sealed class IsotonicTables
{
    private readonly double[] _x;
    private readonly double[] _y;

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

    /// <summary>Builds the tables over valid fitted points (<paramref name="x"/> strictly increasing, at least one); keeps the arrays.</summary>
    public IsotonicTables(double[] x, double[] y)
    {
        _x = x;
        _y = y;
        _lookup = BuildLookup(x);
        (_slopes, _bucketScale) = BuildSlopes(x, y);
        _intervals = BuildIntervals(x, y, _slopes);
        _bucketNext = BuildBucketNext(x, _lookup);
    }

    /// <summary>The tables as one value, for a row loop that calibrates rows in no particular order.</summary>
    public IsotonicLookup Lookup => new(_x, _y, _lookup, _slopes, _bucketScale);

    /// <summary>The calibrated value of one score; NaN gives NaN.</summary>
    public double Calibrate(double score)
    {
        var hint = 0;
        return IsotonicInterpolation.Interpolate(_x, _y, _lookup, _slopes, _bucketScale, score, ref hint);
    }

    /// <summary>Calibrates scores, trying the previous row's interval first (right for sorted scores); destination is long enough.</summary>
    public void CalibrateSorted(ReadOnlySpan<double> scores, Span<double> destination)
    {
        var x = _x;
        var y = _y;
        var lookup = _lookup;
        var slopes = _slopes;
        var scale = _bucketScale;
        var hint = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            destination[i] = IsotonicInterpolation.Interpolate(x, y, lookup, slopes, scale, scores[i], ref hint);
        }
    }

    /// <summary>Calibrates scores in no particular order: a bucket guess per row; destination is long enough.</summary>
    public void CalibrateUnordered(ReadOnlySpan<double> scores, Span<double> destination)
    {
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
        var x = _x;
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
                    ? Sse2.ConvertToInt32WithTruncation(Vector128.CreateScalarUnsafe(Math.Min((score - first) * scale, IsotonicInterpolation.LookupBuckets - 1)))
                    : (int)Math.Min((score - first) * scale, IsotonicInterpolation.LookupBuckets - 1);
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

    private static int[] BuildLookup(double[] x)
    {
        var last = x.Length - 1;
        if (last < 2)
        {
            return [];
        }

        const int buckets = IsotonicInterpolation.LookupBuckets;
        var lookup = new int[buckets];
        var width = (x[last] - x[0]) / buckets;
        var j = 0;
        for (var b = 0; b < buckets; b++)
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

    private static (double[] Slopes, double BucketScale) BuildSlopes(double[] x, double[] y)
    {
        var last = x.Length - 1;
        var slopes = new double[Math.Max(0, last)];
        for (var j = 0; j < last; j++)
        {
            var slope = (y[j + 1] - y[j]) / (x[j + 1] - x[j]);
            slopes[j] = double.IsFinite(slope) && !double.IsNegative(y[j]) ? slope : double.NaN;
        }

        return (slopes, last > 0 ? IsotonicInterpolation.LookupBuckets / (x[last] - x[0]) : 0);
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

    private static double[] BuildBucketNext(double[] x, int[] lookup)
    {
        var next = new double[lookup.Length];
        for (var b = 0; b < lookup.Length; b++)
        {
            next[b] = x[lookup[b] + 1];
        }

        return next;
    }

    private readonly record struct Interval(double Left, double Right, double Slope, double Value);
}
