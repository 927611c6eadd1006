namespace Estimator.Learning;

/// <summary>
/// Turns a period's feature columns and predictions into the dense float rows the error models read: numeric features as
/// they are (NaN = missing, which the trees route on their own), categorical features one-hot over the categories seen in
/// the reference (an unseen or missing category is all zeros), and the prediction last.
/// </summary>
internal sealed class FeatureEncoder
{
    public FeatureEncoder(IReadOnlyList<EncodedFeature> features) => Features = features;

    /// <summary>The encoded features in column order.</summary>
    public IReadOnlyList<EncodedFeature> Features { get; }

    /// <summary>Floats per row.</summary>
    public int Width => Features.Sum(f => f.Categories?.Count ?? 1) + 1;

    /// <summary>Learns the categories of each categorical feature from the reference (sorted ordinally, so the order never depends on row order).</summary>
    public static FeatureEncoder Learn(ModelData reference, IReadOnlyList<string> names)
    {
        var features = new List<EncodedFeature>(names.Count);
        foreach (var name in names)
        {
            var column = reference.Feature(name);
            features.Add(column switch
            {
                CategoricalFeature c => new EncodedFeature(name, [.. c.Values.Where(v => v is not null).Select(v => v!).Distinct().Order(StringComparer.Ordinal)]),
                _ => new EncodedFeature(name, null),
            });
        }

        return new FeatureEncoder(features);
    }

    /// <summary>Encodes every row: row-major, <see cref="Width"/> floats a row.</summary>
    public float[] Encode(ModelData data, string period)
    {
        var predictions = data.Predictions ?? throw new EstimatorDataException($"{period}: no predictions");
        var width = Width;
        var matrix = new float[checked(data.Count * width)];
        var offset = 0;
        foreach (var feature in Features)
        {
            var column = data.Feature(feature.Name);
            if (feature.Categories is null)
            {
                var values = column is NumericFeature n ? n.Values
                    : throw new EstimatorDataException($"{period}: feature '{feature.Name}' is categorical but was numeric in the reference", column: feature.Name);
                for (var i = 0; i < data.Count; i++)
                {
                    matrix[(i * width) + offset] = (float)values[i];
                }

                offset++;
            }
            else
            {
                var values = column is CategoricalFeature c ? c.Values
                    : throw new EstimatorDataException($"{period}: feature '{feature.Name}' is numeric but was categorical in the reference", column: feature.Name);
                var index = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var k = 0; k < feature.Categories.Count; k++)
                {
                    index[feature.Categories[k]] = k;
                }

                for (var i = 0; i < data.Count; i++)
                {
                    if (values[i] is { } v && index.TryGetValue(v, out var k))
                    {
                        matrix[(i * width) + offset + k] = 1f;
                    }
                }

                offset += feature.Categories.Count;
            }
        }

        for (var i = 0; i < data.Count; i++)
        {
            matrix[(i * width) + offset] = (float)predictions[i];
        }

        return matrix;
    }
}

/// <summary>One feature as the encoder sees it.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Categories">The reference's categories in one-hot order; null for a numeric feature.</param>
internal sealed record EncodedFeature(string Name, IReadOnlyList<string>? Categories);
