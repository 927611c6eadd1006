namespace Estimator.IO;

/// <summary>
/// Reads prediction data (scores, predicted labels, targets, timestamps, ids) from Parquet or CSV files and from
/// <see cref="DataFrame"/>s, validating every value.
/// </summary>
/// <remarks>
/// <para>The format follows the extension: <c>.parquet</c>/<c>.parq</c> (columnar, row group by row group, only the
/// mapped columns are read) or <c>.csv</c> (RFC 4180, header row required, invariant culture).</para>
/// <para>Accepted values: scores of any floating-point, decimal or integer type, in [0, 1]; labels and predictions as
/// bool or any integer or floating-point type holding 0/1 (CSV: <c>0</c>, <c>1</c>, <c>0.0</c>, <c>1.0</c>,
/// <c>true</c>, <c>false</c>); timestamps as Parquet timestamps/dates, <see cref="DateTime"/>,
/// <see cref="DateTimeOffset"/> or ISO-8601-like strings (<c>2018-01-01 00:00:00.000</c>,
/// <c>2018-01-01T00:00:00Z</c>, <c>2018-01-01</c>); naive times are taken as UTC. Null, NaN, empty text,
/// <c>nan</c> and <c>null</c> mean missing: a missing score, label or prediction stays NaN (and is counted); a missing
/// timestamp or id is an error.</para>
/// <para>Every problem with the data raises <see cref="EstimatorDataException"/> naming the file, the column and,
/// where it applies, the 0-based data row.</para>
/// </remarks>
public static class PredictionFileReader
{
    /// <inheritdoc cref="ReadAsync"/>
    public static PredictionData Read(string path, ColumnMapping mapping, bool requireTargets, bool requirePredictions) =>
        ReadAsync(path, mapping, requireTargets, requirePredictions).GetAwaiter().GetResult();

    /// <summary>Reads a Parquet or CSV prediction file asynchronously.</summary>
    /// <param name="path">The file; its extension selects the format.</param>
    /// <param name="mapping">Which columns hold what.</param>
    /// <param name="requireTargets">Whether the target column must be mapped and present; when false it is read if present.</param>
    /// <param name="requirePredictions">Whether the predicted label column must be mapped and present; when false it is read if present.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable or holds bad data.</exception>
    /// <exception cref="ArgumentException">A required column is not mapped.</exception>
    public static async Task<PredictionData> ReadAsync(string path, ColumnMapping mapping, bool requireTargets, bool requirePredictions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var requests = Requests(mapping, requireTargets, requirePredictions);
        var table = await ReadTableAsync(path, requests, cancellationToken).ConfigureAwait(false);
        return Assemble(table, mapping);
    }

    /// <summary>Reads prediction data from a data frame (for notebooks).</summary>
    /// <param name="frame">The data frame.</param>
    /// <param name="mapping">Which columns hold what.</param>
    /// <param name="requireTargets">Whether the target column must be mapped and present; when false it is read if present.</param>
    /// <param name="requirePredictions">Whether the predicted label column must be mapped and present; when false it is read if present.</param>
    /// <param name="name">A name for the data in error messages.</param>
    /// <exception cref="EstimatorDataException">The frame holds bad data.</exception>
    /// <exception cref="ArgumentException">A required column is not mapped.</exception>
    public static PredictionData Read(DataFrame frame, ColumnMapping mapping, bool requireTargets, bool requirePredictions, string name = "DataFrame")
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(name);
        var requests = Requests(mapping, requireTargets, requirePredictions);
        return Assemble(DataFrameTableReader.Read(frame, name, requests), mapping);
    }

    /// <summary>Reads the requested columns of a Parquet or CSV file (shared with <see cref="TargetJoin"/>).</summary>
    internal static async Task<SourceTable> ReadTableAsync(string path, IReadOnlyList<ColumnRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new EstimatorDataException("is a directory; give a Parquet or CSV file", path);
        }

        var format = FileFormats.FromPath(path);
        if (format is not (FileFormat.Parquet or FileFormat.Csv))
        {
            throw new EstimatorDataException("has an unsupported extension; expected .parquet, .parq or .csv", path);
        }

        if (!File.Exists(path))
        {
            throw new EstimatorDataException("file not found", path);
        }

        return format == FileFormat.Parquet
            ? await ParquetTableReader.ReadAsync(path, requests, cancellationToken).ConfigureAwait(false)
            : CsvTableReader.Read(path, requests, cancellationToken);
    }

    internal static List<ColumnRequest> Requests(ColumnMapping mapping, bool requireTargets, bool requirePredictions)
    {
        ArgumentException.ThrowIfNullOrEmpty(mapping.YPredProba, "mapping.YPredProba");
        return Requests([mapping.YPredProba], mapping, requireTargets, requirePredictions, numericLabels: true);
    }

    /// <summary>
    /// The columns to read: the score column(s), then prediction, target, timestamp and id as mapped; checks that what is
    /// required is mapped. Scores are numbers; predictions and targets too when <paramref name="numericLabels"/> (a
    /// binary or regression model; a multiclass model's labels are text).
    /// </summary>
    internal static List<ColumnRequest> Requests(IEnumerable<string> scoreColumns, ColumnMapping mapping, bool requireTargets, bool requirePredictions, bool numericLabels)
    {
        if (requireTargets && mapping.YTrue is null)
        {
            throw new ArgumentException("Targets are required but no target column (YTrue) is mapped.", nameof(mapping));
        }

        if (requirePredictions && mapping.YPred is null)
        {
            throw new ArgumentException("Predicted labels are required but no prediction column (YPred) is mapped.", nameof(mapping));
        }

        var requests = scoreColumns.Select(c => new ColumnRequest(c, true, Numeric: true)).ToList();
        if (mapping.YPred is not null)
        {
            requests.Add(new(mapping.YPred, requirePredictions, numericLabels));
        }

        if (mapping.YTrue is not null)
        {
            requests.Add(new(mapping.YTrue, requireTargets, numericLabels));
        }

        if (mapping.Timestamp is not null)
        {
            requests.Add(new(mapping.Timestamp, true));
        }

        if (mapping.Id is not null)
        {
            requests.Add(new(mapping.Id, true));
        }

        return requests;
    }

    internal static PredictionData Assemble(SourceTable table, ColumnMapping mapping)
    {
        var source = table.Source;
        var scores = ColumnConverter.ToScores(table.Find(mapping.YPredProba)!, source, out var missingScore);

        var predictions = table.Optional(mapping.YPred, ColumnConverter.ToLabels, out var missingPrediction);
        var targets = table.Optional(mapping.YTrue, ColumnConverter.ToLabels, out var missingTarget);
        return new PredictionData(source, new PredictionSet(scores, predictions, targets, table.Timestamps(mapping)), table.Ids(mapping), missingScore, missingPrediction, missingTarget);
    }
}
