using System.Text.Json;

namespace Estimator.IO;

/// <summary>
/// Writes a <see cref="CalculatorResult"/> (binary CBPE's <see cref="CbpeResult"/> among them) as an estimate file: long format, one row per <see cref="ChunkEstimate"/>.
/// </summary>
/// <remarks>
/// <para>The format follows the extension: <c>.parquet</c>/<c>.parq</c> (one row group, Snappy), <c>.csv</c>
/// (RFC 4180, header row, invariant culture, shortest round-trippable doubles, <c>true</c>/<c>false</c>, ISO 8601
/// UTC timestamps with <c>Z</c>, null as an empty field) or <c>.json</c> (an array of objects keyed by the column
/// names, null as <c>null</c>).</para>
/// <para>Columns, in order (schema version 5):</para>
/// <list type="table">
/// <listheader><term>column (type)</term><description>meaning</description></listheader>
/// <item><term><c>schema_version</c> (int32)</term><description>5.</description></item>
/// <item><term><c>model</c> (string)</term><description>The model's name.</description></item>
/// <item><term><c>chunk_key</c> (string)</term><description>NannyML's chunk key (<c>[0:4999]</c>, <c>2018-10</c>).</description></item>
/// <item><term><c>chunk_index</c> (int32)</term><description>0-based position of the chunk within its period.</description></item>
/// <item><term><c>chunk_start_index</c> (int64)</term><description>First row of the chunk (0-based, inclusive).</description></item>
/// <item><term><c>chunk_end_index</c> (int64)</term><description>Last row of the chunk (inclusive).</description></item>
/// <item><term><c>chunk_start_date</c> (UTC timestamp, nullable)</term><description>Start of the chunk; null without a timestamp column.</description></item>
/// <item><term><c>chunk_end_date</c> (UTC timestamp, nullable)</term><description>End of the chunk; null without a timestamp column.</description></item>
/// <item><term><c>period</c> (string)</term><description><c>reference</c> or <c>analysis</c>.</description></item>
/// <item><term><c>chunk_rows</c> (int64)</term><description>Rows in the chunk.</description></item>
/// <item><term><c>metric</c> (string)</term><description>Metric or confusion-matrix component (<c>roc_auc</c>, <c>true_positive</c>, ...).</description></item>
/// <item><term><c>estimated</c> (double, nullable)</term><description>The CBPE estimate; null when not computable.</description></item>
/// <item><term><c>sampling_error</c> (double, nullable)</term><description>Standard error of the metric for a chunk of this size.</description></item>
/// <item><term><c>lower_confidence_bound</c> (double, nullable)</term><description>max(lower limit, estimated − 3·sampling error).</description></item>
/// <item><term><c>upper_confidence_bound</c> (double, nullable)</term><description>min(upper limit, estimated + 3·sampling error).</description></item>
/// <item><term><c>lower_threshold</c> (double, nullable)</term><description>Lower alert threshold; null when disabled or not computable.</description></item>
/// <item><term><c>upper_threshold</c> (double, nullable)</term><description>Upper alert threshold; null when disabled or not computable.</description></item>
/// <item><term><c>alert</c> (bool)</term><description>Whether the estimate lies outside the thresholds.</description></item>
/// <item><term><c>realized</c> (double, nullable)</term><description>The metric from the labels; null without labels or when not computable.</description></item>
/// <item><term><c>targets_missing_rate</c> (double, nullable)</term><description>Share of the chunk's rows without a label; null when the data carries no labels.</description></item>
/// <item><term><c>provisional</c> (bool)</term><description>True while the chunk is still filling (job host); replaced when complete.</description></item>
/// <item><term><c>estimated_at</c> (UTC timestamp, nullable)</term><description>When the row was computed.</description></item>
/// <item><term><c>run_id</c> (string, nullable)</term><description>The job run that computed the row; null outside the job host.</description></item>
/// <item><term><c>class</c> (string, nullable)</term><description>The class of a multiclass model's per-class (one-vs-rest) row; null on macro-averaged and binary rows.</description></item>
/// <item><term><c>estimator</c> (string, nullable)</term><description>The estimator behind a shift-aware estimate (<c>cbpe</c>, <c>weighted</c>, <c>prior</c>); null on plain CBPE rows.</description></item>
/// <item><term><c>effective_sample_size</c> (double, nullable)</term><description>Kish's effective sample size behind an importance-weighted estimate; null otherwise.</description></item>
/// <item><term><c>domain_auc</c> (double, nullable)</term><description>A shift-aware estimate's domain-classifier AUROC (chunk against reference); null where none was fitted.</description></item>
/// <item><term><c>estimated_prior</c> (double, nullable)</term><description>A shift-aware estimate's class prior re-estimated by EM; null where not estimated.</description></item>
/// <item><term><c>prior_likelihood_ratio</c> (double, nullable)</term><description>2 × log-likelihood ratio of that prior against the reference's; null where not estimated.</description></item>
/// <item><term><c>estimator_reason</c> (string, nullable)</term><description>Why the chunk has its estimator, in words; null on rows that are not shift-aware.</description></item>
/// </list>
/// <para>NaN is written as null in every nullable double column. The write is atomic: the file is written to a
/// temporary file <c>.&lt;name&gt;.&lt;guid&gt;.tmp</c> in the target directory and moved over <c>path</c> only after a
/// successful flush; on failure the temporary file is deleted and an existing file at <c>path</c> is left untouched.</para>
/// </remarks>
public static class EstimateFileWriter
{
    /// <summary>Writes the result to <paramref name="path"/> (format by extension), atomically.</summary>
    /// <param name="result">The result.</param>
    /// <param name="path">The destination: <c>.parquet</c>, <c>.parq</c>, <c>.csv</c> or <c>.json</c>.</param>
    /// <exception cref="ArgumentException">Unknown extension (nothing is written), or a result row is null or has no chunk.</exception>
    public static void Write(CalculatorResult result, string path) => WriteAsync(result, path).GetAwaiter().GetResult();

