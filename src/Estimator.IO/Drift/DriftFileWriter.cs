using System.Text.Json;

namespace Estimator.IO;

/// <summary>
/// Writes drift and data-quality results as a drift file: long format, one row per chunk × calculator × column ×
/// method, in the column order of DRIFT_FILE_SCHEMA.md (schema version 1).
/// </summary>
/// <remarks>
/// The format follows the extension: <c>.parquet</c>/<c>.parq</c> (one row group, Snappy), <c>.csv</c> (RFC 4180, header
/// row, invariant culture, shortest round-trippable doubles, <c>true</c>/<c>false</c>, ISO 8601 UTC with <c>Z</c>, null
/// empty) or <c>.json</c> (an array of objects keyed by column name). NaN is written as null. The write is atomic, as
/// <see cref="EstimateFileWriter"/>'s.
/// </remarks>
public static class DriftFileWriter
{
    /// <summary>The schema version written to every row.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The column names, in file order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "schema_version", "model", "chunk_key", "chunk_index", "chunk_start_index", "chunk_end_index", "chunk_start_date",
        "chunk_end_date", "period", "chunk_rows", "calculator", "column", "column_kind", "method", "value", "p_value",
        "sampling_error", "lower_confidence_bound", "upper_confidence_bound", "lower_threshold", "upper_threshold", "alert",
    ];

    private static readonly ParquetSchema Schema = new(
    [
        .. ChunkColumns.Fields(),
        new DataField<string>(Columns[10], false),
        new DataField<string>(Columns[11], true),
        new DataField<string>(Columns[12], true),
        new DataField<string>(Columns[13], false),
        .. Columns.Skip(14).Take(7).Select(name => new DataField<double?>(name, true)),
        new DataField<bool>(Columns[21], false),
    ]);

    /// <summary>Writes the rows of one or more results (drift, data quality) to <paramref name="path"/>, atomically.</summary>
    /// <param name="results">The results; their rows are written in order, each with its result's model name.</param>
    /// <param name="path">The destination: <c>.parquet</c>, <c>.parq</c>, <c>.csv</c> or <c>.json</c>.</param>
    /// <param name="cancellationToken">Cancels the write (the destination is left untouched).</param>
    /// <exception cref="ArgumentException">Unknown extension; nothing is written.</exception>
    public static Task WriteAsync(IReadOnlyList<CalculatorResult> results, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = TableFileWriter.FormatOf(path, "drift");
        var rows = results.SelectMany(r => r.Rows.Select(row => (r.Model, Row: row))).ToList();
        return TableFileWriter.WriteAsync(
            path,
            format,
            rows.Count,
            (
                (stream, token) => TableFileWriter.WriteParquetAsync(Schema, stream, (group, fields) => WriteParquetColumnsAsync(rows, group, fields, token), token),
                (stream, token) => TableFileWriter.WriteCsvAsync(stream, Columns, rows, WriteCsvFields, token),
                (stream, token) => TableFileWriter.WriteJsonAsync(stream, rows, WriteJsonProperties, token)),
            beforeCommit: null,
            cancellationToken);
    }

    /// <summary>Writes the rows of the results synchronously (see <see cref="WriteAsync"/>).</summary>
    public static void Write(IReadOnlyList<CalculatorResult> results, string path) => WriteAsync(results, path).GetAwaiter().GetResult();

    private static double? Nullable(double value) => double.IsNaN(value) ? null : value;

    private static double? Nullable(double? value) => value is double d && !double.IsNaN(d) ? d : null;

    private static string PeriodName(Period period) => period == Period.Reference ? "reference" : "analysis";

    private static ChunkColumns.Values ChunkValues((string Model, ChunkEstimate Row) r) => ChunkColumns.Values.Of(SchemaVersion, r.Model, r.Row.Chunk, PeriodName(r.Row.Period));

    private static async Task WriteParquetColumnsAsync(List<(string Model, ChunkEstimate Row)> rows, ParquetRowGroupWriter group, DataField[] fields, CancellationToken cancellationToken)
    {
        await ChunkColumns.WriteParquetAsync(group, fields, rows, ChunkValues, cancellationToken).ConfigureAwait(false);
        var f = ChunkColumns.Count;
        await group.WriteAsync(fields[f++], Map(rows, r => r.Row.Calculator.Name())).ConfigureAwait(false);
        await group.WriteAsync(fields[f++], Map(rows, r => r.Row.Column)).ConfigureAwait(false);
        await group.WriteAsync(fields[f++], Map(rows, r => r.Row.ColumnKind)).ConfigureAwait(false);
        await group.WriteAsync(fields[f++], Map(rows, r => r.Row.Metric)).ConfigureAwait(false);
        foreach (var select in Doubles)
        {
            await group.WriteAsync<double>(fields[f++], Map(rows, select), null, null, cancellationToken).ConfigureAwait(false);
        }

        await group.WriteAsync<bool>(fields[f], Map(rows, r => r.Row.Alert), null, null, cancellationToken).ConfigureAwait(false);
    }

    // value, p_value, sampling_error, lower/upper confidence bound, lower/upper threshold: file order.
    private static readonly Func<(string Model, ChunkEstimate Row), double?>[] Doubles =
    [
        r => Nullable(r.Row.Estimated),
        r => Nullable(r.Row.PValue),
        r => Nullable(r.Row.SamplingError),
        r => Nullable(r.Row.LowerConfidenceBound),
        r => Nullable(r.Row.UpperConfidenceBound),
        r => Nullable(r.Row.LowerThreshold),
        r => Nullable(r.Row.UpperThreshold),
    ];

    private static void WriteCsvFields(CsvRecordWriter csv, (string Model, ChunkEstimate Row) r)
    {
        ChunkColumns.WriteCsv(csv, ChunkValues(r));
        csv.WriteField(r.Row.Calculator.Name());
        csv.WriteField(r.Row.Column ?? "");
        csv.WriteField(r.Row.ColumnKind ?? "");
        csv.WriteField(r.Row.Metric);
        foreach (var select in Doubles)
        {
            csv.WriteField(TableFileWriter.FormatDouble(select(r)));
        }

        csv.WriteField(r.Row.Alert);
    }

    private static void WriteJsonProperties(Utf8JsonWriter json, (string Model, ChunkEstimate Row) r)
    {
        ChunkColumns.WriteJson(json, ChunkValues(r));
        json.WriteString(Columns[10], r.Row.Calculator.Name());
        json.WriteString(Columns[11], r.Row.Column);
        json.WriteString(Columns[12], r.Row.ColumnKind);
        json.WriteString(Columns[13], r.Row.Metric);
        for (var d = 0; d < Doubles.Length; d++)
        {
            TableFileWriter.WriteDouble(json, Columns[14 + d], Doubles[d](r));
        }

        json.WriteBoolean(Columns[21], r.Row.Alert);
    }

    private static T[] Map<T>(List<(string Model, ChunkEstimate Row)> rows, Func<(string Model, ChunkEstimate Row), T> select) => TableFileWriter.Column(rows, select);
}
