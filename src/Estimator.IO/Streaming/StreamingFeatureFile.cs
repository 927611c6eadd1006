namespace Estimator.IO;

/// <summary>
/// Calculates drift and data quality on a Parquet analysis file without holding it in memory: row groups are read
/// (only the listed columns and the timestamp) one group ahead of the calculation, typed as
/// <see cref="FeatureFileReader"/> types them, and each chunk goes to every fitted calculator's
/// <see cref="IFittedCalculator.CalculateChunk"/> as soon as its rows are in. Memory: about one chunk plus two row
/// groups, plus the result rows.
/// </summary>
/// <remarks>
/// Rows with timestamps must be in ascending order, as the in-memory path would sort them: an out-of-order timestamp
/// is an <see cref="EstimatorDataException"/> of kind <see cref="DataProblem.TimestampsOutOfOrder"/> naming the row.
/// </remarks>
public static class StreamingFeatureFile
{
    /// <summary>Whether <paramref name="path"/> can be streamed (a Parquet file; CSV files are read whole).</summary>
    /// <param name="path">The analysis file.</param>
    public static bool CanStream(string path) => ReadAheadPipeline.CanStream(path);

    /// <summary>
    /// Whether streaming <paramref name="path"/> saves memory: a Parquet file of more than one row group (a single
    /// group is read whole either way, and the in-memory path starts faster). A file that cannot be opened is left to
    /// the in-memory path, which reports it.
    /// </summary>
    /// <param name="path">The analysis file.</param>
    public static bool WorthStreaming(string path)
    {
        if (!CanStream(path) || !File.Exists(path))
        {
            return false;
        }

        try
        {
            using var stream = ParquetInput.OpenRead(path);
            var reader = ParquetInput.CreateReaderAsync(stream, path).GetAwaiter().GetResult();
            try
            {
                return reader.RowGroupCount > 1;
            }
            finally
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception ex) when (ParquetTableReader.IsReadFailure(ex) || ex is EstimatorDataException)
        {
            return false;
        }
    }

    /// <summary>Streams <paramref name="path"/> through each of <paramref name="fitted"/>, chunk by chunk.</summary>
    /// <param name="path">The analysis file (Parquet).</param>
    /// <param name="columns">The feature columns to read.</param>
    /// <param name="timestamp">The timestamp column, or null.</param>
    /// <param name="fitted">The fitted calculators; all must share one chunking.</param>
    /// <param name="model">The model's name written to the results.</param>
    /// <param name="progress">Receives progress after each row group; may be null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One result per calculator, as <see cref="IFittedCalculator.Calculate"/> gives it.</returns>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable, empty, holds bad data, or its timestamps are out of order.</exception>
    public static async Task<IReadOnlyList<CalculatorResult>> CalculateAsync(
        string path,
        IReadOnlyList<string> columns,
        string? timestamp,
        IReadOnlyList<IFittedCalculator> fitted,
        string model,
        IProgress<StreamProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentNullException.ThrowIfNull(model);
        var names = columns.Distinct(StringComparer.Ordinal).ToList();
        var requests = names.Select(c => new ColumnRequest(c, true)).ToList();
        if (timestamp is not null)
        {
            requests.Add(new ColumnRequest(timestamp, true));
        }

        var total = await ReadAheadPipeline.CountRowsAsync(path, "the analysis data has no rows", cancellationToken).ConfigureAwait(false);

        var feeds = fitted.Select(f => new ChunkFeed(
            f, f.Chunking.RequiresTimestamps ? null : Chunker.Split((int)total, default, f.Chunking), path, timestamp)).ToList();
        var channel = ReadAheadPipeline.Channel<(ModelData Data, long FirstRow)>();
        await ReadAheadPipeline.RunAsync(
            channel,
            async token =>
            {
                await foreach (var (table, firstRow) in ParquetTableReader.ReadRowGroupsAsync(path, requests, token).ConfigureAwait(false))
                {
                    var timestamps = timestamp is null ? null : ColumnConverter.ToTimestamps(table.Find(timestamp)!, table.Source);
                    var features = names.Select(c => FeatureFileReader.ToFeature(table.Find(c)!, table.Source)).ToList();
                    await channel.Writer.WriteAsync((new ModelData(table.RowCount, timestamps) { Features = features }, firstRow), token).ConfigureAwait(false);
                }
            },
            item =>
            {
                foreach (var feed in feeds)
                {
                    feed.Add(item.Data, item.FirstRow);
                }

                progress?.Report(new StreamProgress(feeds[0].RowsRead, total, feeds[0].ChunksDone, feeds[0].ChunkCount));
            },
            cancellationToken).ConfigureAwait(false);

        return [.. feeds.Select(f => new CalculatorResult(model, f.Complete()))];
    }
}
