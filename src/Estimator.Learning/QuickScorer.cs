using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Estimator.Learning;

/// <summary>
/// Scores a tree ensemble without walking the trees (QuickScorer, Lucchese et al., SIGIR 2015): each tree's leaves are
/// bits of a 64-bit word in left-to-right order, and every split whose test fails (value &gt; threshold, or NaN) clears
/// the bits of its left subtree; the leftmost bit left standing is the exit leaf. The failing splits of a feature are
/// those whose threshold lies below the row's value, so after sorting each feature's thresholds the cleared bits of
/// every tree are precomputed for each position among them: a row costs, per feature used, one count of thresholds below
/// its value (<see cref="SortedThresholds"/>) and one AND over a word per tree, with no data-dependent branch. Leaf values are then summed in tree order in double, as
/// the tree walk sums them, so the scores are bit for bit the walk's (and ML.NET's).
/// </summary>
internal sealed class QuickScorer
{
    // Rows scored together: their sums over the trees are independent chains the CPU overlaps.
    private const int RowGroup = 4;

    // A table larger than this (128 MiB: many trees times many distinct thresholds) would cost more memory than the walk
    // costs time; the walk is used then.
    private const long MaximumTableWords = 16L << 20;

    private readonly int _trees;
    private readonly int _paddedTrees;
    private readonly int _leafStride;
    private readonly double[] _values;
    private readonly int[] _features;
    private readonly SortedThresholds[] _thresholds;
    private readonly ulong[] _masks;
    private readonly int[] _tableStarts;
    private readonly double _bias;

    private QuickScorer(int trees, int leafStride, double[] values, int[] features, SortedThresholds[] thresholds, ulong[][] masks, double bias)
    {
        _trees = trees;
        _paddedTrees = PaddedTrees(trees);
        _leafStride = leafStride;
        _values = values;
        _features = features;
        _thresholds = thresholds;
        _tableStarts = new int[masks.Length];
        var words = 0;
        for (var i = 0; i < masks.Length; i++)
        {
            _tableStarts[i] = words;
            words += masks[i].Length;
        }

        // One flat table, so the inner loop indexes a single array.
        _masks = new ulong[words];
        for (var i = 0; i < masks.Length; i++)
        {
            masks[i].CopyTo(_masks, _tableStarts[i]);
        }

        _bias = bias;
    }

    /// <summary>The scorer of <paramref name="trees"/>, or null when a tree has more than 64 leaves or the tables would be too large.</summary>
    public static QuickScorer? TryCreate(IReadOnlyList<TreeEnsemble.Tree> trees, double bias)
    {
        var count = trees.Count;
        var stride = 1;
        foreach (var tree in trees)
        {
            if (tree.Leaf.Length > 64)
            {
                return null;
            }

            stride = Math.Max(stride, tree.Leaf.Length);
        }

        // Leaf values in left-to-right order, each multiplied by its tree's weight as the walk multiplies it; and per
        // split, the bits of its left subtree.
        var values = new double[count * stride];
        var splits = new List<(int Feature, float Threshold, int Tree, ulong Clear)>();
        for (var t = 0; t < count; t++)
        {
            var tree = trees[t];
            if (tree.Left.Length == 0)
            {
                values[t * stride] = tree.Weight * tree.Leaf[0];
                continue;
            }

            var position = 0;
            Visit(tree, t, 0, ref position, values.AsSpan(t * stride, stride), splits);
        }

        var features = splits.Select(s => s.Feature).Distinct().Order().ToArray();
        var padded = PaddedTrees(count);
        var thresholds = new SortedThresholds[features.Length];
        var masks = new ulong[features.Length][];
        long words = 0;
        for (var i = 0; i < features.Length; i++)
        {
            var mine = splits.Where(s => s.Feature == features[i]).ToList();
            var sorted = DistinctSorted(mine.Select(s => s.Threshold));
            thresholds[i] = new SortedThresholds(sorted);
            words += (long)(sorted.Length + 1) * padded;
            if (words > MaximumTableWords)
            {
                return null;
            }

            masks[i] = Masks(sorted, mine, padded);
        }

        return new QuickScorer(count, stride, values, features, thresholds, masks, bias);
    }

