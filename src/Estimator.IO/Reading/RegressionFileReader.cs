namespace Estimator.IO;

/// <summary>
/// Reads a regression model's data (predicted value, actual value, input features, timestamps, ids) from Parquet or
/// CSV files and from <see cref="DataFrame"/>s into the <see cref="ModelData"/> direct loss estimation takes.
/// </summary>
/// <remarks>
/// <para>Predicted and actual values are any finite numbers (floating-point, decimal, integer, or numeric text in a
/// CSV); null, NaN and empty text are missing. Features are typed as <see cref="FeatureFileReader"/> types them
/// (numeric or categorical, as pandas would). The score column (<see cref="ColumnMapping.YPredProba"/>) is not used.</para>
/// <para>Every problem raises <see cref="EstimatorDataException"/> naming the file, the column and, where it applies,
/// the 0-based data row.</para>
/// </remarks>
public static class RegressionFileReader
{
    /// <summary>Reads a Parquet or CSV file of a regression model.</summary>
    /// <param name="path">The file; its extension selects the format.</param>
    /// <param name="mapping">Which columns hold what; <see cref="ColumnMapping.YPred"/> must be set.</param>
    /// <param name="features">The model's input columns (all must exist).</param>
    /// <param name="requireTargets">Whether the target column must be mapped and present; when false it is read if present.</param>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable or holds bad data.</exception>
    /// <exception cref="ArgumentException">No prediction column is mapped, or targets are required and none is mapped.</exception>
    public static RegressionPredictionData Read(string path, ColumnMapping mapping, IReadOnlyList<string> features, bool requireTargets) =>
        ReadAsync(path, mapping, features, requireTargets).GetAwaiter().GetResult();

    /// <summary>Reads a Parquet or CSV file of a regression model asynchronously.</summary>
    /// <param name="path">The file; its extension selects the format.</param>
    /// <param name="mapping">Which columns hold what; <see cref="ColumnMapping.YPred"/> must be set.</param>
    /// <param name="features">The model's input columns (all must exist).</param>
    /// <param name="requireTargets">Whether the target column must be mapped and present; when false it is read if present.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable or holds bad data.</exception>
    /// <exception cref="ArgumentException">No prediction column is mapped, or targets are required and none is mapped.</exception>
    public static async Task<RegressionPredictionData> ReadAsync(
        string path, ColumnMapping mapping, IReadOnlyList<string> features, bool requireTargets, CancellationToken cancellationToken = default)
    {
        var requests = Requests(mapping, features, requireTargets);
        var table = await PredictionFileReader.ReadTableAsync(path, requests, cancellationToken).ConfigureAwait(false);
        return Assemble(table, mapping, features);
    }

    /// <summary>Reads a regression model's data from a data frame (for notebooks).</summary>
    /// <param name="frame">The data frame.</param>
    /// <param name="mapping">Which columns hold what; <see cref="ColumnMapping.YPred"/> must be set.</param>
    /// <param name="features">The model's input columns (all must exist).</param>
    /// <param name="requireTargets">Whether the target column must be mapped and present; when false it is read if present.</param>
    /// <param name="name">A name for the data in error messages.</param>
    /// <exception cref="EstimatorDataException">The frame holds bad data.</exception>
    /// <exception cref="ArgumentException">No prediction column is mapped, or targets are required and none is mapped.</exception>
    public static RegressionPredictionData Read(DataFrame frame, ColumnMapping mapping, IReadOnlyList<string> features, bool requireTargets, string name = "DataFrame")
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(name);
        return Assemble(DataFrameTableReader.Read(frame, name, Requests(mapping, features, requireTargets)), mapping, features);
    }

    internal static List<ColumnRequest> Requests(ColumnMapping mapping, IReadOnlyList<string> features, bool requireTargets)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(features);
        if (mapping.YPred is null)
        {
            throw new ArgumentException("A regression model needs its prediction column (YPred) mapped.", nameof(mapping));
        }

        // The prediction column leads the requests in place of a score column; a name requested twice is read once.
        // A column that is also a feature is read as text: a feature's type is inferred from its cells.
        var requests = PredictionFileReader.Requests([mapping.YPred], mapping with { YPred = null }, requireTargets, requirePredictions: false, numericLabels: true);
        foreach (var feature in features)
        {
            var at = requests.FindIndex(r => string.Equals(r.Name, feature, StringComparison.Ordinal));
            if (at < 0)
            {
                requests.Add(new ColumnRequest(feature, true));
            }
            else
            {
                requests[at] = requests[at] with { Numeric = false };
            }
        }

        return requests;
    }

    internal static RegressionPredictionData Assemble(SourceTable table, ColumnMapping mapping, IReadOnlyList<string> features)
    {
        var source = table.Source;
        var predictions = ColumnConverter.ToValues(table.Find(mapping.YPred)!, source, out var missingPrediction);
        var targets = table.Optional(mapping.YTrue, ColumnConverter.ToValues, out var missingTarget);
        var timestamps = table.Timestamps(mapping);
        var ids = table.Ids(mapping);
        var inputs = features.Distinct(StringComparer.Ordinal).Select(f => FeatureFileReader.ToFeature(table.Find(f)!, source)).ToList();
        var data = new ModelData(table.RowCount, timestamps) { Predictions = predictions, Targets = targets, Features = inputs };
        return new RegressionPredictionData(source, data, ids, missingPrediction, missingTarget);
    }
}
