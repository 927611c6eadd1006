namespace Estimator;

/// <summary>
/// Columnar model outputs for one period (reference or analysis): the raw score, the predicted label,
/// and, where known, the target and the timestamp of every row.
/// </summary>
/// <remarks>
/// Missing values are <see cref="double.NaN"/>; they are dropped per metric as NannyML does.
/// Labels are 0 or 1 stored as doubles so that a missing label needs no separate mask.
/// Arrays are not copied: callers hand them over and must not mutate them afterwards.
/// </remarks>
public sealed class PredictionSet
{
    /// <summary>Creates a prediction set; every array given must have the length of <paramref name="scores"/>.</summary>
    /// <param name="scores">Raw model score (<c>y_pred_proba</c>) of each row, in [0, 1] or NaN.</param>
    /// <param name="predictions">Predicted label (<c>y_pred</c>) of each row, 0, 1 or NaN; null when the model gives none.</param>
    /// <param name="targets">Actual label (<c>y_true</c>) of each row, 0, 1 or NaN when not (yet) known; null when no labels exist.</param>
    /// <param name="timestamps">Timestamp of each row (UTC); null without a timestamp column.</param>
    public PredictionSet(double[] scores, double[]? predictions = null, double[]? targets = null, DateTime[]? timestamps = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        CheckLength(predictions?.Length, scores.Length, nameof(predictions));
        CheckLength(targets?.Length, scores.Length, nameof(targets));
        CheckLength(timestamps?.Length, scores.Length, nameof(timestamps));
        Scores = scores;
        Predictions = predictions;
        Targets = targets;
        Timestamps = timestamps;
    }

    /// <summary>Raw scores (<c>y_pred_proba</c>), NaN where missing.</summary>
    public double[] Scores { get; }

    /// <summary>Predicted labels (<c>y_pred</c>), NaN where missing; null when not given.</summary>
    public double[]? Predictions { get; }

    /// <summary>Actual labels, NaN where missing; null when the set carries no labels at all.</summary>
    public double[]? Targets { get; }

    /// <summary>Row timestamps (UTC); null without a timestamp column.</summary>
    public DateTime[]? Timestamps { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Scores.Length;

    /// <summary>Returns a copy of this set with the given targets (labels that arrived later).</summary>
    public PredictionSet WithTargets(double[]? targets) => new(Scores, Predictions, targets, Timestamps);

    private static void CheckLength(int? length, int expected, string name) => ColumnLength.Matches(length, expected, name, "the scores have");
}
