using Estimator.Metrics;

namespace Estimator.IO;

/// <summary>Progress of a streamed estimate.</summary>
/// <param name="RowsRead">Rows read from the file so far.</param>
/// <param name="TotalRows">Rows in the file.</param>
/// <param name="ChunksEstimated">Chunks estimated so far.</param>
/// <param name="TotalChunks">Chunks the file gives; null for period chunking.</param>
public readonly record struct StreamProgress(long RowsRead, long TotalRows, int ChunksEstimated, int? TotalChunks);

/// <summary>
/// Estimates an analysis file without holding it in memory: a Parquet file is read row group by row group (only the
/// mapped columns), each group converted and validated as <see cref="PredictionFileReader"/> does, and fed to a
/// <see cref="StreamingEstimate"/>; reading the next group overlaps the estimate of the previous one. A CSV file is
/// read whole and estimated the same way.
/// </summary>
public static class StreamingFileEstimator
{
    /// <summary>Streams <paramref name="path"/> through <paramref name="fitted"/> and returns the result.</summary>
    /// <param name="path">The analysis file (.parquet, .parq or .csv).</param>
    /// <param name="mapping">Which columns hold what (the id column is not read).</param>
    /// <param name="fitted">The fitted estimator.</param>
    /// <param name="model">The model's name written to the result.</param>
    /// <param name="compute">Threads for the estimate; null for every core.</param>
    /// <param name="progress">Receives progress after each row group; may be null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable or holds bad data (row numbers count from the file's first row).</exception>
    public static async Task<CbpeResult> EstimateFileAsync(
        string path,
        ColumnMapping mapping,
        FittedCbpe fitted,
        string model,
        ComputeOptions? compute = null,
        IProgress<StreamProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(fitted);
        var needsPredictions = fitted.Options.Metrics.Any(m => m.RequiresPredictions());
        if (FileFormats.FromPath(path) != FileFormat.Parquet)
        {
            var whole = await PredictionFileReader.ReadAsync(path, mapping with { Id = null }, requireTargets: false, requirePredictions: needsPredictions, cancellationToken).ConfigureAwait(false);
            var single = fitted.BeginStreaming(whole.Count, compute);
            Append(single, whole.Set, 0, path);
            progress?.Report(new StreamProgress(whole.Count, whole.Count, single.ChunksEstimated, single.TotalChunks));
            return single.Complete(model);
        }

        if (!File.Exists(path))
        {
            throw new EstimatorDataException("file not found", path);
        }

        var requests = PredictionFileReader.Requests(mapping with { Id = null }, requireTargets: false, requirePredictions: needsPredictions);
        var lean = await TryLeanAsync(path, mapping, requests, fitted, model, compute, progress, cancellationToken).ConfigureAwait(false);
        if (lean is not null)
        {
            return lean;
        }

        var total = await ParquetTableReader.CountRowsAsync(path, cancellationToken).ConfigureAwait(false);
        if (total == 0)
        {
            throw new EstimatorDataException("has no rows", path);
        }

        var stream = fitted.BeginStreaming(total, compute);
        var channel = ReadAheadPipeline.Channel<(PredictionSet Set, long FirstRow)>();
        // Producer: read and convert row groups on another thread while the estimate consumes them.
        await ReadAheadPipeline.RunAsync(
            channel,
            async token =>
            {
                await foreach (var (table, firstRow) in ParquetTableReader.ReadRowGroupsAsync(path, requests, token).ConfigureAwait(false))
                {
                    PredictionData data;
                    try
                    {
                        data = PredictionFileReader.Assemble(table, mapping);
                    }
                    catch (EstimatorDataException e) when (e.Row is long row)
                    {
                        throw new EstimatorDataException(e.Problem, e.File, e.Column, row + firstRow, e);
                    }

                    await channel.Writer.WriteAsync((data.Set, firstRow), token).ConfigureAwait(false);
                }
            },
            item =>
            {
                Append(stream, item.Set, item.FirstRow, path);
                progress?.Report(new StreamProgress(stream.RowsRead, total, stream.ChunksEstimated, stream.TotalChunks));
            },
            cancellationToken).ConfigureAwait(false);

        var result = stream.Complete(model);
        progress?.Report(new StreamProgress(stream.RowsRead, total, stream.ChunksEstimated, stream.TotalChunks));
        return result;
    }

    /// <summary>The estimate through <see cref="LeanParquetStream"/>, or null when the file's columns need the generic path.</summary>
    private static async Task<CbpeResult?> TryLeanAsync(
        string path,
        ColumnMapping mapping,
        IReadOnlyList<ColumnRequest> requests,
        FittedCbpe fitted,
        string model,
        ComputeOptions? compute,
        IProgress<StreamProgress>? progress,
        CancellationToken cancellationToken)
    {
        FileStream? file = null;
        ParquetReader? reader = null;
        try
        {
            long total;
            LeanParquetStream? lean;
            try
            {
                file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
                reader = await ParquetInput.CreateReaderAsync(file, path, cancellationToken).ConfigureAwait(false);
                total = ParquetInput.RowCount(reader);
                lean = total == 0 ? null : LeanParquetStream.TryCreate(reader, mapping, requests, path);
            }
            catch (Exception ex) when (ParquetTableReader.IsReadFailure(ex))
            {
                throw ParquetTableReader.ReadFailure(ex, path);
            }

            if (lean is null)
            {
                return null;
            }

            var stream = fitted.BeginStreaming(total, compute);
            await lean.RunAsync(reader, stream, total, progress, cancellationToken).ConfigureAwait(false);
            var result = stream.Complete(model);
            progress?.Report(new StreamProgress(stream.RowsRead, total, stream.ChunksEstimated, stream.TotalChunks));
            return result;
        }
        finally
        {
            if (reader is not null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }

            if (file is not null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void Append(StreamingEstimate stream, PredictionSet set, long firstRow, string path)
    {
        _ = firstRow;
        try
        {
            stream.Append(set);
        }
        catch (EstimatorDataException e) when (e.File is null)
        {
            throw e.WithFile(path);
        }
    }
}
