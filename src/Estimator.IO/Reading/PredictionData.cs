namespace Estimator.IO;

/// <summary>
/// Prediction data read from a file or data frame: the <see cref="PredictionSet"/> the engine computes on, the row ids
/// (for joining targets later) and counts of missing values.
/// </summary>
/// <remarks>Ids are join keys; see <see cref="SourceData"/>.</remarks>
public sealed class PredictionData : SourceData
{
    /// <summary>Creates prediction data.</summary>
    /// <param name="source">The file path (or data frame name) the data came from.</param>
    /// <param name="set">The model outputs.</param>
    /// <param name="ids">Row ids as join keys (see remarks); null when no id column was mapped.</param>
    /// <param name="rowsMissingScore">Rows whose score is missing (NaN).</param>
    /// <param name="rowsMissingPrediction">Rows whose predicted label is missing (0 without predictions).</param>
    /// <param name="rowsMissingTarget">Rows whose target is missing (0 without targets).</param>
    public PredictionData(string source, PredictionSet set, IReadOnlyList<string>? ids, long rowsMissingScore, long rowsMissingPrediction, long rowsMissingTarget)
        : base(source, ids, (set ?? throw new ArgumentNullException(nameof(set))).Count, "the set has", rowsMissingPrediction, rowsMissingTarget)
    {
        Set = set;
        RowsMissingScore = rowsMissingScore;
    }

    /// <summary>The model outputs (scores, predictions, targets, timestamps).</summary>
    public PredictionSet Set { get; }

    /// <inheritdoc />
    public override int Count => Set.Count;

    /// <summary>Rows whose score is missing (null, NaN or empty); they stay NaN in <see cref="PredictionSet.Scores"/>.</summary>
    public long RowsMissingScore { get; }

    /// <summary>Returns a copy with the given targets (e.g. from <see cref="TargetJoin.LeftJoin(PredictionData, string, string, string)"/>).</summary>
    /// <param name="targets">One target per row, 0, 1 or NaN.</param>
    public PredictionData WithTargets(double[] targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return new PredictionData(Source, Set.WithTargets(targets), Ids, RowsMissingScore, RowsMissingPrediction, ColumnConverter.MissingCount(targets));
    }
}
