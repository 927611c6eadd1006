using System.Text.Json;

namespace Estimator.IO;

/// <summary>
/// The ten columns every table file starts with (<c>schema_version</c> through <c>chunk_rows</c>, the same names and
/// types in estimate and drift files): their Parquet fields and how a row's values are written to Parquet, CSV and JSON.
/// </summary>
internal static class ChunkColumns
{
    /// <summary>How many columns: the file's own columns start at this index.</summary>
    public const int Count = 10;

    /// <summary>The columns' Parquet fields, in file order (new instances: a schema owns its fields).</summary>
    public static DataField[] Fields() =>
    [
        new DataField<int>(EstimateColumns.SchemaVersion, false),
        new DataField<string>(EstimateColumns.Model, false),
        new DataField<string>(EstimateColumns.ChunkKey, false),
        new DataField<int>(EstimateColumns.ChunkIndex, false),
        new DataField<long>(EstimateColumns.ChunkStartIndex, false),
        new DataField<long>(EstimateColumns.ChunkEndIndex, false),
        new DateTimeDataField(EstimateColumns.ChunkStartDate, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        new DateTimeDataField(EstimateColumns.ChunkEndDate, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        new DataField<string>(EstimateColumns.Period, false),
        new DataField<long>(EstimateColumns.ChunkRows, false),
    ];

    /// <summary>Writes the columns of <paramref name="rows"/> to the row group's first <see cref="Count"/> fields.</summary>
    public static async Task WriteParquetAsync<TRow>(ParquetRowGroupWriter group, DataField[] fields, IReadOnlyList<TRow> rows, Func<TRow, Values> select, CancellationToken cancellationToken)
    {
        var values = TableFileWriter.Column(rows, select);
        var f = 0;
        await group.WriteAsync<int>(fields[f++], TableFileWriter.Column(values, static v => v.SchemaVersion), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(fields[f++], TableFileWriter.Column(values, static v => v.Model)).ConfigureAwait(false);
        await group.WriteAsync(fields[f++], TableFileWriter.Column(values, static v => v.Key)).ConfigureAwait(false);
        await group.WriteAsync<int>(fields[f++], TableFileWriter.Column(values, static v => v.Index), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<long>(fields[f++], TableFileWriter.Column(values, static v => v.StartIndex), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<long>(fields[f++], TableFileWriter.Column(values, static v => v.EndIndex), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(fields[f++], TableFileWriter.Column(values, static v => v.StartDate), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(fields[f++], TableFileWriter.Column(values, static v => v.EndDate), null, null, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(fields[f++], TableFileWriter.Column(values, static v => v.Period)).ConfigureAwait(false);
        await group.WriteAsync<long>(fields[f], TableFileWriter.Column(values, static v => v.Rows), null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one row's columns as CSV fields.</summary>
    public static void WriteCsv(CsvRecordWriter csv, Values v)
    {
        csv.WriteField(v.SchemaVersion);
        csv.WriteField(v.Model);
        csv.WriteField(v.Key);
        csv.WriteField(v.Index);
        csv.WriteField(v.StartIndex);
        csv.WriteField(v.EndIndex);
        csv.WriteField(TableFileWriter.FormatDate(v.StartDate));
        csv.WriteField(TableFileWriter.FormatDate(v.EndDate));
        csv.WriteField(v.Period);
        csv.WriteField(v.Rows);
    }

    /// <summary>Writes one row's columns as JSON properties.</summary>
    public static void WriteJson(Utf8JsonWriter json, Values v)
    {
        json.WriteNumber(EstimateColumns.SchemaVersion, v.SchemaVersion);
        json.WriteString(EstimateColumns.Model, v.Model);
        json.WriteString(EstimateColumns.ChunkKey, v.Key);
        json.WriteNumber(EstimateColumns.ChunkIndex, v.Index);
        json.WriteNumber(EstimateColumns.ChunkStartIndex, v.StartIndex);
        json.WriteNumber(EstimateColumns.ChunkEndIndex, v.EndIndex);
        TableFileWriter.WriteDate(json, EstimateColumns.ChunkStartDate, v.StartDate);
        TableFileWriter.WriteDate(json, EstimateColumns.ChunkEndDate, v.EndDate);
        json.WriteString(EstimateColumns.Period, v.Period);
        json.WriteNumber(EstimateColumns.ChunkRows, v.Rows);
    }

    /// <summary>One row's values of the chunk columns.</summary>
    public readonly record struct Values(int SchemaVersion, string Model, string Key, int Index, long StartIndex, long EndIndex, DateTime? StartDate, DateTime? EndDate, string Period, long Rows)
    {
        /// <summary>The values of a row of <paramref name="chunk"/>.</summary>
        public static Values Of(int schemaVersion, string model, Chunk chunk, string period) =>
            new(schemaVersion, model, chunk.Key, chunk.Index, chunk.StartIndex, chunk.EndIndex, chunk.StartDate, chunk.EndDate, period, chunk.Rows);
    }
}
