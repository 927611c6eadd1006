namespace Estimator.Drift;

/// <summary>
/// What the categorical drift methods keep of one reference column (missing values removed): its categories in
/// <c>np.unique</c> order and how often each occurs.
/// </summary>
internal sealed record CategoricalReference
{
    /// <summary>The distinct reference values, sorted as <c>np.unique</c> sorts them (numerically when all are numbers, else ordinal).</summary>
    public required string[] Categories { get; init; }

    /// <summary>Occurrences of each category in the reference.</summary>
    public required long[] Counts { get; init; }

    /// <summary>Reference values without missing ones.</summary>
    public long Size { get; init; }

    /// <summary>Counts the categories of the reference values (missing values are skipped).</summary>
    public static CategoricalReference Fit(ReadOnlySpan<string?> values)
    {
        // Against no categories every value is unseen, so the unseen counts are the reference's own.
        var (counts, size) = Count(values, new Dictionary<string, int>(), []);
        var categories = counts.Keys.ToArray();
        Array.Sort(categories, NumpyOrder(categories));
        return new CategoricalReference
        {
            Categories = categories,
            Counts = [.. categories.Select(c => counts[c])],
            Size = size,
        };
    }

    /// <summary>The method's value on a chunk (and the chi-square p-value; NaN for the other methods).</summary>
    public (double Value, double PValue) Value(DriftMethod method, ChunkCounts data)
    {
        switch (method)
        {
            case DriftMethod.JensenShannon or DriftMethod.Hellinger:
                var reference = new double[Counts.Length];
                var shares = new double[Counts.Length];
                for (var k = 0; k < Counts.Length; k++)
                {
                    reference[k] = Counts[k] / (double)Size;
                    shares[k] = data.Known[k] / (double)data.Size;
                }

                var (p, q) = DistributionDistances.WithLeftover(reference, shares);
                return (method == DriftMethod.JensenShannon ? DistributionDistances.JensenShannon(p, q) : DistributionDistances.Hellinger(p, q), double.NaN);
            case DriftMethod.LInfinity:
                var max = 0.0;
                for (var k = 0; k < Counts.Length; k++)
                {
                    max = Math.Max(max, Math.Abs((Counts[k] / (double)Size) - (data.Known[k] / (double)data.Size)));
                }

                foreach (var count in data.Unseen.Values)
                {
                    max = Math.Max(max, count / (double)data.Size);
                }

                return (max, double.NaN);
            case DriftMethod.Chi2:
                return Chi2Contingency.Compute(Counts, data);
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Not a categorical drift method.");
        }
    }

    /// <summary>Counts a chunk's values against the reference categories; values the reference never had are kept apart.</summary>
    public ChunkCounts CountChunk(ReadOnlySpan<string?> values, Dictionary<string, int> index)
    {
        var known = new long[Categories.Length];
        var (unseen, size) = Count(values, index, known);
        return new ChunkCounts(known, unseen, size);
    }

    // Counts the values that are not missing: those in the index into known, the others by value.
    private static (Dictionary<string, long> Unseen, long Size) Count(ReadOnlySpan<string?> values, Dictionary<string, int> index, long[] known)
    {
        var unseen = new Dictionary<string, long>(StringComparer.Ordinal);
        long size = 0;

        // Readers often hand out one string instance per distinct value: a repeat of the previous known value's
        // instance skips the lookup.
        string? last = null;
        var lastIndex = -1;
        foreach (var v in values)
        {
            if (v is null)
            {
                continue;
            }

            size++;
            if (ReferenceEquals(v, last))
            {
                known[lastIndex]++;
            }
            else if (index.TryGetValue(v, out var k))
            {
                known[k]++;
                last = v;
                lastIndex = k;
            }
            else
            {
                unseen[v] = unseen.GetValueOrDefault(v) + 1;
            }
        }

        return (unseen, size);
    }

    /// <summary>Category → position in <see cref="Categories"/>.</summary>
    public Dictionary<string, int> Index()
    {
        var index = new Dictionary<string, int>(Categories.Length, StringComparer.Ordinal);
        for (var k = 0; k < Categories.Length; k++)
        {
            index[Categories[k]] = k;
        }

        return index;
    }

    // np.unique sorts numbers by value and strings by code point; the order only moves sums in their last bits.
    private static Comparer<string> NumpyOrder(string[] categories)
    {
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var c in categories)
        {
            if (!double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var x))
            {
                return Comparer<string>.Create(string.CompareOrdinal);
            }

            numbers[c] = x;
        }

        return Comparer<string>.Create((a, b) => numbers[a].CompareTo(numbers[b]));
    }
}

/// <summary>A chunk's values counted against the reference categories.</summary>
/// <param name="Known">Occurrences of each reference category, in the reference's order.</param>
/// <param name="Unseen">Occurrences of values the reference never had.</param>
/// <param name="Size">Values without missing ones.</param>
internal sealed record ChunkCounts(long[] Known, Dictionary<string, long> Unseen, long Size);

/// <summary><c>scipy.stats.chi2_contingency</c> on NannyML's table: one row per category, reference and chunk counts as columns.</summary>
internal static class Chi2Contingency
{
    /// <summary>The statistic (Yates-corrected when there is one degree of freedom, as scipy does) and its p-value.</summary>
    public static (double Statistic, double PValue) Compute(long[] reference, ChunkCounts data)
    {
        // Rows: NannyML concatenates value_counts without zeros, so a category appears when either side has it.
        var rows = new List<(double Reference, double Chunk)>(reference.Length + data.Unseen.Count);
        for (var k = 0; k < reference.Length; k++)
        {
            rows.Add((reference[k], data.Known[k]));
        }

        foreach (var count in data.Unseen.Values)
        {
            rows.Add((0, count));
        }

        double referenceTotal = 0, chunkTotal = 0;
        foreach (var (r, c) in rows)
        {
            referenceTotal += r;
            chunkTotal += c;
        }

        var total = referenceTotal + chunkTotal;
        var dof = rows.Count - 1;
        if (dof == 0)
        {
            return (0.0, 1.0);
        }

        var terms = new double[rows.Count * 2];
        for (var k = 0; k < rows.Count; k++)
        {
            var (r, c) = rows[k];
            var rowTotal = r + c;
            terms[2 * k] = Term(r, rowTotal * referenceTotal / total, dof);
            terms[(2 * k) + 1] = Term(c, rowTotal * chunkTotal / total, dof);
        }

        var statistic = NumpyReductions.Sum(terms);
        return (statistic, ChiSquareSurvival(statistic, dof));
    }

    /// <summary>P(X ≥ x) for a chi-square variable with <paramref name="dof"/> degrees of freedom (scipy's <c>chi2.sf</c>).</summary>
    public static double ChiSquareSurvival(double x, int dof) =>
        MathNet.Numerics.SpecialFunctions.GammaUpperRegularized(dof / 2.0, x / 2.0);

    private static double Term(double observed, double expected, int dof)
    {
        if (dof == 1)
        {
            // Yates: move each observation half a count (at most the gap) towards its expectation.
            var diff = expected - observed;
            observed += Math.Min(0.5, Math.Abs(diff)) * Math.Sign(diff);
        }

        var d = observed - expected;
        return d * d / expected;
    }
}
