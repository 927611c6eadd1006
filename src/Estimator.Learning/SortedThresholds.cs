using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Estimator.Learning;

/// <summary>
/// One feature's split thresholds, sorted and distinct, and the count of them a value fails (those below it). With
/// 512-bit vectors the count is two vector compares: the thresholds are laid out in blocks of 16, padded with +∞
/// (which no value other than NaN exceeds), one compare of the value against every block's last threshold counts the
/// blocks wholly below it and one compare inside the next block finishes the count; no data-dependent branch, where
/// a binary search over FastTree's up to 255 bins costs about eight mispredicted branches.
/// </summary>
internal sealed class SortedThresholds
{
    private const int Block = 16;

    private readonly float[] _values;
    private readonly float[] _padded;
    private readonly float[] _blockLasts;

    /// <summary>Takes <paramref name="values"/>, which must be sorted ascending and distinct.</summary>
    public SortedThresholds(float[] values)
    {
        _values = values;
        var blocks = (values.Length / Block) + 1;
        _padded = new float[blocks * Block];
        Array.Fill(_padded, float.PositiveInfinity);
        values.CopyTo(_padded, 0);
        _blockLasts = new float[((blocks + Block - 1) / Block) * Block];
        Array.Fill(_blockLasts, float.PositiveInfinity);
        for (var b = 0; b < blocks; b++)
        {
            _blockLasts[b] = _padded[(b * Block) + Block - 1];
        }
    }

    /// <summary>The thresholds, ascending.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>How many thresholds a split test <c>value ≤ threshold</c> fails: those below the value, or all for NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Position(float value)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            return PositionBySearch(_values, value);
        }

        if (float.IsNaN(value))
        {
            return _values.Length;
        }

        var broadcast = Vector512.Create(value);
        ref var lasts = ref MemoryMarshal.GetArrayDataReference(_blockLasts);
        var below = 0;
        for (var b = 0; b < _blockLasts.Length; b += Block)
        {
            below += BitOperations.PopCount(Vector512.LessThan(Vector512.LoadUnsafe(ref lasts, (nuint)b), broadcast).ExtractMostSignificantBits());
        }

        // The block holding the first threshold ≥ value exists: the last block ends with +∞ padding.
        var block = Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_padded), (nuint)(below * Block));
        return (below * Block) + BitOperations.PopCount(Vector512.LessThan(block, broadcast).ExtractMostSignificantBits());
    }

    /// <summary>The same count by a branch-free binary search (without 512-bit vectors, and the tests' reference).</summary>
    public static int PositionBySearch(ReadOnlySpan<float> sorted, float value)
    {
        if (float.IsNaN(value))
        {
            return sorted.Length;
        }

        var n = sorted.Length;
        if (n == 0)
        {
            return 0;
        }

        // Lower bound: the first threshold ≥ value.
        ref var first = ref MemoryMarshal.GetReference(sorted);
        var start = 0;
        while (n > 1)
        {
            var half = n >> 1;
            start += Unsafe.Add(ref first, start + half) < value ? half : 0;
            n -= half;
        }

        return start + (Unsafe.Add(ref first, start) < value ? 1 : 0);
    }
}
