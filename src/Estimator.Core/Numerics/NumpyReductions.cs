namespace Estimator.Numerics;

/// <summary>
/// numpy's reductions and grids in numpy's own order of operations, so values computed from them match NannyML's to
/// the last bits rather than to a summation error: <c>np.sum</c>/<c>np.mean</c>/<c>np.std</c> sum pairwise,
/// <c>np.cumsum</c> sums left to right, <c>np.linspace</c> scales an index by a step.
/// </summary>
internal static class NumpyReductions
{
    // numpy's PW_BLOCKSIZE: blocks up to this size are summed with eight accumulators, larger ones are halved.
    private const int BlockSize = 128;

    /// <summary><c>np.sum</c> of a contiguous float64 array: numpy's pairwise summation.</summary>
    public static double Sum(ReadOnlySpan<double> values)
    {
        var n = values.Length;
        if (n < 8)
        {
            var res = 0.0;
            for (var i = 0; i < n; i++)
            {
                res += values[i];
            }

            return res;
        }

        if (n <= BlockSize)
        {
            double r0 = values[0], r1 = values[1], r2 = values[2], r3 = values[3];
            double r4 = values[4], r5 = values[5], r6 = values[6], r7 = values[7];
            var i = 8;
            for (; i < n - (n % 8); i += 8)
            {
                r0 += values[i];
                r1 += values[i + 1];
                r2 += values[i + 2];
                r3 += values[i + 3];
                r4 += values[i + 4];
                r5 += values[i + 5];
                r6 += values[i + 6];
                r7 += values[i + 7];
            }

            var res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++)
            {
                res += values[i];
            }

            return res;
        }

        var half = n / 2;
        half -= half % 8;
        return Sum(values[..half]) + Sum(values[half..]);
    }

    /// <summary><c>np.mean</c>: the pairwise sum divided by the count (NaN when empty).</summary>
    public static double Mean(ReadOnlySpan<double> values) => values.IsEmpty ? double.NaN : Sum(values) / values.Length;

    /// <summary><c>np.std</c> with <c>ddof</c>: square root of the pairwise sum of squared deviations over n − ddof.</summary>
    public static double Std(ReadOnlySpan<double> values, int ddof = 0)
    {
        if (values.Length - ddof <= 0)
        {
            return double.NaN;
        }

        var mean = Mean(values);
        var squares = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var d = values[i] - mean;
            squares[i] = d * d;
        }

        return Math.Sqrt(Sum(squares) / (values.Length - ddof));
    }

    /// <summary><c>np.linspace(start, stop, num)</c> with the end point: <c>i·step + start</c>, the last value exactly <paramref name="stop"/>.</summary>
    public static double[] Linspace(double start, double stop, int num)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(num);
        var result = new double[num];
        var div = num - 1;
        var delta = stop - start;
        if (div == 0)
        {
            result[0] = start;
            return result;
        }

        var step = delta / div;
        for (var i = 0; i < num; i++)
        {
            // numpy falls back to (i / div) · delta when the step underflows to zero.
            result[i] = step == 0 ? ((i / (double)div) * delta) + start : (i * step) + start;
        }

        result[^1] = stop;
        return result;
    }
}
