using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Estimator.Numerics;

/// <summary>Whole-column checks and counts, several values at a time: these passes run once per period, serially.</summary>
internal static class SpanScan
{
    private static readonly uint AllLanes = (1u << Vector256<double>.Count) - 1;

    /// <summary>
    /// Counts the NaN values and finds the first other value outside [0, 1] (<paramref name="scores"/>) or not 0 or 1;
    /// returns its index, or −1 when there is none (then <paramref name="missing"/> is the NaN count).
    /// </summary>
    public static int CountMissingAndCheck(ReadOnlySpan<double> values, bool scores, out long missing)
    {
        missing = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            var zero = Vector256<double>.Zero;
            var one = Vector256<double>.One;
            for (; i <= values.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                var nan = ~Vector256.Equals(v, v);
                var ok = scores
                    ? Vector256.GreaterThanOrEqual(v, zero) & Vector256.LessThanOrEqual(v, one)
                    : Vector256.Equals(v, zero) | Vector256.Equals(v, one);
                if (Vector256.ExtractMostSignificantBits(ok | nan) != AllLanes)
                {
                    break;
                }

                missing += System.Numerics.BitOperations.PopCount(Vector256.ExtractMostSignificantBits(nan));
            }
        }

        for (; i < values.Length; i++)
        {
            var v = values[i];
            if (double.IsNaN(v))
            {
                missing++;
            }
            else if (scores ? !(v >= 0.0 && v <= 1.0) : !(v == 0.0 || v == 1.0))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Converts integers that must be 0 or 1 to doubles; returns the index of the first other value (the values
    /// before it are converted), or −1.
    /// </summary>
    public static int ConvertZeroOne(ReadOnlySpan<long> values, Span<double> destination)
    {
        if (destination.Length < values.Length)
        {
            throw new ArgumentException("Destination is too short.", nameof(destination));
        }

        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            ref var target = ref MemoryMarshal.GetReference(destination);
            var one = Vector256<long>.One;
            var oneBits = Vector256.Create(1.0).AsInt64();
            for (; i <= values.Length - Vector256<long>.Count; i += Vector256<long>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                var isOne = Vector256.Equals(v, one);
                if (Vector256.ExtractMostSignificantBits(isOne | Vector256.Equals(v, Vector256<long>.Zero)) != AllLanes)
                {
                    break;
                }

                // 1 becomes 1.0's bits, 0 becomes +0.0's: what the conversion gives.
                (isOne & oneBits).AsDouble().StoreUnsafe(ref target, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            var v = values[i];
            if (v is not (0 or 1))
            {
                return i;
            }

            destination[i] = v;
        }

        return -1;
    }
}
