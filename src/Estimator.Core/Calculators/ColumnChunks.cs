namespace Estimator.Calculators;

/// <summary>
/// Shared plumbing of the per-column calculators (drift, data quality): every chunk × column computed independently,
/// in parallel when allowed, and the rows laid out chunk by chunk, column by column, as the serial loop would; also
/// the check and re-basing of a chunk formed by the caller, which every calculator's CalculateChunk shares.
/// </summary>
internal static class ColumnChunks
{
    /// <summary>Runs <paramref name="compute"/>(chunk, column) for every pair and concatenates the rows in chunk-major order.</summary>
    public static List<ChunkEstimate> Run(int chunks, int columns, Func<int, int, IReadOnlyList<ChunkEstimate>> compute, int threads)
    {
        var parts = new IReadOnlyList<ChunkEstimate>[chunks * columns];
        if (threads <= 1 || parts.Length <= 1)
        {
            for (var k = 0; k < parts.Length; k++)
            {
                parts[k] = compute(k / columns, k % columns);
            }
        }
        else
        {
            Parallel.For(0, parts.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, k => parts[k] = compute(k / columns, k % columns));
        }

        var rows = new List<ChunkEstimate>(parts.Sum(p => p.Count));
        foreach (var part in parts)
        {
            rows.AddRange(part);
        }

        return rows;
    }

    /// <summary>The chunk a caller formed, checked against the rows given and re-based to them.</summary>
    public static Chunk Local(ModelData rows, Chunk chunk)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Local(chunk, rows.Count);
    }

    /// <summary>
    /// The chunk a caller formed (the job host forms chunks across a stream of files), checked against the
    /// <paramref name="rowCount"/> rows given for it and re-based to them; every calculator's CalculateChunk starts here.
    /// </summary>
    /// <exception cref="ArgumentException">The chunk's row count is not <paramref name="rowCount"/>.</exception>
    public static Chunk Local(Chunk chunk, int rowCount)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (chunk.Rows != rowCount)
        {
            throw new ArgumentException(FormattableString.Invariant($"Chunk {chunk.Key} has {chunk.Rows} rows but {rowCount} were given."), nameof(chunk));
        }

        return chunk with { StartIndex = 0, EndIndex = rowCount - 1 };
    }

    /// <summary>A column's values as numbers: numeric as they are, text parsed (invariant culture), booleans 0/1; missing → NaN.</summary>
    /// <exception cref="EstimatorDataException">A text value is not a number.</exception>
    public static double[] AsNumbers(FeatureColumn column) => column switch
    {
        NumericFeature n => n.Values,
        CategoricalFeature c => ParseNumbers(c),
        _ => throw new ArgumentException($"Unsupported column type {column.GetType().Name}.", nameof(column)),
    };

    /// <summary>A column's values as category labels: text as it is, numbers as their shortest round-trip text; missing → null.</summary>
    public static string?[] AsCategories(FeatureColumn column) => column switch
    {
        CategoricalFeature c => c.Values,
        NumericFeature n => Labels(n.Values),
        _ => throw new ArgumentException($"Unsupported column type {column.GetType().Name}.", nameof(column)),
    };

    // Numbers used as categories repeat (labels, counts): format each distinct value once.
    private static string?[] Labels(double[] values)
    {
        var labels = new string?[values.Length];
        var formatted = new Dictionary<double, string>();
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (double.IsNaN(v))
            {
                continue;
            }

            if (!formatted.TryGetValue(v, out var label))
            {
                label = v.ToString("R", CultureInfo.InvariantCulture);
                formatted[v] = label;
            }

            labels[i] = label;
        }

        return labels;
    }

    private static double[] ParseNumbers(CategoricalFeature column)
    {
        var values = new double[column.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var text = column.Values[i];
            if (text is null)
            {
                values[i] = double.NaN;
            }
            else if (bool.TryParse(text, out var b))
            {
                values[i] = b ? 1 : 0;
            }
            else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new EstimatorDataException($"'{text}' is not a number, and the column is treated as continuous", column: column.Name, row: i);
            }
        }

        return values;
    }
}
