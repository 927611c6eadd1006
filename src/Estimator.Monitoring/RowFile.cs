using Parquet;
using Parquet.Schema;

namespace Estimator.Monitoring;

/// <summary>
/// The Parquet form of a <see cref="RowBatch"/> in the store (<c>rows/</c> and work-item segments): <c>id</c>,
/// <c>timestamp</c>, then the doubles — <c>y_pred_proba</c> and <c>y_pred</c> for a binary model; <c>y_pred</c> (the
/// class index) and <c>y_pred_proba_0</c> … <c>y_pred_proba_{K-1}</c> (in the order of the state's classes) for a
/// multiclass model; then the drift and quality columns as <c>feature_&lt;name&gt;</c> (see <see cref="RowBatch.Inputs"/>).
/// Missing values are nulls.
/// </summary>
internal static class RowFile
{
    internal static readonly DataField<string> IdField = new("id", true);
    internal static readonly DateTimeDataField TimestampField = new("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true);
    internal static readonly DataField<double?> PredictionField = new("y_pred", true);
    private static readonly DataField<double?> ScoreField = new("y_pred_proba", true);
    private static readonly ParquetSchema Schema = new(IdField, TimestampField, ScoreField, PredictionField);

    // Ids and timestamps are (nearly) unique: a sample of 1,000 values shows it, so the writer skips the full distinct
    // count that dictionary encoding would otherwise take over every value (the columns come out the same).
    internal static readonly ParquetOptions WriteOptions = new() { CompressionMethod = CompressionMethod.Snappy, DictionaryEncodingSampleSize = 1000 };

    /// <summary>Writes the rows to a Parquet file atomically (temporary name, then rename).</summary>
    public static void Write(RowBatch rows, string path) => AtomicFile.Write(path, stream => WriteAsync(rows, stream).GetAwaiter().GetResult());

    /// <summary>Reads rows written by <see cref="Write"/>; the flags say which optional columns the stream carries.</summary>
    public static RowBatch Read(string path, bool ids, bool timestamps, bool predictions, IReadOnlyList<string>? classes, IReadOnlyList<StoredFeature>? inputs = null) =>
        ReadAsync(path, ids, timestamps, predictions, classes, inputs).GetAwaiter().GetResult();

    private static async Task WriteAsync(RowBatch rows, Stream stream)
    {
        var count = rows.Count;
        var doubles = rows.ClassScores is null
            ? new List<(DataField<double?> Field, double[] Values)> { (ScoreField, rows.Scores), (PredictionField, rows.Predictions ?? new double[count]) }
            : [(PredictionField, rows.Predictions ?? new double[count]), .. rows.ClassScores.Select((c, k) => (ClassScoreField(k), c))];
        var inputFields = rows.InputShapes?.Select(FeatureColumnFields.Field).ToArray() ?? [];
        var schema = rows.ClassScores is null && inputFields.Length == 0 ? Schema : new ParquetSchema([IdField, TimestampField, .. doubles.Select(d => d.Field), .. inputFields]);
        var writer = await ParquetWriter.CreateAsync(schema, stream, WriteOptions).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            await WriteKeysAsync(group, rows).ConfigureAwait(false);
            foreach (var (field, values) in doubles)
            {
                await group.WriteAsync<double>(field, Nullable(values)).ConfigureAwait(false);
            }

            await FeatureColumnFields.WriteAsync(group, rows.Inputs ?? [], inputFields).ConfigureAwait(false);
        }
    }

    private static DataField<double?> ClassScoreField(int k) => new(FormattableString.Invariant($"y_pred_proba_{k}"), true);

    /// <summary>Writes the <c>id</c> and <c>timestamp</c> columns every row file starts with (nulls where the rows have none).</summary>
    internal static async Task WriteKeysAsync(ParquetRowGroupWriter group, RowBatch rows)
    {
        var count = rows.Count;
        await group.WriteAsync(IdField, rows.Ids ?? new string?[count]).ConfigureAwait(false);
        var ts = new DateTime?[count];
        for (var i = 0; rows.Timestamps is not null && i < count; i++)
        {
            ts[i] = rows.Timestamps[i];
        }

        await group.WriteAsync<DateTime>(TimestampField, ts).ConfigureAwait(false);
    }

