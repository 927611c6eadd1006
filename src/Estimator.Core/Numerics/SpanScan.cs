using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Estimator.Numerics;

/// <summary>Whole-column checks and counts, several values at a time: these passes run once per period, serially.</summary>
internal static class SpanScan
{
    private static readonly uint AllLanes = (1u << Vector256<double>.Count) - 1;

    /// <summary>Index of the first value that is neither NaN nor in [0, 1] (infinities are outside), or −1.</summary>
    public static int FirstOutsideUnitInterval(ReadOnlySpan<double> values)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            var zero = Vector256<double>.Zero;
            var one = Vector256<double>.One;
            for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                var ok = (Vector256.GreaterThanOrEqual(v, zero) & Vector256.LessThanOrEqual(v, one)) | ~Vector256.Equals(v, v);
                if (Vector256.ExtractMostSignificantBits(ok) != AllLanes)
                {
                    break; // the scalar loop below finds which
                }
            }
        }

        for (; i < values.Length; i++)
        {
            var v = values[i];
            if (!double.IsNaN(v) && (v < 0 || v > 1 || double.IsInfinity(v)))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Index of the first value that is neither NaN, 0 nor 1, or −1.</summary>
    public static int FirstNonLabel(ReadOnlySpan<double> values)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            var zero = Vector256<double>.Zero;
            var one = Vector256<double>.One;
            for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                var ok = Vector256.Equals(v, zero) | Vector256.Equals(v, one) | ~Vector256.Equals(v, v);
                if (Vector256.ExtractMostSignificantBits(ok) != AllLanes)
                {
                    break;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            var v = values[i];
            if (!double.IsNaN(v) && v != 0 && v != 1)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>How many values are NaN.</summary>
    public static long CountNaN(ReadOnlySpan<double> values)
    {
        long count = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                count += System.Numerics.BitOperations.PopCount(Vector256.ExtractMostSignificantBits(~Vector256.Equals(v, v)));
            }
        }

        for (; i < values.Length; i++)
        {
            count += double.IsNaN(values[i]) ? 1 : 0;
        }

        return count;
    }
}