    /// <summary>Writes estimate records to <paramref name="path"/> (format by extension), atomically.</summary>
    /// <param name="records">The records, in output order.</param>
    /// <param name="path">The destination: <c>.parquet</c>, <c>.parq</c>, <c>.csv</c> or <c>.json</c>.</param>
    /// <exception cref="ArgumentException">Unknown extension; nothing is written.</exception>
    public static void Write(IReadOnlyList<EstimateRecord> records, string path) =>
        WriteRecordsAsync(records, path, null, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Writes the result to <paramref name="path"/> (format by extension), atomically.</summary>
    /// <param name="result">The result.</param>
    /// <param name="path">The destination: <c>.parquet</c>, <c>.parq</c>, <c>.csv</c> or <c>.json</c>.</param>
    /// <param name="cancellationToken">Cancels the write (the destination is left untouched).</param>
    /// <exception cref="ArgumentException">Unknown extension (nothing is written), or a result row is null or has no chunk.</exception>
    public static Task WriteAsync(CalculatorResult result, string path, CancellationToken cancellationToken = default) =>
        WriteCoreAsync(result, path, null, cancellationToken);

    /// <summary>The write, with a hook called with the temporary file's path just before the commit (for tests).</summary>
    internal static Task WriteCoreAsync(CalculatorResult result, string path, Action<string>? beforeCommit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(path);
        _ = TableFileWriter.FormatOf(path, "estimate");
        return WriteRecordsAsync(EstimateRecord.FromResult(result, TimeProvider.System.GetUtcNow().UtcDateTime), path, beforeCommit, cancellationToken);
    }

    internal static async Task WriteRecordsAsync(IReadOnlyList<EstimateRecord> records, string path, Action<string>? beforeCommit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = TableFileWriter.FormatOf(path, "estimate");

        // A small file (the store writes one per chunk) is composed in memory and written in one call; a large one
        // streams to disk.
        await TableFileWriter.WriteAsync(
            path,
            format,
            records.Count,
            (
                (stream, token) => TableFileWriter.WriteParquetAsync(ParquetSchema, stream, (group, fields) => WriteParquetColumnsAsync(records, group, fields, token), token),
                (stream, token) => TableFileWriter.WriteCsvAsync(stream, EstimateColumns.All, records, WriteCsvFields, token),
                (stream, token) => TableFileWriter.WriteJsonAsync(stream, records, WriteJsonProperties, token)),
            beforeCommit,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The Parquet schema of estimate files (schema version 5).</summary>
    internal static ParquetSchema ParquetSchema { get; } = new(
    [
        .. ChunkColumns.Fields(),
        new DataField<string>(EstimateColumns.Metric, false),
        .. EstimateColumns.Band.Select(c => new DataField<double?>(c.Name, true)),
        new DataField<bool>(EstimateColumns.Alert, false),
        new DataField<double?>(EstimateColumns.Realized, true),
        new DataField<double?>(EstimateColumns.TargetsMissingRate, true),
        new DataField<bool>(EstimateColumns.Provisional, false),
        new DateTimeDataField(EstimateColumns.EstimatedAt, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        new DataField<string>(EstimateColumns.RunId, true),
        new DataField<string>(EstimateColumns.Class, true),
        new DataField<string>(EstimateColumns.Estimator, true),
        new DataField<double?>(EstimateColumns.EffectiveSampleSize, true),
        new DataField<double?>(EstimateColumns.DomainAuc, true),
        new DataField<double?>(EstimateColumns.EstimatedPrior, true),
        new DataField<double?>(EstimateColumns.PriorLikelihoodRatio, true),
        new DataField<string>(EstimateColumns.EstimatorReason, true),
    ]);

    private static async Task WriteParquetColumnsAsync(IReadOnlyList<EstimateRecord> records, ParquetRowGroupWriter group, DataField[] fields, CancellationToken cancellationToken)
    {
        await ChunkColumns.WriteParquetAsync(group, fields, records, static r => r.ChunkValues, cancellationToken).ConfigureAwait(false);
        var f = ChunkColumns.Count;
        await group.WriteAsync(fields[f++], Column(records, static r => r.Metric)).ConfigureAwait(false);
        foreach (var (_, value) in EstimateColumns.Band)
        {
            await group.WriteAsync<double>(fields[f++], Column(records, value), null, null, cancellationToken).ConfigureAwait(false);
        }

        await group.WriteAsync<bool>(fields[f++], Column(records, static r => r.Alert), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<double>(fields[f++], Column(records, static r => r.Realized), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<double>(fields[f++], Column(records, static r => r.TargetsMissingRate), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<bool>(fields[f++], Column(records, static r => r.Provisional), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(fields[f++], Column(records, static r => r.EstimatedAt), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(fields[f++], Column(records, static r => r.RunId)).ConfigureAwait(false);
        await group.WriteAsync(fields[f++], Column(records, static r => r.Class)).ConfigureAwait(false);
        await group.WriteAsync(fields[f++], Column(records, static r => r.Estimator)).ConfigureAwait(false);
        await group.WriteAsync<double>(fields[f++], Column(records, static r => r.EffectiveSampleSize), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<double>(fields[f++], Column(records, static r => r.DomainAuc), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<double>(fields[f++], Column(records, static r => r.EstimatedPrior), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<double>(fields[f++], Column(records, static r => r.PriorLikelihoodRatio), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(fields[f], Column(records, static r => r.EstimatorReason)).ConfigureAwait(false);
    }

    private static void WriteCsvFields(CsvRecordWriter csv, EstimateRecord r)
    {
        ChunkColumns.WriteCsv(csv, r.ChunkValues);
        csv.WriteField(r.Metric);
        foreach (var (_, value) in EstimateColumns.Band)
        {
            csv.WriteField(TableFileWriter.FormatDouble(value(r)));
        }

        csv.WriteField(r.Alert);
        csv.WriteField(TableFileWriter.FormatDouble(r.Realized));
        csv.WriteField(TableFileWriter.FormatDouble(r.TargetsMissingRate));
        csv.WriteField(r.Provisional);
        csv.WriteField(TableFileWriter.FormatDate(r.EstimatedAt));
        csv.WriteField(r.RunId ?? "");
        csv.WriteField(r.Class ?? "");
        csv.WriteField(r.Estimator ?? "");
        csv.WriteField(TableFileWriter.FormatDouble(r.EffectiveSampleSize));
        csv.WriteField(TableFileWriter.FormatDouble(r.DomainAuc));
        csv.WriteField(TableFileWriter.FormatDouble(r.EstimatedPrior));
        csv.WriteField(TableFileWriter.FormatDouble(r.PriorLikelihoodRatio));
        csv.WriteField(r.EstimatorReason ?? "");
    }

    private static void WriteJsonProperties(Utf8JsonWriter json, EstimateRecord r)
    {
        ChunkColumns.WriteJson(json, r.ChunkValues);
        json.WriteString(EstimateColumns.Metric, r.Metric);
        foreach (var (name, value) in EstimateColumns.Band)
        {
            TableFileWriter.WriteDouble(json, name, value(r));
        }

        json.WriteBoolean(EstimateColumns.Alert, r.Alert);
        TableFileWriter.WriteDouble(json, EstimateColumns.Realized, r.Realized);
        TableFileWriter.WriteDouble(json, EstimateColumns.TargetsMissingRate, r.TargetsMissingRate);
        json.WriteBoolean(EstimateColumns.Provisional, r.Provisional);
        TableFileWriter.WriteDate(json, EstimateColumns.EstimatedAt, r.EstimatedAt);
        // WriteString writes JSON null for a null string.
        json.WriteString(EstimateColumns.RunId, r.RunId);
        json.WriteString(EstimateColumns.Class, r.Class);
        json.WriteString(EstimateColumns.Estimator, r.Estimator);
        TableFileWriter.WriteDouble(json, EstimateColumns.EffectiveSampleSize, r.EffectiveSampleSize);
        TableFileWriter.WriteDouble(json, EstimateColumns.DomainAuc, r.DomainAuc);
        TableFileWriter.WriteDouble(json, EstimateColumns.EstimatedPrior, r.EstimatedPrior);
        TableFileWriter.WriteDouble(json, EstimateColumns.PriorLikelihoodRatio, r.PriorLikelihoodRatio);
        json.WriteString(EstimateColumns.EstimatorReason, r.EstimatorReason);
    }

    private static T[] Column<T>(IReadOnlyList<EstimateRecord> records, Func<EstimateRecord, T> select) => TableFileWriter.Column(records, select);
}
