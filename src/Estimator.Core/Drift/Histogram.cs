using System.Runtime.InteropServices;

namespace Estimator.Drift;

/// <summary>numpy's histogram pieces on equal-width bin edges: <c>np.histogram</c> counts and Doane's bin edges.</summary>
internal static class Histogram
{
    /// <summary>
    /// <c>np.histogram(values, bins=edges)</c>: bin <c>i</c> counts <c>edges[i] ≤ x &lt; edges[i+1]</c>, the last bin
    /// also its right edge; values outside the edges are not counted but returned as <paramref name="below"/> (x &lt;
    /// edges[0]). <paramref name="edges"/> must be equally spaced (from <see cref="NumpyReductions.Linspace"/>); values
    /// must not be NaN.
    /// </summary>
    public static long[] Count(ReadOnlySpan<double> values, double[] edges, out long below)
    {
        var counts = new long[edges.Length - 1];
        below = Count(values, edges, counts);
        return counts;
    }

    /// <summary>
    /// <see cref="Count(ReadOnlySpan{double}, double[], out long)"/> into <paramref name="counts"/> (its first
    /// <c>edges.Length − 1</c> entries, cleared here), so a caller can reuse a pooled array; returns the values below.
    /// </summary>
    public static long Count(ReadOnlySpan<double> values, double[] edges, Span<long> counts)
    {
        var bins = edges.Length - 1;
        counts = counts[..bins];
        counts.Clear();
        long below = 0;
        double first = edges[0], last = edges[^1];
        if (!(last > first))
        {
            // All edges equal (a constant reference without numpy's ±0.5 widening): np.searchsorted puts every
            // value on the edge in the last bin.
            foreach (var x in values)
            {
                if (x < first)
                {
                    below++;
                }
                else if (x <= last)
                {
                    counts[bins - 1]++;
                }
            }

            return below;
        }

        var scale = bins / (last - first);
        ref var edge = ref MemoryMarshal.GetArrayDataReference(edges);
        ref var count = ref MemoryMarshal.GetReference(counts);
        foreach (var x in values)
        {
            if (x < first)
            {
                below++;
                continue;
            }

            if (x > last)
            {
                continue;
            }

            // numpy's fast path computes the bin arithmetically and corrects it against the edges; walking until the
            // edges agree gives np.searchsorted's answer however far rounding moved the guess. x ≥ first, so the
            // guess is not negative; i stays within [0, bins − 1], so the unchecked reads stay within the edges.
            var i = Math.Min((int)((x - first) * scale), bins - 1);
            while (i > 0 && x < Unsafe.Add(ref edge, i))
            {
                i--;
            }

            while (i < bins - 1 && x >= Unsafe.Add(ref edge, i + 1))
            {
                i++;
            }

            Unsafe.Add(ref count, i)++;
        }

        return below;
    }

    /// <summary>
    /// <c>np.histogram_bin_edges(values, bins='doane')</c>: equal-width edges over [min, max] (widened by ±0.5 when
    /// constant), the number of bins from Doane's formula with numpy's pairwise mean and population std.
    /// </summary>
    public static double[] DoaneEdges(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            // numpy: an empty array gets one bin over [0, 1].
            return NumpyReductions.Linspace(0, 1, 2);
        }

        var (first, last) = OuterEdges(values, out var min, out var max);
        var width = DoaneWidth(values, max - min);
        var bins = width != 0 ? (int)Math.Ceiling((last - first) / width) : 1;
        return NumpyReductions.Linspace(first, last, bins + 1);
    }

    /// <summary>numpy's <c>_get_outer_edges</c>: [min, max], widened to [v − 0.5, v + 0.5] when min = max.</summary>
    public static (double First, double Last) OuterEdges(ReadOnlySpan<double> values, out double min, out double max)
    {
        min = double.PositiveInfinity;
        max = double.NegativeInfinity;
        foreach (var x in values)
        {
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }

        return min == max ? (min - 0.5, max + 0.5) : (min, max);
    }

    private static double DoaneWidth(ReadOnlySpan<double> x, double ptp)
    {
        var n = x.Length;
        if (n <= 2)
        {
            return 0.0;
        }

        var sg1 = Math.Sqrt(6.0 * (n - 2) / ((n + 1.0) * (n + 3)));
        var sigma = NumpyReductions.Std(x);
        if (!(sigma > 0.0))
        {
            return 0.0;
        }

        var mean = NumpyReductions.Mean(x);
        var cubes = new double[n];
        for (var i = 0; i < n; i++)
        {
            cubes[i] = Math.Pow((x[i] - mean) / sigma, 3);
        }

        var g1 = NumpyReductions.Mean(cubes);
        return ptp / (1.0 + Math.Log2(n) + Math.Log2(1.0 + (Math.Abs(g1) / sg1)));
    }
}
