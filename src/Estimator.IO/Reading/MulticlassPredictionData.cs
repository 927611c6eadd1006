namespace Estimator.IO;

/// <summary>
/// A multiclass model's prediction data read from a file or data frame: the <see cref="ModelData"/> the calculators
/// compute on (per-class scores, labels as class indices), the row ids (for joining targets later) and counts of
/// missing and suspicious values.
/// </summary>
/// <remarks>Ids are join keys as for binary data; see <see cref="PredictionData"/>.</remarks>
public sealed class MulticlassPredictionData
{
    /// <summary>Creates multiclass prediction data.</summary>
    /// <param name="source">The file path (or data frame name) the data came from.</param>
    /// <param name="data">The model outputs; <see cref="ModelData.Classes"/> and <see cref="ModelData.ClassScores"/> set.</param>
    /// <param name="ids">Row ids as join keys; null when no id column was mapped.</param>
    /// <param name="rowsMissingScore">Rows with a missing score in some class.</param>
    /// <param name="rowsMissingPrediction">Rows whose predicted label is missing (0 without predictions).</param>
    /// <param name="rowsMissingTarget">Rows whose target is missing (0 without targets).</param>
    /// <param name="rowsScoreSumOff">Rows whose scores are all present but sum to more than <see cref="MulticlassFileReader.ScoreSumTolerance"/> away from 1.</param>
    public MulticlassPredictionData(
        string source,
        ModelData data,
        IReadOnlyList<string>? ids,
        long rowsMissingScore,
        long rowsMissingPrediction,
        long rowsMissingTarget,
        long rowsScoreSumOff)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Classes is null || data.ClassScores is null)
        {
            throw new ArgumentException("The data has no per-class scores.", nameof(data));
        }

        ColumnLength.Matches(ids?.Count, data.Count, nameof(ids), "the data has");
        (Source, Data, Ids) = (source, data, ids);
        (RowsMissingScore, RowsMissingPrediction, RowsMissingTarget, RowsScoreSumOff) = (rowsMissingScore, rowsMissingPrediction, rowsMissingTarget, rowsScoreSumOff);
    }

    /// <summary>The file path (or data frame name) the data came from; used in messages.</summary>
    public string Source { get; }

    /// <summary>The model outputs: classes in the mapping's order, one score column per class, labels as class indices.</summary>
    public ModelData Data { get; }

    /// <summary>The classes, in the order of the mapping (<see cref="ColumnMapping.ClassScores"/>).</summary>
    public IReadOnlyList<string> Classes => Data.Classes!;

    /// <summary>Row ids as join keys; null when no id column was mapped.</summary>
    public IReadOnlyList<string>? Ids { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Data.Count;

    /// <summary>Rows with a missing score in some class (left out of every estimate).</summary>
    public long RowsMissingScore { get; }

    /// <summary>Rows whose predicted label is missing; 0 when there are no predictions.</summary>
    public long RowsMissingPrediction { get; }

    /// <summary>Rows whose target is missing; 0 when there are no targets.</summary>
    public long RowsMissingTarget { get; }

    /// <summary>
    /// Rows whose scores are all present but whose sum is more than <see cref="MulticlassFileReader.ScoreSumTolerance"/>
    /// away from 1. Not an error: NannyML does not renormalise raw scores either, but the realized ROC AUC and the
    /// calibration assume probabilities, so callers should warn.
    /// </summary>
    public long RowsScoreSumOff { get; }

    /// <summary>Returns a copy with the given targets (e.g. from <see cref="TargetJoin.LeftJoinClassLabelsAsync"/>).</summary>
    /// <param name="targets">One target per row: an index into <see cref="Classes"/>, or NaN.</param>
    public MulticlassPredictionData WithTargets(double[] targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return new MulticlassPredictionData(
            Source, Data.WithTargets(targets), Ids, RowsMissingScore, RowsMissingPrediction, targets.LongCount(double.IsNaN), RowsScoreSumOff);
    }
}
