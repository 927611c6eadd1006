namespace Estimator.Learning;

/// <summary>
/// The model's inputs as the shift domain classifier reads them: numeric columns standardized with the reference's mean
/// and standard deviation (a missing value becomes the mean, 0), categorical columns one-hot over the reference's
/// categories (an unseen or missing category is all zeros). Row-major floats, the reference encoded once at fit.
/// </summary>
internal sealed class DomainFeatureMatrix
{
    private readonly IReadOnlyList<EncodedColumn> _columns;

    private DomainFeatureMatrix(IReadOnlyList<EncodedColumn> columns, int width)
    {
        _columns = columns;
        Width = width;
    }

    /// <summary>Floats per row.</summary>
    public int Width { get; }

    /// <summary>Each feature's place in a row and what the reference taught its encoding (what the fitted JSON keeps).</summary>
    public IReadOnlyList<EncodedColumn> Columns => _columns;

    /// <summary>An encoding read back from its columns (the fitted JSON); the width follows from them.</summary>
    public static DomainFeatureMatrix Restore(IReadOnlyList<EncodedColumn> columns) =>
        new(columns, columns.Sum(c => c.Categories?.Count ?? 1));

    /// <summary>Learns the encoding from the reference.</summary>
    /// <exception cref="EstimatorDataException">A feature is not a column of the reference.</exception>
    public static DomainFeatureMatrix Learn(ModelData reference, IReadOnlyList<string> names)
    {
        var columns = new List<EncodedColumn>(names.Count);
        var width = 0;
        foreach (var name in names)
        {
            switch (reference.Feature(name))
            {
                case CategoricalFeature c:
                    var categories = c.Values.Where(v => v is not null).Select(v => v!).Distinct().Order(StringComparer.Ordinal).ToList();
                    columns.Add(new EncodedColumn(name, width, categories, 0, 1));
                    width += categories.Count;
                    break;
                case NumericFeature n:
                    double sum = 0, squares = 0;
                    var count = 0;
                    foreach (var v in n.Values)
                    {
                        if (!double.IsNaN(v))
                        {
                            sum += v;
                            squares += v * v;
                            count++;
                        }
                    }

                    var mean = count == 0 ? 0 : sum / count;
                    var sd = count == 0 ? 0 : Math.Sqrt(Math.Max(0, (squares / count) - (mean * mean)));
                    columns.Add(new EncodedColumn(name, width, null, mean, sd > 0 ? sd : 1));
                    width++;
                    break;
            }
        }

        return new DomainFeatureMatrix(columns, width);
    }

    /// <summary>Encodes rows [start, start + length) of <paramref name="data"/> into <paramref name="destination"/> (Width floats a row).</summary>
    /// <exception cref="EstimatorDataException">A feature is missing or of the other kind than in the reference.</exception>
    public void Encode(ModelData data, int start, int length, Span<float> destination, string period)
    {
        destination[..(length * Width)].Clear();
        foreach (var column in _columns)
        {
            var feature = data.Feature(column.Name);
            if (column.Categories is { } categories)
            {
                var values = feature is CategoricalFeature c ? c.Values
                    : throw new EstimatorDataException($"{period}: feature '{column.Name}' is numeric but was categorical in the reference", column: column.Name);
                var index = new Dictionary<string, int>(categories.Count, StringComparer.Ordinal);
                for (var k = 0; k < categories.Count; k++)
                {
                    index[categories[k]] = k;
                }

                for (var r = 0; r < length; r++)
                {
                    if (values[start + r] is { } v && index.TryGetValue(v, out var k))
                    {
                        destination[(r * Width) + column.Offset + k] = 1f;
                    }
                }
            }
            else
            {
                var values = feature is NumericFeature n ? n.Values
                    : throw new EstimatorDataException($"{period}: feature '{column.Name}' is categorical but was numeric in the reference", column: column.Name);
                for (var r = 0; r < length; r++)
                {
                    var v = values[start + r];
                    destination[(r * Width) + column.Offset] = double.IsNaN(v) ? 0f : (float)((v - column.Mean) / column.Scale);
                }
            }
        }
    }

    /// <summary>One feature: its first float in a row, its categories (one-hot) or its mean and scale (standardized).</summary>
    internal sealed record EncodedColumn(string Name, int Offset, IReadOnlyList<string>? Categories, double Mean, double Scale);
}
