using System.Numerics.Tensors;

namespace Estimator.Drift;

/// <summary>
/// The distances between two samples or two binned distributions, in scipy's and NannyML's order of operations
/// (<c>ks_2samp</c>, <c>wasserstein_distance</c>, <c>jensenshannon</c>, NannyML's Hellinger and binned estimates).
/// </summary>
internal static class DistributionDistances
{
    /// <summary>
    /// <c>scipy.stats.ks_2samp(reference, data).statistic</c>: the largest |F_ref(v) − F_data(v)| over every observed
    /// value v, each empirical CDF evaluated as count / size. Both samples sorted ascending, without NaN.
    /// </summary>
    public static double KolmogorovSmirnovExact(ReadOnlySpan<double> reference, ReadOnlySpan<double> data)
    {
        double n1 = reference.Length, n2 = data.Length;
        int i = 0, j = 0;
        var d = 0.0;
        while (i < reference.Length || j < data.Length)
        {
            var v = j >= data.Length || (i < reference.Length && reference[i] <= data[j]) ? reference[i] : data[j];
            while (i < reference.Length && reference[i] <= v)
            {
                i++;
            }

            while (j < data.Length && data[j] <= v)
            {
                j++;
            }

            d = Math.Max(d, Math.Abs((i / n1) - (j / n2)));
        }

        return d;
    }

    /// <summary>
    /// NannyML's binned KS for references of 10,000 rows or more: the reference CDF at the right edges of equal-width
    /// bins against the data's (share below the first edge plus the running sum of bin shares).
    /// </summary>
    /// <param name="counts">The data's counts per bin (<see cref="Histogram.Count(ReadOnlySpan{double}, double[], out long)"/>).</param>
    /// <param name="below">The data's values below the first edge.</param>
    /// <param name="size">The data's size.</param>
    /// <param name="referenceCdf">The reference CDF at each bin's right edge.</param>
    public static double KolmogorovSmirnovBinned(long[] counts, long below, int size, double[] referenceCdf)
    {
        double n = size;
        var lower = below / n;
        var running = 0.0;
        var d = 0.0;
        for (var k = 0; k < counts.Length; k++)
        {
            // Most of the 10,000 bins of a chunk are empty; adding 0 / n would change nothing.
            if (counts[k] != 0)
            {
                running += counts[k] / n;
            }

            d = Math.Max(d, Math.Abs(referenceCdf[k] - (lower + running)));
        }

        return d;
    }

    /// <summary>
    /// <see cref="KolmogorovSmirnovBinned"/> with the per-bin work as whole-array operations on the data's running
    /// shares (<see cref="RunningShares"/>, which Wasserstein shares): |F_ref − F_data| and its maximum are vector
    /// passes. Bit for bit the same value: each element is the same subtraction, and a maximum does not depend on the
    /// order it is taken in.
    /// </summary>
    /// <param name="running">The data's running shares per bin (<see cref="RunningShares"/>).</param>
    /// <param name="below">The data's values below the first edge.</param>
    /// <param name="size">The data's size.</param>
    /// <param name="referenceCdf">The reference CDF at each bin's right edge.</param>
    /// <param name="scratch">At least <c>running.Length</c> doubles, overwritten.</param>
    public static double KolmogorovSmirnovBinnedVector(ReadOnlySpan<double> running, long below, int size, ReadOnlySpan<double> referenceCdf, Span<double> scratch)
    {
        double n = size;
        var cdf = scratch[..running.Length];
        TensorPrimitives.Add(running, below / n, cdf);
        TensorPrimitives.Subtract(referenceCdf[..running.Length], cdf, cdf);
        return cdf.IsEmpty ? 0.0 : Math.Max(0.0, Math.Abs(TensorPrimitives.MaxMagnitude(cdf)));
    }

    /// <summary>The running sum of count / n per bin, adding only where the bin has values (as the scalar kernels do).</summary>
    public static void RunningShares(ReadOnlySpan<long> counts, double n, Span<double> running)
    {
        var sum = 0.0;
        for (var k = 0; k < counts.Length; k++)
        {
            if (counts[k] != 0)
            {
                sum += counts[k] / n;
            }

            running[k] = sum;
        }
    }

