namespace Estimator.Calibration;

/// <summary>
/// numpy's <c>interp</c> on an isotonic calibrator's points after clipping to [x[0], x[last]]: a score equal to a
/// threshold returns that threshold's value, NaN gives NaN, and an infinite slope falls back as numpy does. The bucket
/// index and slopes come from <see cref="IsotonicTables"/>; they choose where to look, never what is computed.
/// </summary>
internal static class IsotonicInterpolation
{
    /// <summary>Buckets of equal width over [first, last threshold]: the interval to start searching from.</summary>
    public const int LookupBuckets = 4096;

    /// <summary>numpy <c>interp</c> after clipping; <paramref name="hint"/> is the last interval used (sorted inputs hit it).</summary>
    public static double Interpolate(double[] x, double[] y, int[] lookup, double[] slopes, double scale, double score, ref int hint)
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
    public static double InterpolateInside(double[] x, double[] y, int[] lookup, double[] slopes, double scale, double score)
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
}
