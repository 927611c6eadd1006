using System.Text.Json;

namespace Estimator.IO;

/// <summary>Reads estimate files written by <see cref="EstimateFileWriter"/> (Parquet, CSV or JSON, by extension).</summary>
/// <remarks>
/// The columns must be exactly those of schema version 5, of version 4 (without the evidence columns <c>domain_auc</c>,
/// <c>estimated_prior</c>, <c>prior_likelihood_ratio</c> and <c>estimator_reason</c>, read as null), of version 3 (also
/// without <c>estimator</c> and <c>effective_sample_size</c>) or of version 2 (also without <c>class</c>), in
/// order, and every row's <c>schema_version</c> must be that version; anything else is an <see cref="EstimatorDataException"/>.
/// </remarks>
public static class EstimateFileReader
{
    /// <summary>Reads all rows of an estimate file.</summary>
    /// <param name="path">The file: <c>.parquet</c>, <c>.parq</c>, <c>.csv</c> or <c>.json</c>.</param>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable or not an estimate file of schema version 2, 3, 4 or 5.</exception>
    public static IReadOnlyList<EstimateRecord> Read(string path) => ReadAsync(path).GetAwaiter().GetResult();

    /// <summary>Reads all rows of an estimate file.</summary>
    /// <param name="path">The file: <c>.parquet</c>, <c>.parq</c>, <c>.csv</c> or <c>.json</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable or not an estimate file of schema version 2, 3, 4 or 5.</exception>
    public static async Task<IReadOnlyList<EstimateRecord>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var format = FileFormats.FromPath(path)
            ?? throw new EstimatorDataException("has an unsupported extension; expected .parquet, .parq, .csv or .json", path);
        if (!File.Exists(path))
        {
            throw new EstimatorDataException("file not found", path);
        }

