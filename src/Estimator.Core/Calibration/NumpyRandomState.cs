using System.Numerics;
using System.Runtime.Intrinsics;

namespace Estimator.Calibration;

/// <summary>
/// numpy's legacy <c>RandomState(seed)</c>: MT19937 seeded through <c>init_genrand</c> (the 32-bit integer seed
/// path), with the legacy <c>random_interval</c>, <c>shuffle</c> and <c>permutation</c> built on it.
/// </summary>
/// <remarks>
/// Exists to draw scikit-learn's <c>StratifiedShuffleSplit(random_state=42)</c> splits bit for bit (spec §2.2.1).
/// Not thread-safe.
/// </remarks>
internal sealed class NumpyRandomState
{
    private const int StateLength = 624;
    private const int Shift = 397;
    private const uint MatrixA = 0x9908b0dfU;
    private const uint UpperMask = 0x80000000U;
    private const uint LowerMask = 0x7fffffffU;

    private readonly uint[] _state = new uint[StateLength];

    // Tempered outputs of the current state block, produced 624 at a time (cheaper than tempering per call).
    private readonly uint[] _output = new uint[StateLength];
    private int _position;

    /// <summary>Seeds the generator as <c>np.random.RandomState(seed)</c> does for an integer seed.</summary>
    public NumpyRandomState(uint seed)
    {
        unchecked
        {
            _state[0] = seed;
            for (var i = 1; i < StateLength; i++)
            {
                var previous = _state[i - 1];
                _state[i] = (1812433253U * (previous ^ (previous >> 30))) + (uint)i;
            }
        }

        _position = StateLength;
    }

    /// <summary>The next tempered 32-bit MT19937 output.</summary>
    public uint NextUInt32()
    {
        if (_position >= StateLength)
        {
            Twist();
        }

        return _output[_position++];
    }

    /// <summary>
    /// A uniform integer in <c>[0, max]</c> by mask rejection, as numpy's legacy <c>random_interval</c>:
    /// mask = smallest 2^k − 1 ≥ max; draw until <c>(draw &amp; mask) &lt;= max</c>.
    /// </summary>
    public ulong RandomInterval(ulong max)
    {
        if (max == 0)
        {
            return 0;
        }

        var mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;

        ulong value;
        if (max <= uint.MaxValue)
        {
            while ((value = NextUInt32() & mask) > max)
            {
            }
        }
        else
        {
            while ((value = NextUInt64() & mask) > max)
            {
            }
        }

        return value;
    }

    /// <summary>numpy's legacy in-place shuffle: for i = n−1 down to 1, swap a[i] with a[random_interval(i)].</summary>
    public void Shuffle(Span<int> values) => ShuffleTail(values, values.Length);

    /// <summary>
    /// Advances the generator exactly as <see cref="Shuffle"/> on an array of <paramref name="length"/> would,
    /// without an array (the draws do not depend on the contents).
    /// </summary>
    public void SkipShuffle(int length) => SkipIntervals(length - 1, 1);

    /// <summary>
    /// The first <paramref name="steps"/> swaps of <see cref="Shuffle"/> (i = n−1 down to n−steps), which fix the last
    /// <paramref name="steps"/> positions for good; the generator is left where the full shuffle would be only after
    /// <see cref="SkipIntervals"/>(n − steps − 1, 1).
    /// </summary>
    /// <remarks>
    /// The swap targets are drawn a block at a time first (a branch-free pass over the outputs), so the swaps' scattered
    /// reads do not wait on the generator and the rejections cost no mispredicted branch.
    /// </remarks>
    public void ShuffleTail(Span<int> values, int steps)
    {
        var n = values.Length;
        var stop = Math.Max(n - steps, 1);
        Span<uint> targets = stackalloc uint[SwapBlock];
        for (var high = n - 1; high >= stop; high -= SwapBlock)
        {
            var low = Math.Max(stop, high - SwapBlock + 1);
            var block = targets[..(high - low + 1)];
            DrawIntervals((uint)high, (uint)low, block);
            var i = high;
            foreach (var j in block)
            {
                (values[i], values[(int)j]) = (values[(int)j], values[i]);
                i--;
            }
        }
    }