    /// <summary>
    /// <c>scipy.stats.wasserstein_distance(reference, data)</c>: Σ |F_ref − F_data| · gap over the merged sorted values,
    /// summed pairwise as numpy does. Both samples sorted ascending, without NaN.
    /// </summary>
    public static double WassersteinExact(ReadOnlySpan<double> reference, ReadOnlySpan<double> data)
    {
        var total = reference.Length + data.Length;
        var merged = new double[total];
        int i = 0, j = 0;
        for (var k = 0; k < total; k++)
        {
            merged[k] = j >= data.Length || (i < reference.Length && reference[i] <= data[j]) ? reference[i++] : data[j++];
        }

        var terms = new double[total - 1];
        double n1 = reference.Length, n2 = data.Length;
        i = 0;
        j = 0;
        for (var k = 0; k < total - 1; k++)
        {
            var v = merged[k];
            while (i < reference.Length && reference[i] <= v)
            {
                i++;
            }

            while (j < data.Length && data[j] <= v)
            {
                j++;
            }

            terms[k] = Math.Abs((i / n1) - (j / n2)) * (merged[k + 1] - v);
        }

        return NumpyReductions.Sum(terms);
    }

    /// <summary>
    /// NannyML's binned Wasserstein for references of 10,000 rows or more: the CDF gap integrated over equal-width
    /// bins, plus the data's tails beyond the reference range integrated from their own empirical CDF.
    /// </summary>
    /// <param name="edges">The bin edges.</param>
    /// <param name="counts">The data's counts per bin (<see cref="Histogram.Count(ReadOnlySpan{double}, double[], out long)"/>).</param>
    /// <param name="referenceCdf">The reference CDF at each bin's right edge.</param>
    /// <param name="data">The data (for the tails beyond the reference range).</param>
    public static double WassersteinBinned(double[] edges, long[] counts, double[] referenceCdf, ReadOnlySpan<double> data)
    {
        var (termSmaller, amountSmaller, termBigger) = Tails(edges[0], edges[^1], data);
        double n = data.Length;
        var width = edges[1] - edges[0];
        var terms = new double[counts.Length];
        var running = 0.0;
        for (var k = 0; k < counts.Length; k++)
        {
            if (counts[k] != 0)
            {
                running += counts[k] / n;
            }

            terms[k] = Math.Abs(referenceCdf[k] - (running + amountSmaller)) * width;
        }

        return NumpyReductions.Sum(terms) + termSmaller + termBigger;
    }

    /// <summary>
    /// <see cref="WassersteinBinned"/> with the per-bin terms as whole-array operations on the data's running shares
    /// (subtract, absolute value and multiply as vector passes) and the same pairwise sum: bit for bit the same value,
    /// each term being the same operations on the same numbers.
    /// </summary>
    /// <param name="edges">The bin edges.</param>
    /// <param name="running">The data's running shares per bin (<see cref="RunningShares"/>).</param>
    /// <param name="referenceCdf">The reference CDF at each bin's right edge.</param>
    /// <param name="data">The data (for the tails beyond the reference range).</param>
    /// <param name="scratch">At least <c>running.Length</c> doubles, overwritten.</param>
    public static double WassersteinBinnedVector(double[] edges, ReadOnlySpan<double> running, ReadOnlySpan<double> referenceCdf, ReadOnlySpan<double> data, Span<double> scratch)
    {
        var (termSmaller, amountSmaller, termBigger) = Tails(edges[0], edges[^1], data);
        var terms = scratch[..running.Length];
        TensorPrimitives.Add(running, amountSmaller, terms);
        TensorPrimitives.Subtract(referenceCdf[..running.Length], terms, terms);
        TensorPrimitives.Abs(terms, terms);
        TensorPrimitives.Multiply(terms, edges[1] - edges[0], terms);
        return NumpyReductions.Sum(terms) + termSmaller + termBigger;
    }

