namespace Estimator.Monitoring.Online;

/// <summary>
/// Prediction rows posted to a model's online endpoint, column by column in arrival order: id, score of class 1,
/// predicted label (NaN when the model has no prediction column), timestamp (null when the model has none) and, for a
/// shift-aware model, its input features (null for a plain CBPE model, whose posted rows carry none).
/// </summary>
/// <param name="Ids">Row ids as text (a JSON number keeps its literal form).</param>
/// <param name="Scores">Raw scores, finite.</param>
/// <param name="Predictions">Predicted labels 0/1, or NaN when the model has no prediction column.</param>
/// <param name="Timestamps">UTC timestamps, or null when the model has no timestamp column.</param>
/// <param name="Features">The model's features in its configured order (NaN or null where missing), or null.</param>
public sealed record OnlineRows(string[] Ids, double[] Scores, double[] Predictions, DateTime[]? Timestamps, IReadOnlyList<FeatureColumn>? Features = null)
{
    /// <summary>Rows held.</summary>
    public int Count => Ids.Length;

    /// <summary>No rows, with or without timestamps.</summary>
    public static OnlineRows Empty(bool timestamps) => new([], [], [], timestamps ? [] : null);

    /// <summary>Rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1 as a copy.</summary>
    public OnlineRows Slice(int start, int count) => new(
        Ids.AsSpan(start, count).ToArray(),
        Scores.AsSpan(start, count).ToArray(),
        Predictions.AsSpan(start, count).ToArray(),
        Timestamps?.AsSpan(start, count).ToArray(),
        Features?.Select(f => f.Slice(start, count)).ToList());

    /// <summary>
    /// The rows of <paramref name="parts"/> one after another. When some parts carry features and others do not (rows
    /// logged before the model's features were configured), the others' feature values are missing.
    /// </summary>
    public static OnlineRows Concat(IReadOnlyList<OnlineRows> parts, bool timestamps)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var n = 0;
        IReadOnlyList<FeatureColumn>? shape = null;
        foreach (var part in parts)
        {
            n += part.Count;
            shape ??= part.Features;
        }

        var ids = new string[n];
        var scores = new double[n];
        var predictions = new double[n];
        var times = timestamps ? new DateTime[n] : null;
        var at = 0;
        foreach (var part in parts)
        {
            part.Ids.CopyTo(ids, at);
            part.Scores.CopyTo(scores, at);
            part.Predictions.CopyTo(predictions, at);
            part.Timestamps?.CopyTo(times!, at);
            at += part.Count;
        }

        return new OnlineRows(ids, scores, predictions, times, shape is null ? null : ConcatFeatures(parts, shape, n));
    }

    private static List<FeatureColumn> ConcatFeatures(IReadOnlyList<OnlineRows> parts, IReadOnlyList<FeatureColumn> shape, int n)
    {
        IReadOnlyList<IReadOnlyList<FeatureColumn>> aligned = [.. parts.Select(p => (IReadOnlyList<FeatureColumn>)[.. shape.Select(s => ColumnOf(p, s))])];
        return [.. shape.Select((_, k) => StoredFeatures.Concat(aligned, k, n))];
    }

    /// <summary>The part's column named as <paramref name="shape"/> and of its kind, else one of missing values.</summary>
    private static FeatureColumn ColumnOf(OnlineRows part, FeatureColumn shape)
    {
        var column = part.Features?.FirstOrDefault(f => f.Name == shape.Name);
        return column is not null && column.GetType() == shape.GetType()
            ? column
            : shape is CategoricalFeature
                ? new CategoricalFeature(shape.Name, new string?[part.Count])
                : new NumericFeature(shape.Name, Enumerable.Repeat(double.NaN, part.Count).ToArray());
    }

    /// <summary>The rows as a calculator's period: scores, predictions (when the model has them), timestamps, features.</summary>
    /// <param name="predictions">Whether the model has a prediction column.</param>
    public ModelData ToModelData(bool predictions) => new(Count, Timestamps)
    {
        Scores = Scores,
        Predictions = predictions ? Predictions : null,
        Features = Features ?? [],
    };
}
