using Parquet;
using Parquet.Schema;

namespace Estimator.Monitoring.Online;

/// <summary>
/// The files the online path hands to the store engine, under <c>&lt;store&gt;/&lt;model&gt;/online/</c>: each closed
/// chunk of N rows as an analysis file in <c>inbox/</c> (<c>online-NNNNNNNNN.parquet</c>, the model's column names,
/// rows in arrival order, a shift-aware model's features under their own names as numbers or text), which the model's estimate run consumes like any analysis file; and each posted label
/// batch as a label file in <c>labels/</c>, which reconciliation joins. Every file is written atomically and fsynced.
/// </summary>
internal sealed class OnlineFiles(string directory, ModelDefinition model)
{
    private static readonly ParquetOptions WriteOptions = new() { CompressionMethod = CompressionMethod.Snappy, DictionaryEncodingSampleSize = 1000 };
    private long _labelFiles;

    /// <summary>The folder of closed chunks, the model's online analysis source.</summary>
    public string InboxDirectory { get; } = InboxOf(directory);

    /// <summary>The folder of posted labels, a targets source of the model.</summary>
    public string LabelsDirectory { get; } = LabelsOf(directory);

    public static string InboxOf(string directory) => Path.Combine(directory, "inbox");

    public static string LabelsOf(string directory) => Path.Combine(directory, "labels");

    public string ChunkPath(long index) => Path.Combine(InboxDirectory, string.Create(CultureInfo.InvariantCulture, $"online-{index:D9}.parquet"));

    /// <summary>The indices of the closed chunks on disk, in order.</summary>
    public IReadOnlyList<long> ClosedChunks()
    {
        if (!Directory.Exists(InboxDirectory))
        {
            return [];
        }

        var indices = new List<long>();
        foreach (var file in Directory.EnumerateFiles(InboxDirectory, "online-*.parquet"))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file).AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                indices.Add(index);
            }
        }

        indices.Sort();
        return indices;
    }

    /// <summary>Writes chunk <paramref name="index"/>'s rows as an analysis file (atomic; replaces a copy left by a crash).</summary>
    public void WriteChunk(long index, OnlineRows rows)
    {
        var columns = model.Columns;
        var fields = new List<DataField> { new DataField<string>(model.IdColumn!), new DataField<double>(columns.YPredProba) };
        if (columns.YPred is not null)
        {
            fields.Add(new DataField<double>(columns.YPred));
        }

        if (columns.Timestamp is not null)
        {
            fields.Add(new DateTimeDataField(columns.Timestamp, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros));
        }

        // Features keep the posted kinds: numbers as doubles, categories as text, as a user's analysis file holds them,
        // so the store reads them as it reads that file (and infers the same kinds).
        foreach (var feature in rows.Features ?? [])
        {
            fields.Add(feature is CategoricalFeature ? new DataField<string>(feature.Name, true) : new DataField<double?>(feature.Name, true));
        }

        AtomicFile.Write(ChunkPath(index), stream => WriteAsync(stream, new ParquetSchema(fields), rows).GetAwaiter().GetResult());
    }

    /// <summary>Reads a closed chunk's rows back (to rebuild the window on start-up).</summary>
    public OnlineRows ReadChunk(long index)
    {
        var data = PredictionFileReader.Read(ChunkPath(index), model.Columns with { Id = model.IdColumn, YTrue = null }, requireTargets: false, requirePredictions: false);
        var set = data.Set;
        var predictions = set.Predictions ?? Enumerable.Repeat(double.NaN, set.Count).ToArray();
        IReadOnlyList<FeatureColumn>? features = null;
        if (OnlineFeatures(model) is { Count: > 0 } names)
        {
            try
            {
                features = FeatureFileReader.Read(ChunkPath(index), names).Features;
            }
            catch (EstimatorDataException)
            {
                // A chunk closed before the model's features were configured: its rows' features are missing.
            }
        }

        return new OnlineRows([.. data.Ids!], set.Scores, predictions, set.Timestamps, features);
    }

    /// <summary>Writes posted labels as a label file (id and target column, the model's names); returns its path.</summary>
    public string WriteLabels(string[] ids, double[] targets, DateTimeOffset now)
    {
        var sequence = Interlocked.Increment(ref _labelFiles);
        var path = Path.Combine(LabelsDirectory, string.Create(CultureInfo.InvariantCulture, $"labels-{now.UtcTicks:D19}-{Environment.ProcessId}-{sequence:D6}.parquet"));
        var id = new DataField<string>(model.IdColumn!);
        var target = new DataField<double>(model.Columns.YTrue ?? "y_true");
        AtomicFile.Write(path, stream => WriteLabelsAsync(stream, new ParquetSchema(id, target), ids, targets).GetAwaiter().GetResult());
        return path;
    }

    private async Task WriteAsync(Stream stream, ParquetSchema schema, OnlineRows rows)
    {
        var fields = schema.GetDataFields();
        var writer = await ParquetWriter.CreateAsync(schema, stream, WriteOptions).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync((DataField<string>)fields[0], rows.Ids).ConfigureAwait(false);
            await group.WriteAsync<double>(fields[1], rows.Scores).ConfigureAwait(false);
            var next = 2;
            if (model.Columns.YPred is not null)
            {
                await group.WriteAsync<double>(fields[next++], rows.Predictions).ConfigureAwait(false);
            }

            if (model.Columns.Timestamp is not null)
            {
                await group.WriteAsync<DateTime>(fields[next++], rows.Timestamps!).ConfigureAwait(false);
            }

            if (rows.Features is { } features)
            {
                await FeatureColumnFields.WriteAsync(group, features, fields[next..]).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The features a model's posted rows carry: a shift-aware model's <see cref="ModelDefinition.Features"/>, none otherwise.</summary>
    public static IReadOnlyList<string> OnlineFeatures(ModelDefinition model) => model.IsShiftAware() ? model.Features : [];

    private static async Task WriteLabelsAsync(Stream stream, ParquetSchema schema, string[] ids, double[] targets)
    {
        var fields = schema.GetDataFields();
        var writer = await ParquetWriter.CreateAsync(schema, stream, WriteOptions).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync((DataField<string>)fields[0], ids).ConfigureAwait(false);
            await group.WriteAsync<double>(fields[1], targets).ConfigureAwait(false);
        }
    }
}