    /// <summary>Scores <c>rows[k]</c> of the row-major <paramref name="matrix"/> into <c>result[k]</c>.</summary>
    public void Score(ReadOnlySpan<float> matrix, int width, ReadOnlySpan<int> rows, Span<double> result)
    {
        var stride = _paddedTrees;
        var buffer = ArrayPool<ulong>.Shared.Rent(RowGroup * stride);
        var offsets = ArrayPool<int>.Shared.Rent(_features.Length);
        try
        {
            var leaves = buffer.AsSpan(0, RowGroup * stride);
            ref var values = ref MemoryMarshal.GetArrayDataReference(_values);
            for (var start = 0; start < rows.Length; start += RowGroup)
            {
                var n = Math.Min(RowGroup, rows.Length - start);
                for (var g = 0; g < RowGroup; g++)
                {
                    var row = g < n ? matrix.Slice(rows[start + g] * width, width) : default;
                    ExitLeaves(row, leaves.Slice(g * stride, stride), offsets, g < n);
                }

                // Four independent sums, each in tree order.
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                ref var l0 = ref MemoryMarshal.GetReference(leaves);
                ref var l1 = ref Unsafe.Add(ref l0, stride);
                ref var l2 = ref Unsafe.Add(ref l1, stride);
                ref var l3 = ref Unsafe.Add(ref l2, stride);
                ref var v = ref values;
                for (var t = 0; t < _trees; t++)
                {
                    s0 += Unsafe.Add(ref v, BitOperations.TrailingZeroCount(Unsafe.Add(ref l0, t)));
                    s1 += Unsafe.Add(ref v, BitOperations.TrailingZeroCount(Unsafe.Add(ref l1, t)));
                    s2 += Unsafe.Add(ref v, BitOperations.TrailingZeroCount(Unsafe.Add(ref l2, t)));
                    s3 += Unsafe.Add(ref v, BitOperations.TrailingZeroCount(Unsafe.Add(ref l3, t)));
                    v = ref Unsafe.Add(ref v, _leafStride);
                }

                // Rounded to float as ML.NET's Score column is.
                result[start] = (float)(s0 + _bias);
                if (n > 1)
                {
                    result[start + 1] = (float)(s1 + _bias);
                }

                if (n > 2)
                {
                    result[start + 2] = (float)(s2 + _bias);
                }

                if (n > 3)
                {
                    result[start + 3] = (float)(s3 + _bias);
                }
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(buffer);
            ArrayPool<int>.Shared.Return(offsets);
        }
    }

    // Every word starts with all leaves possible; each feature ANDs in the bits its failing splits leave. The rows of the
    // features' tables are found first, then each vector of words is ANDed across them in registers and stored once.
    private void ExitLeaves(ReadOnlySpan<float> row, Span<ulong> leaves, Span<int> offsets, bool present)
    {
        if (!present)
        {
            leaves.Fill(ulong.MaxValue);
            return;
        }

        // A feature whose splits all pass (position 0: a one-hot column's zeros, mostly) clears nothing and is skipped.
        var stride = _paddedTrees;
        var features = 0;
        for (var i = 0; i < _features.Length; i++)
        {
            var position = _thresholds[i].Position(row[_features[i]]);
            offsets[features] = _tableStarts[i] + (position * stride);
            features += position > 0 ? 1 : 0;
        }

        ref var target = ref MemoryMarshal.GetReference(leaves);
        ref var table = ref MemoryMarshal.GetArrayDataReference(_masks);
        ref var offset = ref MemoryMarshal.GetReference(offsets);
        if (Vector512.IsHardwareAccelerated)
        {
            for (var t = 0; t < stride; t += Vector512<ulong>.Count)
            {
                var word = Vector512<ulong>.AllBitsSet;
                for (var i = 0; i < features; i++)
                {
                    word &= Vector512.LoadUnsafe(ref table, (nuint)(Unsafe.Add(ref offset, i) + t));
                }

                word.StoreUnsafe(ref target, (nuint)t);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (var t = 0; t < stride; t += Vector256<ulong>.Count)
            {
                var word = Vector256<ulong>.AllBitsSet;
                for (var i = 0; i < features; i++)
                {
                    word &= Vector256.LoadUnsafe(ref table, (nuint)(Unsafe.Add(ref offset, i) + t));
                }

                word.StoreUnsafe(ref target, (nuint)t);
            }
        }
        else
        {
            for (var t = 0; t < stride; t++)
            {
                var word = ulong.MaxValue;
                for (var i = 0; i < features; i++)
                {
                    word &= Unsafe.Add(ref table, Unsafe.Add(ref offset, i) + t);
                }

                Unsafe.Add(ref target, t) = word;
            }
        }
    }

    // Trees padded to a multiple of eight words, so the AND runs in whole 512-bit (or 256-bit) vectors.
    private static int PaddedTrees(int trees) => (trees + 7) & ~7;

    // In-order walk: numbers the leaves left to right and records each split's left-subtree bits.
    private static (int First, int End) Visit(TreeEnsemble.Tree tree, int t, int node, ref int position, Span<double> values, List<(int, float, int, ulong)> splits)
    {
        if (node < 0)
        {
            var leaf = ~node;
            values[position] = tree.Weight * tree.Leaf[leaf];
            position++;
            return (position - 1, position);
        }

        var (first, middle) = Visit(tree, t, tree.Left[node], ref position, values, splits);
        var (_, end) = Visit(tree, t, tree.Right[node], ref position, values, splits);
        var width = middle - first;
        var bits = width == 64 ? ulong.MaxValue : ((1UL << width) - 1) << first;
        splits.Add((tree.Feature[node], tree.Threshold[node], t, ~bits));
        return (first, end);
    }

    private static float[] DistinctSorted(IEnumerable<float> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var distinct = new List<float>(sorted.Length);
        foreach (var v in sorted)
        {
            if (distinct.Count == 0 || distinct[^1] != v)
            {
                distinct.Add(v);
            }
        }

        return [.. distinct];
    }

    // Row q: the bits left after the splits at the q smallest thresholds fail.
    private static ulong[] Masks(float[] thresholds, List<(int Feature, float Threshold, int Tree, ulong Clear)> splits, int padded)
    {
        var masks = new ulong[(thresholds.Length + 1) * padded];
        masks.AsSpan(0, padded).Fill(ulong.MaxValue);
        var byThreshold = new List<(int Tree, ulong Clear)>[thresholds.Length];
        foreach (var s in splits)
        {
            var q = SortedThresholds.PositionBySearch(thresholds, s.Threshold);
            (byThreshold[q] ??= []).Add((s.Tree, s.Clear));
        }

        for (var q = 0; q < thresholds.Length; q++)
        {
            var previous = masks.AsSpan(q * padded, padded);
            var row = masks.AsSpan((q + 1) * padded, padded);
            previous.CopyTo(row);
            foreach (var (tree, clear) in byThreshold[q])
            {
                row[tree] &= clear;
            }
        }

        return masks;
    }
}
