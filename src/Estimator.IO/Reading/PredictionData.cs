namespace Estimator.IO;

/// <summary>
/// Prediction data read from a file or data frame: the <see cref="PredictionSet"/> the engine computes on, the row ids
/// (for joining targets later) and counts of missing values.
/// </summary>
/// <remarks>
/// Ids are kept as strings so that keys join across files whatever their stored type: an integer id of any width
/// (and an integral floating-point id such as <c>123.0</c>) becomes its invariant decimal form (<c>"123"</c>),
/// a string id is kept verbatim. So an int64 <c>123</c>, an int32 <c>123</c> and the string <c>"123"</c> are the same
/// key, while <c>"0123"</c> is not.
/// </remarks>
public sealed class PredictionData
{
    /// <summary>Creates prediction data.</summary>
    /// <param name="source">The file path (or data frame name) the data came from.</param>
    /// <param name="set">The model outputs.</param>
    /// <param name="ids">Row ids as join keys (see remarks); null when no id column was mapped.</param>
    /// <param name="rowsMissingScore">Rows whose score is missing (NaN).</param>
    /// <param name="rowsMissingPrediction">Rows whose predicted label is missing (0 without predictions).</param>
    /// <param name="rowsMissingTarget">Rows whose target is missing (0 without targets).</param>
    public PredictionData(string source, PredictionSet set, IReadOnlyList<string>? ids, long rowsMissingScore, long rowsMissingPrediction, long rowsMissingTarget)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(set);
        ColumnLength.Matches(ids?.Count, set.Count, nameof(ids), "the set has");

        Source = source;
        Set = set;
        Ids = ids;
        RowsMissingScore = rowsMissingScore;
        RowsMissingPrediction = rowsMissingPrediction;
        RowsMissingTarget = rowsMissingTarget;
    }

    /// <summary>The file path (or data frame name) the data came from; used in error messages.</summary>
    public string Source { get; }

    /// <summary>The model outputs (scores, predictions, targets, timestamps).</summary>
    public PredictionSet Set { get; }

    /// <summary>Row ids as join keys; null when no id column was mapped.</summary>
    public IReadOnlyList<string>? Ids { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Set.Count;

    /// <summary>Rows whose score is missing (null, NaN or empty); they stay NaN in <see cref="PredictionSet.Scores"/>.</summary>
    public long RowsMissingScore { get; }

    /// <summary>Rows whose predicted label is missing; 0 when there are no predictions.</summary>
    public long RowsMissingPrediction { get; }

    /// <summary>Rows whose target is missing; 0 when there are no targets.</summary>
    public long RowsMissingTarget { get; }

    /// <summary>Returns a copy with the given targets (e.g. from <see cref="TargetJoin.LeftJoin(PredictionData, string, string, string)"/>).</summary>
    /// <param name="targets">One target per row, 0, 1 or NaN.</param>
    public PredictionData WithTargets(double[] targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        long missing = 0;
        foreach (var t in targets)
        {
            if (double.IsNaN(t))
            {
                missing++;
            }
        }

        return new PredictionData(Source, Set.WithTargets(targets), Ids, RowsMissingScore, RowsMissingPrediction, missing);
    }
}