        try
        {
            var (records, version) = format switch
            {
                FileFormat.Parquet => await ReadParquetAsync(path, cancellationToken).ConfigureAwait(false),
                FileFormat.Csv => ReadCsv(path),
                _ => await ReadJsonAsync(path, cancellationToken).ConfigureAwait(false),
            };
            for (var i = 0; i < records.Count; i++)
            {
                if (records[i].SchemaVersion != version)
                {
                    throw new EstimatorDataException(
                        FormattableString.Invariant($"schema version {records[i].SchemaVersion} is not supported with these columns (expected {version})"),
                        path,
                        EstimateColumns.SchemaVersion,
                        i);
                }
            }

            return records;
        }
        catch (Exception ex) when (ParquetTableReader.IsReadFailure(ex))
        {
            throw ParquetTableReader.ReadFailure(ex, path, format: "an estimate file");
        }
    }

    /// <summary>The schema version the columns are laid out in: 5, 4 (no evidence columns), 3 (no <c>estimator</c>, <c>effective_sample_size</c> either) or 2 (no <c>class</c> either).</summary>
    private static int CheckColumns(IReadOnlyList<string> actual, string path)
    {
        if (actual.SequenceEqual(EstimateColumns.All, StringComparer.Ordinal))
        {
            return EstimateRecord.CurrentSchemaVersion;
        }

        if (actual.SequenceEqual(EstimateColumns.Version4, StringComparer.Ordinal))
        {
            return 4;
        }

        if (actual.SequenceEqual(EstimateColumns.Version3, StringComparer.Ordinal))
        {
            return 3;
        }

        if (actual.SequenceEqual(EstimateColumns.Version2, StringComparer.Ordinal))
        {
            return 2;
        }

        throw new EstimatorDataException(
            $"columns are [{string.Join(", ", actual)}]; an estimate file has [{string.Join(", ", EstimateColumns.All)}] (version 4: without domain_auc, estimated_prior, prior_likelihood_ratio and estimator_reason; version 3: also without estimator and effective_sample_size; version 2: also without class)",
            path);
    }

    private static async Task<(List<EstimateRecord> Records, int Version)> ReadParquetAsync(string path, CancellationToken cancellationToken)
    {
        var stream = ParquetInput.OpenRead(path);
        await using var _ = stream.ConfigureAwait(false);
        var reader = await ParquetInput.CreateReaderAsync(stream, path, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.GetDataFields();
            var version = CheckColumns([.. fields.Select(f => f.Name)], path);
            var records = new List<EstimateRecord>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var rg = reader.OpenRowGroupReader(g);
                var n = checked((int)rg.RowCount);
                var c = 0;
                var versions = await Values<int>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var model = await Strings(rg, fields[c++], n, cancellationToken).ConfigureAwait(false);
                var key = await Strings(rg, fields[c++], n, cancellationToken).ConfigureAwait(false);
                var index = await Values<int>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var start = await Values<long>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var end = await Values<long>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var startDate = await Values<DateTime>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var endDate = await Values<DateTime>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var period = await Strings(rg, fields[c++], n, cancellationToken).ConfigureAwait(false);
                var rows = await Values<long>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var metric = await Strings(rg, fields[c++], n, cancellationToken).ConfigureAwait(false);
                var estimated = await Values<double>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var samplingError = await Values<double>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var lcb = await Values<double>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var ucb = await Values<double>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var lt = await Values<double>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var ut = await Values<double>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var alert = await Values<bool>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var realized = await Values<double>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var missingRate = await Values<double>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var provisional = await Values<bool>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var estimatedAt = await Values<DateTime>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false);
                var runId = await Strings(rg, fields[c++], n, cancellationToken).ConfigureAwait(false);
                var classes = version >= 3 ? await Strings(rg, fields[c++], n, cancellationToken).ConfigureAwait(false) : new string?[n];
                var estimators = version >= 4 ? await Strings(rg, fields[c++], n, cancellationToken).ConfigureAwait(false) : new string?[n];
                var sizes = version >= 4 ? await Values<double>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false) : new double?[n];
                var aucs = version >= 5 ? await Values<double>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false) : new double?[n];
                var priors = version >= 5 ? await Values<double>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false) : new double?[n];
                var ratios = version >= 5 ? await Values<double>(rg, fields[c++], n, path, cancellationToken).ConfigureAwait(false) : new double?[n];
                var reasons = version >= 5 ? await Strings(rg, fields[c], n, cancellationToken).ConfigureAwait(false) : new string?[n];
                for (var i = 0; i < n; i++)
                {
                    var row = records.Count;
                    records.Add(new EstimateRecord(
                        Required(versions[i], EstimateColumns.SchemaVersion, path, row),
                        model[i] ?? throw Missing(EstimateColumns.Model, path, row),
                        key[i] ?? throw Missing(EstimateColumns.ChunkKey, path, row),
                        Required(index[i], EstimateColumns.ChunkIndex, path, row),
                        Required(start[i], EstimateColumns.ChunkStartIndex, path, row),
                        Required(end[i], EstimateColumns.ChunkEndIndex, path, row),
                        EstimateRecord.ToUtc(startDate[i]),
                        EstimateRecord.ToUtc(endDate[i]),
                        period[i] ?? throw Missing(EstimateColumns.Period, path, row),
                        Required(rows[i], EstimateColumns.ChunkRows, path, row),
                        metric[i] ?? throw Missing(EstimateColumns.Metric, path, row),
                        estimated[i],
                        samplingError[i],
                        lcb[i],
                        ucb[i],
                        lt[i],
                        ut[i],
                        Required(alert[i], EstimateColumns.Alert, path, row),
                        realized[i],
                        missingRate[i],
                        Required(provisional[i], EstimateColumns.Provisional, path, row),
                        EstimateRecord.ToUtc(estimatedAt[i]),
                        runId[i],
                        classes[i],
                        estimators[i],
                        sizes[i],
                        aucs[i],
                        priors[i],
                        ratios[i],
                        reasons[i]));
                }
            }

            return (records, version);
        }
    }

    private static async Task<T?[]> Values<T>(ParquetRowGroupReader rg, DataField field, int n, string path, CancellationToken cancellationToken)
        where T : struct
    {
        if (field.ClrType != typeof(T))
        {
            throw new EstimatorDataException($"has type {field.ClrType.Name}; expected {typeof(T).Name}", path, field.Name);
        }

        return await ParquetInput.ReadNullableAsync<T>(rg, field, n, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string?[]> Strings(ParquetRowGroupReader rg, DataField field, int n, CancellationToken cancellationToken)
    {
        var values = new string?[n];
        await rg.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return values;
    }

    private static (List<EstimateRecord> Records, int Version) ReadCsv(string path)
    {
        using var csv = CsvFile.Open(path);
        var version = CheckColumns(csv.Header, path);
        var records = new List<EstimateRecord>();
        var cells = new string[csv.Header.Count];
        foreach (var record in csv.Rows)
        {
            var row = records.Count;
            if (!csv.Accept(record, row))
            {
                continue;
            }

            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = record[i].ToString();
            }

            var f = new CsvFields(cells, path, row);
            records.Add(new EstimateRecord(
                f.Int(0),
                f.Text(1),
                f.Text(2),
                f.Int(3),
                f.Long(4),
                f.Long(5),
                f.Date(6),
                f.Date(7),
                f.Text(8),
                f.Long(9),
                f.Text(10),
                f.Double(11),
                f.Double(12),
                f.Double(13),
                f.Double(14),
                f.Double(15),
                f.Double(16),
                f.Bool(17),
                f.Double(18),
                f.Double(19),
                f.Bool(20),
                f.Date(21),
                f.Text(22) is { Length: > 0 } run ? run : null,
                version >= 3 && f.Text(23) is { Length: > 0 } @class ? @class : null,
                version >= 4 && f.Text(24) is { Length: > 0 } estimator ? estimator : null,
                version >= 4 ? f.Double(25) : null,
                version >= 5 ? f.Double(26) : null,
                version >= 5 ? f.Double(27) : null,
                version >= 5 ? f.Double(28) : null,
                version >= 5 && f.Text(29) is { Length: > 0 } reason ? reason : null));
        }

        return (records, version);
    }

    private static async Task<(List<EstimateRecord> Records, int Version)> ReadJsonAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            using var document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new EstimatorDataException("is not a JSON array of estimate rows", path);
            }

            var records = new List<EstimateRecord>();
            var version = EstimateRecord.CurrentSchemaVersion;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var row = records.Count;
                if (element.ValueKind != JsonValueKind.Object)
                {
                    throw new EstimatorDataException("is not a JSON object", path, null, row);
                }

                version = CheckColumns([.. element.EnumerateObject().Select(p => p.Name)], path);
                var f = new JsonFields(element, path, row);
                records.Add(new EstimateRecord(
                    f.Int(EstimateColumns.SchemaVersion),
                    f.Text(EstimateColumns.Model),
                    f.Text(EstimateColumns.ChunkKey),
                    f.Int(EstimateColumns.ChunkIndex),
                    f.Long(EstimateColumns.ChunkStartIndex),
                    f.Long(EstimateColumns.ChunkEndIndex),
                    f.Date(EstimateColumns.ChunkStartDate),
                    f.Date(EstimateColumns.ChunkEndDate),
                    f.Text(EstimateColumns.Period),
                    f.Long(EstimateColumns.ChunkRows),
                    f.Text(EstimateColumns.Metric),
                    f.Double(EstimateColumns.Estimated),
                    f.Double(EstimateColumns.SamplingError),
                    f.Double(EstimateColumns.LowerConfidenceBound),
                    f.Double(EstimateColumns.UpperConfidenceBound),
                    f.Double(EstimateColumns.LowerThreshold),
                    f.Double(EstimateColumns.UpperThreshold),
                    f.Bool(EstimateColumns.Alert),
                    f.Double(EstimateColumns.Realized),
                    f.Double(EstimateColumns.TargetsMissingRate),
                    f.Bool(EstimateColumns.Provisional),
                    f.Date(EstimateColumns.EstimatedAt),
                    f.OptionalText(EstimateColumns.RunId),
                    version >= 3 ? f.OptionalText(EstimateColumns.Class) : null,
                    version >= 4 ? f.OptionalText(EstimateColumns.Estimator) : null,
                    version >= 4 ? f.Double(EstimateColumns.EffectiveSampleSize) : null,
                    version >= 5 ? f.Double(EstimateColumns.DomainAuc) : null,
                    version >= 5 ? f.Double(EstimateColumns.EstimatedPrior) : null,
                    version >= 5 ? f.Double(EstimateColumns.PriorLikelihoodRatio) : null,
                    version >= 5 ? f.OptionalText(EstimateColumns.EstimatorReason) : null));
            }

            return (records, version);
        }
    }

    private static T Required<T>(T? value, string column, string path, int row)
        where T : struct => value ?? throw Missing(column, path, row);

    private static EstimatorDataException Missing(string column, string path, int row) => new("value is missing (null)", path, column, row);

    private static DateTime ParseDate(string text, string path, string column, int row) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.UtcDateTime
            : throw new EstimatorDataException($"'{text}' is not a timestamp", path, column, row);

    /// <summary>Typed access to the fields of one CSV record, with located errors.</summary>
    private readonly struct CsvFields(string[] cells, string path, int row)
    {
        public string Text(int i) => cells[i];

        public int Int(int i) => int.TryParse(cells[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(i, "an int32");

        public long Long(int i) => long.TryParse(cells[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(i, "an int64");

        public double? Double(int i)
        {
            var text = cells[i];
            if (text.Length == 0)
            {
                return null;
            }

            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(i, "a number");
        }

        public bool Bool(int i) => bool.TryParse(cells[i], out var v) ? v : throw Bad(i, "true or false");

        public DateTime? Date(int i)
        {
            var text = cells[i];
            return text.Length == 0 ? null : ParseDate(text, path, EstimateColumns.All[i], row);
        }

        private EstimatorDataException Bad(int i, string expected) =>
            new($"'{cells[i]}' is not {expected}", path, EstimateColumns.All[i], row);
    }

    /// <summary>Typed access to the properties of one JSON row, with located errors.</summary>
    private readonly struct JsonFields(JsonElement element, string path, int row)
    {
        public string Text(string name) => Get(name) is { ValueKind: JsonValueKind.String } e ? e.GetString()! : throw Bad(name, "a string");

        public string? OptionalText(string name) => Get(name) switch
        {
            { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.String } e => e.GetString(),
            _ => throw Bad(name, "a string or null"),
        };

        public int Int(string name) => Get(name) is { ValueKind: JsonValueKind.Number } e && e.TryGetInt32(out var v) ? v : throw Bad(name, "an int32");

        public long Long(string name) => Get(name) is { ValueKind: JsonValueKind.Number } e && e.TryGetInt64(out var v) ? v : throw Bad(name, "an int64");

        public double? Double(string name) => Get(name) switch
        {
            { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
            _ => throw Bad(name, "a number or null"),
        };

        public bool Bool(string name) => Get(name) switch
        {
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            _ => throw Bad(name, "true or false"),
        };

        public DateTime? Date(string name) => Get(name) switch
        {
            { ValueKind: JsonValueKind.Null } => null,
            { ValueKind: JsonValueKind.String } e => ParseDate(e.GetString()!, path, name, row),
            _ => throw Bad(name, "a timestamp string or null"),
        };

        private JsonElement Get(string name) => element.GetProperty(name);

        private EstimatorDataException Bad(string name, string expected) => new($"value is not {expected}", path, name, row);
    }
}
