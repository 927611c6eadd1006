using Estimator.Estimation.Multiclass;

namespace Estimator.IO;

/// <summary>
/// Which columns of a prediction file hold the model outputs. Names are matched exactly (case-sensitive).
/// </summary>
/// <remarks>
/// The defaults follow NannyML's car-loan example: <c>y_pred_proba</c> and <c>y_pred</c>, no target, timestamp or id.
/// A multiclass model sets <see cref="ClassScores"/> (one score column per class); its <see cref="YPred"/> and
/// <see cref="YTrue"/> columns then hold class labels, and <see cref="YPredProba"/> is not used.
/// </remarks>
public sealed record ColumnMapping
{
    /// <summary>The raw score column (probability of the positive class).</summary>
    /// <value>Defaults to <c>y_pred_proba</c>.</value>
    public string YPredProba { get; init; } = "y_pred_proba";

    /// <summary>Multiclass models: the raw score column of each class; null for binary models.</summary>
    /// <value>Defaults to null (a binary model, scored by <see cref="YPredProba"/>).</value>
    public ClassScoreColumns? ClassScores { get; init; }

    /// <summary>The predicted label column (0/1, or class labels for a multiclass model); null when the model gives no labels.</summary>
    /// <value>Defaults to <c>y_pred</c>.</value>
    public string? YPred { get; init; } = "y_pred";

    /// <summary>The target (actual label) column; null when the file carries no labels.</summary>
    /// <value>Defaults to null.</value>
    public string? YTrue { get; init; }

    /// <summary>The timestamp column; null when the data has none.</summary>
    /// <value>Defaults to null.</value>
    public string? Timestamp { get; init; }

    /// <summary>The row id column, used to join targets that arrive later; null when not needed.</summary>
    /// <value>Defaults to null.</value>
    public string? Id { get; init; }
}
