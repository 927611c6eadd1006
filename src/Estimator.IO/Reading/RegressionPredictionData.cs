namespace Estimator.IO;

/// <summary>
/// A regression model's data read from a file or data frame: the <see cref="ModelData"/> direct loss estimation
/// computes on (predicted values, actual values where known, the input features), the row ids (for joining targets
/// later) and counts of missing values.
/// </summary>
/// <remarks>Ids are join keys as for binary data; see <see cref="PredictionData"/>.</remarks>
public sealed class RegressionPredictionData
{
    /// <summary>Creates regression prediction data.</summary>
    /// <param name="source">The file path (or data frame name) the data came from.</param>
    /// <param name="data">The rows; <see cref="ModelData.Predictions"/> set.</param>
    /// <param name="ids">Row ids as join keys; null when no id column was mapped.</param>
    /// <param name="rowsMissingPrediction">Rows whose predicted value is missing.</param>
    /// <param name="rowsMissingTarget">Rows whose actual value is missing (0 without targets).</param>
    public RegressionPredictionData(string source, ModelData data, IReadOnlyList<string>? ids, long rowsMissingPrediction, long rowsMissingTarget)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Predictions is null)
        {
            throw new ArgumentException("The data has no predictions.", nameof(data));
        }

        ColumnLength.Matches(ids?.Count, data.Count, nameof(ids), "the data has");
        (Source, Data, Ids, RowsMissingPrediction, RowsMissingTarget) = (source, data, ids, rowsMissingPrediction, rowsMissingTarget);
    }

    /// <summary>The file path (or data frame name) the data came from; used in messages.</summary>
    public string Source { get; }

    /// <summary>The rows: predictions, targets (NaN where unknown; null when the file has none) and features.</summary>
    public ModelData Data { get; }

    /// <summary>Row ids as join keys; null when no id column was mapped.</summary>
    public IReadOnlyList<string>? Ids { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Data.Count;

    /// <summary>Rows whose predicted value is missing (left out of every estimate).</summary>
    public long RowsMissingPrediction { get; }

    /// <summary>Rows whose actual value is missing; 0 when there are no targets.</summary>
    public long RowsMissingTarget { get; }

    /// <summary>Returns a copy whose targets are <paramref name="targets"/> (labels joined later), NaN where unknown.</summary>
    /// <param name="targets">One actual value per row.</param>
    public RegressionPredictionData WithTargets(double[] targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var missing = 0L;
        foreach (var t in targets)
        {
            missing += double.IsNaN(t) ? 1 : 0;
        }

        return new RegressionPredictionData(Source, Data.WithTargets(targets), Ids, RowsMissingPrediction, missing);
    }
}