    private const int SwapBlock = 1024;

    /// <summary>destination[k] = random_interval(high − k) for k = 0 … high − low (low ≥ 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DrawIntervals(uint high, uint low, Span<uint> destination)
    {
        var i = high;
        var count = 0;
        var output = _output;
        var position = _position;
        while (i >= low)
        {
            var mask = MaskFor(i);
            var segmentLow = Math.Max(low, (mask >> 1) + 1);
            while (i >= segmentLow)
            {
                if (position >= StateLength)
                {
                    Twist();
                    position = 0;
                }

                while (position < StateLength && i >= segmentLow)
                {
                    // Written whether or not it is accepted; a rejected value is overwritten by the next one.
                    var value = output[position++] & mask;
                    destination[count] = value;
                    var accepted = value <= i ? 1 : 0;
                    count += accepted;
                    i -= (uint)accepted;
                }
            }
        }

        _position = position;
    }

    /// <summary>
    /// Advances the generator as <c>random_interval(i)</c> for i = <paramref name="high"/> down to
    /// <paramref name="low"/> (≥ 1) would, values discarded.
    /// </summary>
    /// <remarks>
    /// The stratified splits skip ~18 M of these per fit, so this is the calibration check's critical path: between two
    /// powers of two the mask is fixed, and an output is accepted (the next i) when <c>(output &amp; mask) &lt;= i</c>,
    /// a branch-free step over the block of tempered outputs.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SkipIntervals(int high, int low)
    {
        low = Math.Max(low, 1);
        if (high < low)
        {
            return;
        }

        var i = (uint)high;
        var output = _output;
        var position = _position;
        while (i >= (uint)low)
        {
            var mask = MaskFor(i);
            var segmentLow = Math.Max((uint)low, (mask >> 1) + 1);
            while (i >= segmentLow)
            {
                if (position >= StateLength)
                {
                    Twist();
                    position = 0;
                }

                if (Vector512.IsHardwareAccelerated)
                {
                    // As below, sixteen at a time: the batches' only dependency is i, so wider batches run faster.
                    var masks = Vector512.Create(mask);
                    while (position + WideLanes <= StateLength && i >= segmentLow + WideLanes)
                    {
                        var values = Vector512.Create<uint>(output.AsSpan(position)) & masks;
                        var sure = Vector512.Create(i - (WideLanes - 1));
                        if ((Vector512.GreaterThan(values, sure) & Vector512.LessThanOrEqual(values, Vector512.Create(i))) != Vector512<uint>.Zero)
                        {
                            break;
                        }

                        i -= (uint)BitOperations.PopCount(Vector512.LessThanOrEqual(values, sure).ExtractMostSignificantBits());
                        position += WideLanes;
                    }
                }
                else if (Vector256.IsHardwareAccelerated)
                {
                    // Eight outputs at once: i falls by at most 7 before the batch's last output is tested, so an
                    // output ≤ i − 7 is accepted and one > i rejected whatever came before it; only a value in
                    // (i − 7, i], a chance of about 8/mask, sends the batch to the exact loop below.
                    var masks = Vector256.Create(mask);
                    while (position + Lanes <= StateLength && i >= segmentLow + Lanes)
                    {
                        var values = Vector256.Create<uint>(output.AsSpan(position)) & masks;
                        var sure = Vector256.Create(i - (Lanes - 1));
                        if ((Vector256.GreaterThan(values, sure) & Vector256.LessThanOrEqual(values, Vector256.Create(i))) != Vector256<uint>.Zero)
                        {
                            break;
                        }

                        i -= (uint)BitOperations.PopCount(Vector256.LessThanOrEqual(values, sure).ExtractMostSignificantBits());
                        position += Lanes;
                    }
                }

                for (var step = 0; step < WideLanes && position < StateLength && i >= segmentLow; step++)
                {
                    var accepted = (output[position++] & mask) <= i;
                    i -= accepted ? 1U : 0U;
                }
            }
        }

        _position = position;
    }

