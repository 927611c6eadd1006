namespace Estimator.IO;

/// <summary>
/// A regression model's data read from a file or data frame: the <see cref="ModelData"/> direct loss estimation
/// computes on (predicted values, actual values where known, the input features), the row ids (for joining targets
/// later) and counts of missing values.
/// </summary>
/// <remarks>Ids are join keys as for binary data; see <see cref="PredictionData"/>.</remarks>
public sealed class RegressionPredictionData : SourceData
{
    /// <summary>Creates regression prediction data.</summary>
    /// <param name="source">The file path (or data frame name) the data came from.</param>
    /// <param name="data">The rows; <see cref="ModelData.Predictions"/> set.</param>
    /// <param name="ids">Row ids as join keys; null when no id column was mapped.</param>
    /// <param name="rowsMissingPrediction">Rows whose predicted value is missing.</param>
    /// <param name="rowsMissingTarget">Rows whose actual value is missing (0 without targets).</param>
    public RegressionPredictionData(string source, ModelData data, IReadOnlyList<string>? ids, long rowsMissingPrediction, long rowsMissingTarget)
        : base(source, ids, WithPredictions(data).Count, "the data has", rowsMissingPrediction, rowsMissingTarget) => Data = data;

    /// <summary>The rows: predictions, targets (NaN where unknown; null when the file has none) and features.</summary>
    public ModelData Data { get; }

    /// <inheritdoc />
    public override int Count => Data.Count;

    /// <summary>Returns a copy whose targets are <paramref name="targets"/> (labels joined later), NaN where unknown.</summary>
    /// <param name="targets">One actual value per row.</param>
    public RegressionPredictionData WithTargets(double[] targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return new RegressionPredictionData(Source, Data.WithTargets(targets), Ids, RowsMissingPrediction, ColumnConverter.MissingCount(targets));
    }

    private static ModelData WithPredictions(ModelData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.Predictions is null ? throw new ArgumentException("The data has no predictions.", nameof(data)) : data;
    }
}