    /// <summary>Reads one row group's <c>id</c> and <c>timestamp</c> columns (the file's first two) onto the lists.</summary>
    internal static async Task ReadKeysAsync(ParquetRowGroupReader rg, DataField[] fields, int n, List<string?> ids, List<DateTime> timestamps)
    {
        var idValues = new string?[n];
        await rg.ReadAsync(fields[0], idValues.AsMemory()).ConfigureAwait(false);
        var tsValues = new DateTime?[n];
        await rg.ReadAsync<DateTime>(fields[1], tsValues.AsMemory()).ConfigureAwait(false);
        for (var i = 0; i < n; i++)
        {
            ids.Add(idValues[i]);
            timestamps.Add(tsValues[i] is DateTime t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : default);
        }
    }

    /// <summary>
    /// Opens a row file of the store and hands its reader and columns to <paramref name="read"/>; an unreadable file
    /// (I/O or format error) is an <see cref="EstimatorDataException"/> naming it.
    /// </summary>
    internal static async Task<T> ReadFileAsync<T>(string path, Func<ParquetReader, DataField[], Task<T>> read)
    {
        try
        {
            var stream = ParquetInput.OpenRead(path);
            await using var _ = stream.ConfigureAwait(false);
            var reader = await ParquetReader.CreateAsync(stream).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await read(reader, reader.Schema.GetDataFields()).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            throw new EstimatorDataException($"the store's row file is unreadable: {e.Message}", path, innerException: e);
        }
    }

    /// <summary>A double column as Parquet nulls where the value is NaN.</summary>
    internal static double?[] Nullable(double[] values)
    {
        var result = new double?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = double.IsNaN(values[i]) ? null : values[i];
        }

        return result;
    }

    private static Task<RowBatch> ReadAsync(string path, bool ids, bool timestamps, bool predictions, IReadOnlyList<string>? classes, IReadOnlyList<StoredFeature>? inputs) =>
        ReadFileAsync(path, async (reader, fields) =>
        {
            var doubleCount = classes is null ? 2 : 1 + classes.Count;
            var inputCount = inputs?.Count ?? 0;
            if (fields.Length != 2 + doubleCount + inputCount || !fields.Skip(2 + doubleCount).Select(f => f.Name).SequenceEqual(FeatureColumnFields.Names(inputs), StringComparer.Ordinal))
            {
                throw new EstimatorDataException(
                    FormattableString.Invariant($"the store's row file has {fields.Length} columns ({string.Join(", ", fields.Select(f => f.Name))}); a {(classes is null ? "binary" : $"{classes.Count}-class")} model's rows have {2 + doubleCount + inputCount}"),
                    path);
            }

            var inputColumns = new FeatureColumnFields.Reader(inputs ?? []);

            var idList = new List<string?>();
            var tsList = new List<DateTime>();
            var doubleLists = Enumerable.Range(0, doubleCount).Select(_ => new List<double>()).ToArray();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var rg = reader.OpenRowGroupReader(g);
                var n = checked((int)rg.RowCount);
                await ReadKeysAsync(rg, fields, n, idList, tsList).ConfigureAwait(false);

                for (var d = 0; d < doubleCount; d++)
                {
                    var values = new double?[n];
                    await rg.ReadAsync<double>(fields[2 + d], values.AsMemory()).ConfigureAwait(false);
                    foreach (var v in values)
                    {
                        doubleLists[d].Add(v ?? double.NaN);
                    }
                }

                await inputColumns.ReadAsync(rg, fields, 2 + doubleCount, n).ConfigureAwait(false);
            }

            string?[]? idColumn = ids ? [.. idList] : null;
            DateTime[]? tsColumn = timestamps ? [.. tsList] : null;
            var rows = classes is null
                ? new RowBatch(idColumn, tsColumn, [.. doubleLists[0]], predictions ? [.. doubleLists[1]] : null)
                : new RowBatch(idColumn, tsColumn, classes, [.. doubleLists.Skip(1).Select(l => l.ToArray())], predictions ? [.. doubleLists[0]] : null);
            return inputs is null ? rows : rows.WithInputs(inputColumns.Columns());
        });
}
