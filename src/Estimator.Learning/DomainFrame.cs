namespace Estimator.Learning;

/// <summary>
/// The reference rows as the domain classifier trains on them, NannyML's <c>preprocess_categorical_features</c>:
/// categorical columns first as ordinal codes of their sorted categories, then numeric columns as they are. A missing
/// value is <see cref="Missing"/>, below every other, rather than NaN, which FastTree does not learn from (with NaN, a
/// chunk missing a numeric column everywhere scored AUROC 0.5, and the tree walk, sending NaN right of every split, made
/// the reference's missing categories look like a chunk's new one). A lowest value is trained and scored alike, and a split can
/// set it apart as LightGBM's missing-value handling does (LightGBM also picks its side per split; FastTree cannot). NannyML fits the ordinal encoder on reference + chunk together, so a category new in the chunk
/// shifts the codes after it; <see cref="WithChunk"/> re-codes the reference the same way.
/// </summary>
internal sealed class DomainFrame
{
    public DomainFrame(IReadOnlyList<FrameColumn> columns, float[] reference)
    {
        Columns = columns;
        Reference = reference;
    }

    /// <summary>A missing value's code.</summary>
    public const float Missing = float.MinValue;

    /// <summary>The columns in matrix order (categorical first, then numeric, each in the listed order).</summary>
    public IReadOnlyList<FrameColumn> Columns { get; }

    /// <summary>The reference rows in timestamp order, row-major, categorical codes over the reference's categories.</summary>
    public float[] Reference { get; }

    public int Width => Columns.Count;

    public int ReferenceRows => Reference.Length / Width;

    /// <summary>Learns the columns' kinds and categories from the (timestamp-sorted) reference and encodes it.</summary>
    public static DomainFrame Learn(ModelData reference, IReadOnlyList<string> names)
    {
        var features = names.Select(reference.Feature).ToList();
        var columns = features.OfType<CategoricalFeature>()
            .Select(c => new FrameColumn(c.Name, [.. c.Values.Where(v => v is not null).Select(v => v!).Distinct().Order(StringComparer.Ordinal)]))
            .Concat(features.OfType<NumericFeature>().Select(n => new FrameColumn(n.Name, null)))
            .ToList();
        var frame = new DomainFrame(columns, []);
        return new DomainFrame(columns, frame.Encode(reference, "reference", columns.Select(c => c.Categories).ToList()));
    }

    /// <summary>Reference rows (label 0) then the chunk's rows (label 1), coded over the categories of both.</summary>
    /// <param name="chunk">The chunk's rows.</param>
    public float[] WithChunk(ModelData chunk)
    {
        var width = Width;
        var referenceRows = ReferenceRows;
        var union = new List<IReadOnlyList<string>?>(width);
        var remaps = new float[]?[width];
        for (var c = 0; c < width; c++)
        {
            var categories = Columns[c].Categories;
            if (categories is null)
            {
                union.Add(null);
                continue;
            }

            var values = chunk.Feature(Columns[c].Name) is CategoricalFeature f ? f.Values
                : throw new EstimatorDataException($"analysis: column '{Columns[c].Name}' is numeric but was categorical in the reference", column: Columns[c].Name);
            var all = categories.Concat(values.Where(v => v is not null).Select(v => v!)).Distinct().Order(StringComparer.Ordinal).ToList();
            union.Add(all);
            if (all.Count != categories.Count)
            {
                var position = all.Select((v, k) => (v, k)).ToDictionary(p => p.v, p => p.k, StringComparer.Ordinal);
                remaps[c] = [.. categories.Select(v => (float)position[v])];
            }
        }

        var matrix = new float[checked((referenceRows + chunk.Count) * width)];
        Reference.CopyTo(matrix, 0);
        for (var c = 0; c < width; c++)
        {
            if (remaps[c] is { } remap)
            {
                for (var r = 0; r < referenceRows; r++)
                {
                    ref var cell = ref matrix[(r * width) + c];
                    cell = cell == Missing ? cell : remap[(int)cell];
                }
            }
        }

        Encode(chunk, "analysis", union).CopyTo(matrix, referenceRows * width);
        return matrix;
    }

    private float[] Encode(ModelData data, string period, List<IReadOnlyList<string>?> categories)
    {
        var width = categories.Count;
        var matrix = new float[checked(data.Count * width)];
        for (var c = 0; c < width; c++)
        {
            var name = Columns[c].Name;
            var column = data.Feature(name);
            if (categories[c] is { } known)
            {
                var values = column is CategoricalFeature f ? f.Values
                    : throw new EstimatorDataException($"{period}: column '{name}' is numeric but was categorical in the reference", column: name);
                var index = known.Select((v, k) => (v, k)).ToDictionary(p => p.v, p => (float)p.k, StringComparer.Ordinal);
                for (var r = 0; r < data.Count; r++)
                {
                    matrix[(r * width) + c] = values[r] is { } v ? index[v] : Missing;
                }
            }
            else
            {
                var values = column is NumericFeature n ? n.Values
                    : throw new EstimatorDataException($"{period}: column '{name}' is categorical but was numeric in the reference", column: name);
                for (var r = 0; r < data.Count; r++)
                {
                    matrix[(r * width) + c] = double.IsNaN(values[r]) ? Missing : (float)values[r];
                }
            }
        }

        return matrix;
    }
}

/// <summary>One column of the frame.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Categories">The reference's categories in code order; null for a numeric column.</param>
internal sealed record FrameColumn(string Name, IReadOnlyList<string>? Categories);