    /// <summary><c>permutation(n)</c>: a shuffle of 0..n−1.</summary>
    public int[] Permutation(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var result = new int[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = i;
        }

        Shuffle(result);
        return result;
    }

    private static uint MaskFor(uint max)
    {
        var mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        return mask;
    }

    private ulong NextUInt64()
    {
        // numpy's legacy MT19937 next_uint64: high word first.
        ulong high = NextUInt32();
        return (high << 32) | NextUInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Twist()
    {
        var mt = _state;
        var k = 0;

        // Lanes only read words the scalar recurrence would read before writing them: k + 1 … k + 8 are not yet
        // rewritten, k + 397 … stays below 624 in the first loop, k − 227 … was rewritten at least 8 steps earlier.
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + Lanes <= StateLength - Shift - 3; k += Lanes)
            {
                var next = Twisted(Vector256.Create<uint>(mt.AsSpan(k)), Vector256.Create<uint>(mt.AsSpan(k + 1)));
                (Vector256.Create<uint>(mt.AsSpan(k + Shift)) ^ next).CopyTo(mt.AsSpan(k));
            }
        }

        for (; k < StateLength - Shift; k++)
        {
            mt[k] = mt[k + Shift] ^ Twisted(mt[k], mt[k + 1]);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + Lanes < StateLength; k += Lanes)
            {
                var next = Twisted(Vector256.Create<uint>(mt.AsSpan(k)), Vector256.Create<uint>(mt.AsSpan(k + 1)));
                (Vector256.Create<uint>(mt.AsSpan(k + Shift - StateLength)) ^ next).CopyTo(mt.AsSpan(k));
            }
        }

        for (; k < StateLength - 1; k++)
        {
            mt[k] = mt[k + Shift - StateLength] ^ Twisted(mt[k], mt[k + 1]);
        }

        mt[StateLength - 1] = mt[Shift - 1] ^ Twisted(mt[StateLength - 1], mt[0]);

        var output = _output;
        k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + Lanes <= StateLength; k += Lanes)
            {
                Tempered(Vector256.Create<uint>(mt.AsSpan(k))).CopyTo(output.AsSpan(k));
            }
        }

        for (; k < StateLength; k++)
        {
            output[k] = Tempered(mt[k]);
        }

        _position = 0;
    }

    private const int Lanes = 8;
    private const int WideLanes = 16;

    // Branch-free: the low bit of y is a coin flip, so a conditional here was a mispredicted branch per output.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Twisted(uint current, uint next)
    {
        var y = (current & UpperMask) | (next & LowerMask);
        return (y >> 1) ^ ((0U - (y & 1U)) & MatrixA);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Twisted(Vector256<uint> current, Vector256<uint> next)
    {
        var y = (current & Vector256.Create(UpperMask)) | (next & Vector256.Create(LowerMask));
        return Vector256.ShiftRightLogical(y, 1) ^ ((Vector256<uint>.Zero - (y & Vector256<uint>.One)) & Vector256.Create(MatrixA));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Tempered(uint t)
    {
        t ^= t >> 11;
        t ^= (t << 7) & 0x9d2c5680U;
        t ^= (t << 15) & 0xefc60000U;
        t ^= t >> 18;
        return t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Tempered(Vector256<uint> t)
    {
        t ^= Vector256.ShiftRightLogical(t, 11);
        t ^= Vector256.ShiftLeft(t, 7) & Vector256.Create(0x9d2c5680U);
        t ^= Vector256.ShiftLeft(t, 15) & Vector256.Create(0xefc60000U);
        t ^= Vector256.ShiftRightLogical(t, 18);
        return t;
    }
}
