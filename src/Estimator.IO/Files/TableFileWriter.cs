using System.Text.Json;

namespace Estimator.IO;

/// <summary>
/// What the long-format writers (estimate files, drift files) share: the format by extension, the atomic write, and
/// each format's frame (one Snappy row group; an RFC 4180 header and records; an indented array of objects) with the
/// value forms the schemas document (ISO 8601 UTC with <c>Z</c>, shortest round-trippable doubles, null for none).
/// </summary>
internal static class TableFileWriter
{
    /// <summary>Files of up to this many rows are composed in memory before they are written; larger ones stream to disk.</summary>
    public const int InMemoryRows = 100_000;

    /// <summary>The format of <paramref name="path"/> by its extension.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="kind">The kind of file, for the message (<c>estimate</c>, <c>drift</c>).</param>
    /// <exception cref="ArgumentException">Unknown extension.</exception>
    public static FileFormat FormatOf(string path, string kind) => FileFormats.FromPath(path)
        ?? throw new ArgumentException($"Unknown {kind} file extension '{Path.GetExtension(path)}' in '{path}'; expected .parquet, .parq, .csv or .json.", nameof(path));

    /// <summary>Writes <paramref name="rows"/> rows atomically with the writer of <paramref name="format"/>.</summary>
    public static Task WriteAsync(
        string path,
        FileFormat format,
        int rows,
        (Func<Stream, CancellationToken, Task> Parquet, Func<Stream, CancellationToken, Task> Csv, Func<Stream, CancellationToken, Task> Json) writers,
        Action<string>? beforeCommit,
        CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(
            path,
            (stream, token) => format switch
            {
                FileFormat.Parquet => writers.Parquet(stream, token),
                FileFormat.Csv => writers.Csv(stream, token),
                _ => writers.Json(stream, token),
            },
            inMemory: rows <= InMemoryRows,
            beforeCommit,
            cancellationToken);

    /// <summary>One Snappy row group of <paramref name="schema"/>; <paramref name="writeColumns"/> writes its columns in schema order.</summary>
    public static async Task WriteParquetAsync(
        ParquetSchema schema,
        Stream stream,
        Func<ParquetRowGroupWriter, DataField[], Task> writeColumns,
        CancellationToken cancellationToken)
    {
        var fields = schema.GetDataFields();
        var writer = await ParquetWriter.CreateAsync(schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, false, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            await writeColumns(group, fields).ConfigureAwait(false);
        }
    }

    /// <summary>A header row of <paramref name="columns"/>, then one record per row written by <paramref name="writeFields"/>.</summary>
    public static async Task WriteCsvAsync<TRow>(
        Stream stream,
        IEnumerable<string> columns,
        IEnumerable<TRow> rows,
        Action<CsvRecordWriter, TRow> writeFields,
        CancellationToken cancellationToken)
    {
        using var csv = new CsvRecordWriter(stream);
        foreach (var name in columns)
        {
            csv.WriteField(name);
        }

        csv.EndRecord();
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            writeFields(csv, row);
            csv.EndRecord();
        }

        await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An indented array with one object per row, its properties written by <paramref name="writeProperties"/>.</summary>
    public static async Task WriteJsonAsync<TRow>(
        Stream stream,
        IEnumerable<TRow> rows,
        Action<Utf8JsonWriter, TRow> writeProperties,
        CancellationToken cancellationToken)
    {
        var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                writeProperties(json, row);
                json.WriteEndObject();
                if (json.BytesPending > 1 << 16)
                {
                    await json.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            json.WriteEndArray();
            await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One column's values, row by row.</summary>
    public static T[] Column<TRow, T>(IReadOnlyList<TRow> rows, Func<TRow, T> select)
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = select(rows[i]);
        }

        return values;
    }

    /// <summary>ISO 8601 round-trip form of a UTC time, e.g. <c>2018-01-01T00:00:00.0000000Z</c>; empty for null.</summary>
    public static string FormatDate(DateTime? value) =>
        value is DateTime d ? d.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) : "";

    /// <summary>Shortest round-trippable form of a double; empty for null.</summary>
    public static string FormatDouble(double? value) =>
        value is double d ? d.ToString("R", CultureInfo.InvariantCulture) : "";

    /// <summary>A time as <see cref="FormatDate"/>'s text, or null.</summary>
    public static void WriteDate(Utf8JsonWriter json, string name, DateTime? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, FormatDate(value));
        }
    }

    /// <summary>A number, or null.</summary>
    public static void WriteDouble(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double d)
        {
            json.WriteNumber(name, d);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
