using System.Buffers;

namespace Estimator.Numerics;

/// <summary>
/// LSD radix sort of doubles (keys only, ascending, 11-bit digits, constant digits skipped). For sorts whose tie order
/// cannot matter: equal keys are indistinguishable here, so the output equals any other ascending sort's bit for bit
/// (with −0 ordered before +0). Not for the places that replay numpy's tie order (<see cref="NumpyArgsort"/>).
/// </summary>
internal static class RadixSort
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;

    /// <summary>Digits per key, and the length of the digit counts <see cref="SortCounted(Span{ulong}, Span{ulong}, Span{int})"/> takes (Passes × 2048).</summary>
    internal const int Passes = 6;

    /// <summary>Length of the digit counts of <see cref="CountDigits"/>.</summary>
    internal const int CountsLength = Passes * Buckets;

    /// <summary>At or below this many keys a comparison sort is faster than six radix passes.</summary>
    internal const int SmallSort = 256;

    /// <summary>Sorts <paramref name="keys"/> ascending; <paramref name="scratch"/> must be as long. No NaN.</summary>
    public static void Sort(Span<double> keys, Span<double> scratch)
    {
        var n = keys.Length;
        if (n <= SmallSort)
        {
            keys.Sort();
            return;
        }

        if (scratch.Length < n)
        {
            throw new ArgumentException("Scratch is shorter than the keys.", nameof(scratch));
        }

        var source = System.Runtime.InteropServices.MemoryMarshal.Cast<double, ulong>(keys);
        var target = System.Runtime.InteropServices.MemoryMarshal.Cast<double, ulong>(scratch[..n]);

        var rented = ArrayPool<int>.Shared.Rent(CountsLength);
        try
        {
            SortEncoded(source, target, rented.AsSpan(0, CountsLength));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    private static void SortEncoded(Span<ulong> source, Span<ulong> target, Span<int> counts)
    {
        EncodeAndCount(source, counts);
        if (!SortCounted(source, target, counts))
        {
            target.CopyTo(source);
        }

        Decode(source);
    }

    /// <summary>Maps doubles' bits to order-preserving unsigned keys in place, counting every digit in the same pass.</summary>
    private static void EncodeAndCount(Span<ulong> keys, Span<int> counts)
    {
        counts.Clear();
        for (var i = 0; i < keys.Length; i++)
        {
            var u = Encode(keys[i]);
            keys[i] = u;
            CountDigits(u, counts);
        }
    }

    private static void Decode(Span<ulong> keys)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = Decode(keys[i]);
        }
    }

    /// <summary>Adds the digits of one encoded key to <paramref name="counts"/> (<see cref="CountsLength"/> long).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CountDigits(ulong key, Span<int> counts)
    {
        counts[(int)(key & (Buckets - 1))]++;
        counts[Buckets + (int)((key >> DigitBits) & (Buckets - 1))]++;
        counts[(2 * Buckets) + (int)((key >> (2 * DigitBits)) & (Buckets - 1))]++;
        counts[(3 * Buckets) + (int)((key >> (3 * DigitBits)) & (Buckets - 1))]++;
        counts[(4 * Buckets) + (int)((key >> (4 * DigitBits)) & (Buckets - 1))]++;
        counts[(5 * Buckets) + (int)(key >> (5 * DigitBits))]++;
    }

    /// <summary>
    /// Sorts encoded keys (see <see cref="Encode"/>) whose digits <paramref name="counts"/> holds (from
    /// <see cref="CountDigits"/>; overwritten). Returns true when the sorted keys end in <paramref name="source"/>,
    /// false when they end in <paramref name="target"/> (as long as the keys).
    /// </summary>
    internal static bool SortCounted(Span<ulong> source, Span<ulong> target, Span<int> counts) => SortCounted(source, target, [], [], counts);

    /// <summary>
    /// <see cref="SortCounted(Span{ulong}, Span{ulong}, Span{int})"/> moving <paramref name="rows"/> with the keys (into
    /// <paramref name="rowTarget"/> and back, as the keys move); empty rows sort the keys alone.
    /// </summary>
    private static bool SortCounted(Span<ulong> source, Span<ulong> target, Span<int> rows, Span<int> rowTarget, Span<int> counts)
    {
        var n = source.Length;
        if (n == 0)
        {
            return true;
        }

        var withRows = !rows.IsEmpty;
        var inSource = true;
        for (var p = 0; p < Passes; p++)
        {
            var histogram = counts.Slice(p * Buckets, Buckets);
            var shift = p * DigitBits;
            var from = inSource ? source : target;
            var to = inSource ? target : source;
            if (histogram[(int)((from[0] >> shift) & (Buckets - 1))] == n)
            {
                continue; // every key has the same digit here
            }

            var offset = 0;
            for (var b = 0; b < Buckets; b++)
            {
                var c = histogram[b];
                histogram[b] = offset;
                offset += c;
            }

            if (withRows)
            {
                var fromRows = inSource ? rows : rowTarget;
                var toRows = inSource ? rowTarget : rows;
                for (var i = 0; i < n; i++)
                {
                    var u = from[i];
                    var slot = histogram[(int)((u >> shift) & (Buckets - 1))]++;
                    to[slot] = u;
                    toRows[slot] = fromRows[i];
                }
            }
            else
            {
                for (var i = 0; i < n; i++)
                {
                    var u = from[i];
                    to[histogram[(int)((u >> shift) & (Buckets - 1))]++] = u;
                }
            }

            inSource = !inSource;
        }

        return inSource;
    }

    /// <summary>
    /// Sorts <paramref name="keys"/> ascending and moves <paramref name="rows"/> with them (stable: equal keys keep their
    /// rows' input order). The scratch spans must be as long as the keys. No NaN.
    /// </summary>
    public static void SortWithRows(Span<double> keys, Span<int> rows, Span<double> keyScratch, Span<int> rowScratch)
    {
        var n = keys.Length;
        if (rows.Length != n || keyScratch.Length < n || rowScratch.Length < n)
        {
            throw new ArgumentException("Rows and scratch must be as long as the keys.", nameof(rows));
        }

        if (n < 2)
        {
            return;
        }

        var source = System.Runtime.InteropServices.MemoryMarshal.Cast<double, ulong>(keys);
        var target = System.Runtime.InteropServices.MemoryMarshal.Cast<double, ulong>(keyScratch[..n]);
        var counts = ArrayPool<int>.Shared.Rent(CountsLength);
        try
        {
            var histograms = counts.AsSpan(0, CountsLength);
            EncodeAndCount(source, histograms);
            if (!SortCounted(source, target, rows, rowScratch[..n], histograms))
            {
                target.CopyTo(source);
                rowScratch[..n].CopyTo(rows);
            }

            Decode(source);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>The bits of a double as an unsigned key in the same order (−0 before +0; no NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Encode(ulong bits) => (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;

    /// <summary>The bits of the double <see cref="Encode"/> made <paramref name="key"/> from.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Decode(ulong key) => (key & 0x8000_0000_0000_0000UL) != 0 ? key & 0x7FFF_FFFF_FFFF_FFFFUL : ~key;
}
