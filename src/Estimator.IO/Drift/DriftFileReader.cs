namespace Estimator.IO;

/// <summary>
/// Reads the Parquet drift files <see cref="DriftFileWriter"/> writes (the store's <c>drift/</c> files) back into
/// long-format rows: null values become NaN where the row type holds a double, the model name is not kept.
/// </summary>
public static class DriftFileReader
{
    /// <summary>Reads every row of a Parquet drift file.</summary>
    /// <param name="path">The file (<c>.parquet</c>).</param>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable, or not a drift file of schema version 1.</exception>
    public static IReadOnlyList<ChunkEstimate> Read(string path) => ReadAsync(path).GetAwaiter().GetResult();

    /// <summary>Reads every row of a Parquet drift file.</summary>
    /// <param name="path">The file (<c>.parquet</c>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable, or not a drift file of schema version 1.</exception>
    public static async Task<IReadOnlyList<ChunkEstimate>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new EstimatorDataException("file not found", path);
        }

        try
        {
            var stream = ParquetInput.OpenRead(path);
            await using var _ = stream.ConfigureAwait(false);
            var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var fields = reader.Schema.GetDataFields();
                if (!fields.Select(f => f.Name).SequenceEqual(DriftFileWriter.Columns, StringComparer.Ordinal))
                {
                    throw new EstimatorDataException($"columns are [{string.Join(", ", fields.Select(f => f.Name))}]; a drift file has [{string.Join(", ", DriftFileWriter.Columns)}]", path);
                }

                var rows = new List<ChunkEstimate>();
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    using var rg = reader.OpenRowGroupReader(g);
                    rows.AddRange(await ReadGroupAsync(rg, fields, path, cancellationToken).ConfigureAwait(false));
                }

                return rows;
            }
        }
        catch (Exception ex) when (ParquetTableReader.IsReadFailure(ex))
        {
            throw ParquetTableReader.ReadFailure(ex, path, format: "a drift file");
        }
    }

    private static async Task<List<ChunkEstimate>> ReadGroupAsync(ParquetRowGroupReader rg, DataField[] fields, string path, CancellationToken token)
    {
        var n = checked((int)rg.RowCount);
        var version = await ParquetInput.ReadNullableAsync<int>(rg, fields[0], n, token).ConfigureAwait(false);
        var key = await Strings(rg, fields[2], n, token).ConfigureAwait(false);
        var index = await ParquetInput.ReadNullableAsync<int>(rg, fields[3], n, token).ConfigureAwait(false);
        var start = await ParquetInput.ReadNullableAsync<long>(rg, fields[4], n, token).ConfigureAwait(false);
        var end = await ParquetInput.ReadNullableAsync<long>(rg, fields[5], n, token).ConfigureAwait(false);
        var startDate = await ParquetInput.ReadNullableAsync<DateTime>(rg, fields[6], n, token).ConfigureAwait(false);
        var endDate = await ParquetInput.ReadNullableAsync<DateTime>(rg, fields[7], n, token).ConfigureAwait(false);
        var period = await Strings(rg, fields[8], n, token).ConfigureAwait(false);
        var calculator = await Strings(rg, fields[10], n, token).ConfigureAwait(false);
        var column = await Strings(rg, fields[11], n, token).ConfigureAwait(false);
        var kind = await Strings(rg, fields[12], n, token).ConfigureAwait(false);
        var method = await Strings(rg, fields[13], n, token).ConfigureAwait(false);
        var doubles = new double?[7][];
        for (var d = 0; d < doubles.Length; d++)
        {
            doubles[d] = await ParquetInput.ReadNullableAsync<double>(rg, fields[14 + d], n, token).ConfigureAwait(false);
        }

        var alert = await ParquetInput.ReadNullableAsync<bool>(rg, fields[21], n, token).ConfigureAwait(false);
        var rows = new List<ChunkEstimate>(n);
        for (var i = 0; i < n; i++)
        {
            if (version[i] != DriftFileWriter.SchemaVersion || !CalculatorKinds.TryParse(calculator[i], out var calculatorKind))
            {
                throw new EstimatorDataException(FormattableString.Invariant($"not a drift row of schema version {DriftFileWriter.SchemaVersion} (version {version[i]}, calculator '{calculator[i]}')"), path, "schema_version", i);
            }

            var chunk = new Chunk(key[i] ?? "", index[i] ?? 0, start[i] ?? 0, end[i] ?? 0, Utc(startDate[i]), Utc(endDate[i]));
            rows.Add(new ChunkEstimate(
                chunk,
                period[i] == "reference" ? Period.Reference : Period.Analysis,
                method[i] ?? "",
                doubles[0][i] ?? double.NaN,
                doubles[2][i] ?? double.NaN,
                doubles[3][i] ?? double.NaN,
                doubles[4][i] ?? double.NaN,
                doubles[5][i],
                doubles[6][i],
                alert[i] ?? false,
                null,
                null)
            {
                Calculator = calculatorKind,
                Column = column[i],
                ColumnKind = kind[i],
                PValue = doubles[1][i],
            });
        }

        return rows;
    }

    private static DateTime? Utc(DateTime? value) => value is DateTime t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : null;

    private static async Task<string?[]> Strings(ParquetRowGroupReader rg, DataField field, int n, CancellationToken cancellationToken)
    {
        var values = new string?[n];
        await rg.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return values;
    }
}
