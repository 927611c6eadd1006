namespace Estimator.Monitoring;

/// <summary>One input column of a regression model's stored rows: its name and whether it is categorical (text) or numeric.</summary>
/// <param name="Name">The column's name in the model's files.</param>
/// <param name="Categorical">True for a categorical column (stored as text), false for a numeric one.</param>
internal sealed record StoredFeature(string Name, bool Categorical);

/// <summary>
/// The input columns a regression model's stored rows carry, so a chunk can be re-estimated later (a refit, an open chunk
/// completed, labels joined): direct loss estimation predicts each row's loss from the inputs, not from the prediction alone.
/// </summary>
internal static class StoredFeatures
{
    public static IReadOnlyList<StoredFeature> Shapes(IReadOnlyList<FeatureColumn> columns) =>
        [.. columns.Select(c => new StoredFeature(c.Name, c is CategoricalFeature))];

    /// <summary>Whether two shapes are the same columns of the same kinds in the same order (both null for a classifier's rows).</summary>
    public static bool Same(IReadOnlyList<StoredFeature>? a, IReadOnlyList<StoredFeature>? b) =>
        a is null || b is null ? a is null && b is null : a.SequenceEqual(b);

    /// <summary>A shape for messages: <c>x1 (numeric), g (categorical)</c>; "no input columns" for none.</summary>
    public static string Describe(IReadOnlyList<StoredFeature>? shapes) => shapes is null or { Count: 0 }
        ? "no input columns"
        : string.Join(", ", shapes.Select(s => $"{s.Name} ({(s.Categorical ? "categorical" : "numeric")})"));

    /// <summary>
    /// Checks that a regression model estimating msle or rmsle gets no negative value in <paramref name="values"/>, so a
    /// file holding one is set aside (analysis) or refused (labels) when it is read, naming the column and row, rather
    /// than failing every later run that estimates its chunk.
    /// </summary>
    /// <exception cref="EstimatorDataException">A negative value, naming <paramref name="file"/> when given.</exception>
    public static void CheckLogarithmic(ModelDefinition model, double[] values, string column, string? file = null)
    {
        if (!model.Regression.Metrics.Any(m => m.IsLogarithmic()))
        {
            return;
        }

        var metric = model.Regression.Metrics.First(m => m.IsLogarithmic());
        if (DleMetrics.FirstNegative(values) is var i and >= 0)
        {
            throw new EstimatorDataException(
                FormattableString.Invariant($"{column} holds the negative value {values[i]}; the model estimates {metric.Name()}, which takes logarithms and needs values ≥ 0"),
                file,
                column,
                i);
        }
    }

    /// <summary>Empty columns of the given shape.</summary>
    public static IReadOnlyList<FeatureColumn> Empty(IReadOnlyList<StoredFeature> shapes) =>
        [.. shapes.Select(s => s.Categorical ? (FeatureColumn)new CategoricalFeature(s.Name, []) : new NumericFeature(s.Name, []))];

    /// <summary>Column <paramref name="k"/> of every batch, one after the other (the batches' shapes are checked equal before).</summary>
    public static FeatureColumn Concat(IReadOnlyList<IReadOnlyList<FeatureColumn>> parts, int k, int n)
    {
        var first = parts[0][k];
        var at = 0;
        if (first is CategoricalFeature)
        {
            var text = new string?[n];
            foreach (var part in parts)
            {
                var values = ((CategoricalFeature)part[k]).Values;
                values.CopyTo(text, at);
                at += values.Length;
            }

            return new CategoricalFeature(first.Name, text);
        }

        var numbers = new double[n];
        foreach (var part in parts)
        {
            var values = ((NumericFeature)part[k]).Values;
            values.CopyTo(numbers, at);
            at += values.Length;
        }

        return new NumericFeature(first.Name, numbers);
    }

    /// <summary>The column's values at the given positions, in that order.</summary>
    public static FeatureColumn Permute(FeatureColumn column, int[] order)
    {
        if (column is CategoricalFeature categorical)
        {
            var text = new string?[order.Length];
            for (var i = 0; i < order.Length; i++)
            {
                text[i] = categorical.Values[order[i]];
            }

            return categorical with { Values = text };
        }

        var numeric = (NumericFeature)column;
        var numbers = new double[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            numbers[i] = numeric.Values[order[i]];
        }

        return numeric with { Values = numbers };
    }
}