    // NannyML's tails of the binned Wasserstein: the data beyond the reference range on either side, each integrated
    // from its own empirical CDF and weighted by its share; most chunks have none, so nothing is gathered until one is seen.
    private static (double TermSmaller, double AmountSmaller, double TermBigger) Tails(double refMin, double refMax, ReadOnlySpan<double> data)
    {
        double n = data.Length;
        List<double>? smaller = null;
        List<double>? bigger = null;
        foreach (var x in data)
        {
            if (x < refMin)
            {
                (smaller ??= []).Add(x);
            }
            else if (x > refMax)
            {
                (bigger ??= []).Add(x);
            }
        }

        double termSmaller = 0, amountSmaller = 0, termBigger = 0;
        if (smaller is not null)
        {
            // NannyML counts the appended reference minimum in the tail's weight: (n_smaller + 1) / n.
            amountSmaller = (smaller.Count + 1) / n;
            smaller.Add(refMin);
            termSmaller = TailIntegral(smaller, upperTail: false) * amountSmaller;
        }

        if (bigger is not null)
        {
            var amountBigger = (bigger.Count + 1) / n;
            bigger.Add(refMax);
            termBigger = TailIntegral(bigger, upperTail: true) * amountBigger;
        }

        return (termSmaller, amountSmaller, termBigger);
    }

    // NannyML's _ecdf over the tail values: Σ y[:-1] · diff(x) (lower tail) or Σ (1 − y)[:-1] · diff(x) (upper tail),
    // x the distinct sorted values and y the share of values at or below each.
    private static double TailIntegral(List<double> values, bool upperTail)
    {
        values.Sort();
        var distinct = new List<double>(values.Count);
        var cdf = new List<double>(values.Count);
        for (var k = 0; k < values.Count; k++)
        {
            if (k + 1 < values.Count && values[k + 1] == values[k])
            {
                continue;
            }

            distinct.Add(values[k]);
            cdf.Add((k + 1) / (double)values.Count);
        }

        var terms = new double[distinct.Count - 1];
        for (var k = 0; k < terms.Length; k++)
        {
            var y = upperTail ? 1 - cdf[k] : cdf[k];
            terms[k] = y * (distinct[k + 1] - distinct[k]);
        }

        return NumpyReductions.Sum(terms);
    }

    /// <summary>
    /// NannyML's binned comparison input: the data's share per reference bin, plus a last "elsewhere" bin (zero in
    /// the reference) when the shares leave anything over.
    /// </summary>
    public static (double[] Reference, double[] Data) WithLeftover(double[] referenceShares, double[] dataShares)
    {
        var leftover = 1 - NumpyReductions.Sum(dataShares);
        if (!(leftover > 0))
        {
            return (referenceShares, dataShares);
        }

        var reference = new double[referenceShares.Length + 1];
        var data = new double[dataShares.Length + 1];
        referenceShares.CopyTo(reference, 0);
        dataShares.CopyTo(data, 0);
        data[^1] = leftover;
        return (reference, data);
    }

    /// <summary><c>scipy.spatial.distance.jensenshannon(p, q, base=2)</c>: both renormalised, relative entropies to the midpoint.</summary>
    public static double JensenShannon(double[] p, double[] q)
    {
        var sp = NumpyReductions.Sum(p);
        var sq = NumpyReductions.Sum(q);
        var left = new double[p.Length];
        var right = new double[p.Length];
        for (var k = 0; k < p.Length; k++)
        {
            var pk = p[k] / sp;
            var qk = q[k] / sq;
            var m = (pk + qk) / 2.0;
            left[k] = RelativeEntropy(pk, m);
            right[k] = RelativeEntropy(qk, m);
        }

        var js = NumpyReductions.Sum(left) + NumpyReductions.Sum(right);
        js /= Math.Log(2);
        return Math.Sqrt(js / 2.0);
    }

    /// <summary>NannyML's Hellinger distance: √Σ(√p − √q)² / √2.</summary>
    public static double Hellinger(double[] p, double[] q)
    {
        var terms = new double[p.Length];
        for (var k = 0; k < p.Length; k++)
        {
            var d = Math.Sqrt(p[k]) - Math.Sqrt(q[k]);
            terms[k] = d * d;
        }

        return Math.Sqrt(NumpyReductions.Sum(terms)) / Math.Sqrt(2);
    }

    // scipy.special.rel_entr.
    private static double RelativeEntropy(double x, double y) =>
        x > 0 && y > 0 ? x * Math.Log(x / y) : x == 0 && y >= 0 ? 0 : double.PositiveInfinity;
}
