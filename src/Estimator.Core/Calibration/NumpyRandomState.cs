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
    public void Shuffle(Span<int> values)
    {
        // random_interval(i) inlined; the mask (smallest 2^k − 1 ≥ i) only shrinks as i falls.
        var mask = MaskFor((uint)Math.Max(values.Length - 1, 0));
        for (var i = values.Length - 1; i > 0; i--)
        {
            var max = (uint)i;
            while ((mask >> 1) >= max)
            {
                mask >>= 1;
            }

            uint j;
            while ((j = NextUInt32() & mask) > max)
            {
            }

            (values[i], values[(int)j]) = (values[(int)j], values[i]);
        }
    }

    /// <summary>
    /// Advances the generator exactly as <see cref="Shuffle"/> on an array of <paramref name="length"/> would,
    /// without an array (the draws do not depend on the contents).
    /// </summary>
    public void SkipShuffle(int length)
    {
        var mask = MaskFor((uint)Math.Max(length - 1, 0));
        for (var i = length - 1; i > 0; i--)
        {
            var max = (uint)i;
            while ((mask >> 1) >= max)
            {
                mask >>= 1;
            }

            while ((NextUInt32() & mask) > max)
            {
            }
        }
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

    private void Twist()
    {
        var mt = _state;
        int k;
        uint y;
        for (k = 0; k < StateLength - Shift; k++)
        {
            y = (mt[k] & UpperMask) | (mt[k + 1] & LowerMask);
            mt[k] = mt[k + Shift] ^ (y >> 1) ^ ((y & 1U) == 0 ? 0U : MatrixA);
        }

        for (; k < StateLength - 1; k++)
        {
            y = (mt[k] & UpperMask) | (mt[k + 1] & LowerMask);
            mt[k] = mt[k + Shift - StateLength] ^ (y >> 1) ^ ((y & 1U) == 0 ? 0U : MatrixA);
        }

        y = (mt[StateLength - 1] & UpperMask) | (mt[0] & LowerMask);
        mt[StateLength - 1] = mt[Shift - 1] ^ (y >> 1) ^ ((y & 1U) == 0 ? 0U : MatrixA);

        var output = _output;
        for (k = 0; k < output.Length && k < mt.Length; k++)
        {
            var t = mt[k];
            t ^= t >> 11;
            t ^= (t << 7) & 0x9d2c5680U;
            t ^= (t << 15) & 0xefc60000U;
            t ^= t >> 18;
            output[k] = t;
        }

        _position = 0;
    }
}
