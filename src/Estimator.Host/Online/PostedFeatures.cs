using Estimator.Calculators;

namespace Estimator.Host.Online;

/// <summary>One feature a shift-aware model's posted rows carry: its name and whether the reference held it as categories.</summary>
/// <param name="Name">The column's name, as the model's files spell it.</param>
/// <param name="Categorical">True for a categorical feature (posted as a string, or a boolean read as <c>True</c>/<c>False</c>).</param>
internal sealed record OnlineFeature(string Name, bool Categorical);

/// <summary>
/// The feature values of one posted body, collected while <see cref="PredictionBodyParser"/> walks it: a numeric feature
/// takes a JSON number, a categorical one a string (or a boolean, as pandas prints it: <c>True</c>/<c>False</c>); null is
/// a missing value, as an empty cell of a file is. A row without one of the features is refused, naming row and field.
/// </summary>
internal sealed class PostedFeatures
{
    /// <summary>The longest category accepted, in UTF-8 bytes (as escaped in the body; the log keeps a category's length in 16 bits).</summary>
    public const int MaxCategoryBytes = 4096;

    private readonly IReadOnlyList<OnlineFeature> _features;
    private readonly byte[][] _names;
    private readonly bool[] _seen;
    private readonly double[][] _numbers;
    private readonly string?[][] _text;

    public PostedFeatures(IReadOnlyList<OnlineFeature> features, int capacity)
    {
        _features = features;
        _names = [.. features.Select(f => Encoding.UTF8.GetBytes(f.Name))];
        _seen = new bool[features.Count];
        _numbers = [.. features.Select(f => f.Categorical ? [] : new double[capacity])];
        _text = [.. features.Select(f => f.Categorical ? new string?[capacity] : [])];
    }

    /// <summary>Reads the current property when it is a feature (the reader on its name); false when it is not one.</summary>
    public bool TryRead(ref Utf8JsonReader reader, int row)
    {
        for (var k = 0; k < _names.Length; k++)
        {
            if (!reader.ValueTextEquals(_names[k]))
            {
                continue;
            }

            OnlineBodyReader.Value(ref reader, row);
            var feature = _features[k];
            if (feature.Categorical)
            {
                Grow(ref _text[k], row);
                _text[k][row] = Category(ref reader, row, feature.Name);
            }
            else
            {
                Grow(ref _numbers[k], row);
                _numbers[k][row] = Number(ref reader, row, feature.Name);
            }

            _seen[k] = true;
            return true;
        }

        return false;
    }

    /// <summary>Checks that row <paramref name="row"/> gave every feature, and clears the marks for the next row.</summary>
    public void EndRow(int row)
    {
        for (var k = 0; k < _seen.Length; k++)
        {
            if (!_seen[k])
            {
                throw OnlineBodyReader.Fail(row, _features[k].Name, "missing: the model's shift-aware estimator reads this feature on every row");
            }

            _seen[k] = false;
        }
    }

    /// <summary>The first <paramref name="count"/> rows' columns, in the model's feature order.</summary>
    public List<FeatureColumn> Columns(int count) =>
        [.. _features.Select((f, k) => f.Categorical ? (FeatureColumn)new CategoricalFeature(f.Name, _text[k][..count]) : new NumericFeature(f.Name, _numbers[k][..count]))];

    private static double Number(ref Utf8JsonReader reader, int row, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => double.NaN,
        JsonTokenType.Number when reader.TryGetDouble(out var value) && double.IsFinite(value) => value,
        JsonTokenType.Number => throw OnlineBodyReader.Fail(row, field, "the number is out of range"),
        _ => throw OnlineBodyReader.Fail(row, field, "expected a number (the feature is numeric in the reference) or null, got " + OnlineBodyReader.Describe(reader.TokenType)),
    };

    private static string? Category(ref Utf8JsonReader reader, int row, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String when (reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > MaxCategoryBytes =>
            throw OnlineBodyReader.Fail(row, field, FormattableString.Invariant($"the category is longer than {MaxCategoryBytes} bytes")),
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.True => "True",
        JsonTokenType.False => "False",
        _ => throw OnlineBodyReader.Fail(row, field, "expected a string (the feature is categorical in the reference) or null, got " + OnlineBodyReader.Describe(reader.TokenType)),
    };

    private static void Grow<T>(ref T[] values, int row)
    {
        if (row >= values.Length)
        {
            Array.Resize(ref values, Math.Max(16, Math.Max(row + 1, values.Length * 2)));
        }
    }
}
