namespace Estimator.Monitoring.Online;

/// <summary>
/// Prediction rows posted to a model's online endpoint, column by column in arrival order: id, score of class 1,
/// predicted label (NaN when the model has no prediction column) and timestamp (null when the model has none).
/// </summary>
/// <param name="Ids">Row ids as text (a JSON number keeps its literal form).</param>
/// <param name="Scores">Raw scores, finite.</param>
/// <param name="Predictions">Predicted labels 0/1, or NaN when the model has no prediction column.</param>
/// <param name="Timestamps">UTC timestamps, or null when the model has no timestamp column.</param>
public sealed record OnlineRows(string[] Ids, double[] Scores, double[] Predictions, DateTime[]? Timestamps)
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
        Timestamps?.AsSpan(start, count).ToArray());

    /// <summary>The rows of <paramref name="parts"/> one after another.</summary>
    public static OnlineRows Concat(IReadOnlyList<OnlineRows> parts, bool timestamps)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var n = 0;
        foreach (var part in parts)
        {
            n += part.Count;
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

        return new OnlineRows(ids, scores, predictions, times);
    }
}
