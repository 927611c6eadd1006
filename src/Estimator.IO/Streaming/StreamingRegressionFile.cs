namespace Estimator.IO;

/// <summary>
/// Calculates a regression model's Parquet analysis file without holding it in memory: row groups are read (only the
/// mapped columns and the features) one group ahead of the calculation, converted as <see cref="RegressionFileReader"/>
/// converts them, and each chunk goes to <see cref="IFittedCalculator.CalculateChunk"/> as soon as its rows are in.
/// Memory: about one chunk plus two row groups, plus the result rows.
/// </summary>
/// <remarks>
/// Rows with timestamps must be in ascending order, as the in-memory path would sort them: an out-of-order timestamp
/// is an <see cref="EstimatorDataException"/> of kind <see cref="DataProblem.TimestampsOutOfOrder"/> naming the row.
/// </remarks>
public static class StreamingRegressionFile
{
    /// <summary>Whether <paramref name="path"/> can be streamed (a Parquet file; CSV files are read whole).</summary>
    /// <param name="path">The analysis file.</param>
    public static bool CanStream(string path) => ReadAheadPipeline.CanStream(path);

    /// <summary>Streams <paramref name="path"/> through <paramref name="fitted"/>, chunk by chunk.</summary>
    /// <param name="path">The analysis file (Parquet).</param>
    /// <param name="mapping">Which columns hold what; <see cref="ColumnMapping.YPred"/> must be set (the id column is not read).</param>
    /// <param name="features">The model's input columns.</param>
    /// <param name="fitted">The fitted calculator (direct loss estimation).</param>
    /// <param name="model">The model's name written to the result.</param>
    /// <param name="check">Called with each row group before it is used; an <see cref="EstimatorDataException"/> it throws gets the file's row number. May be null.</param>
    /// <param name="progress">Receives progress after each row group; may be null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The reference rows, then every analysis chunk's rows, as <see cref="IFittedCalculator.Calculate"/> gives them.</returns>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable, empty, holds bad data, or its timestamps are out of order.</exception>
    public static async Task<CalculatorResult> CalculateAsync(
        string path,
        ColumnMapping mapping,
        IReadOnlyList<string> features,
        IFittedCalculator fitted,
        string model,
        Action<RegressionPredictionData>? check = null,
        IProgress<StreamProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentNullException.ThrowIfNull(model);
        mapping = mapping with { Id = null };
        var requests = RegressionFileReader.Requests(mapping, features, requireTargets: false);
        var total = await ReadAheadPipeline.CountRowsAsync(path, "has no rows", cancellationToken).ConfigureAwait(false);

        var sizeChunks = fitted.Chunking.RequiresTimestamps ? null : Chunker.Split((int)total, default, fitted.Chunking);
        var chunker = new ChunkFeed(fitted, sizeChunks, path, mapping.Timestamp);
        var channel = ReadAheadPipeline.Channel<(RegressionPredictionData Data, long FirstRow)>();
        await ReadAheadPipeline.RunAsync(
            channel,
            async token =>
            {
                await foreach (var (table, firstRow) in ParquetTableReader.ReadRowGroupsAsync(path, requests, token).ConfigureAwait(false))
                {
                    var data = AtFileRow(firstRow, () => RegressionFileReader.Assemble(table, mapping, features));
                    await channel.Writer.WriteAsync((data, firstRow), token).ConfigureAwait(false);
                }
            },
            item =>
            {
                if (check is not null)
                {
                    AtFileRow(item.FirstRow, () =>
                    {
                        check(item.Data);
                        return 0;
                    });
                }

                chunker.Add(item.Data.Data, item.FirstRow);
                progress?.Report(new StreamProgress(chunker.RowsRead, total, chunker.ChunksDone, chunker.ChunkCount));
            },
            cancellationToken).ConfigureAwait(false);

        return new CalculatorResult(model, chunker.Complete());
    }

    // Row numbers in a group's errors count from the group's first row; the file's count from the file's first row.
    private static T AtFileRow<T>(long firstRow, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (EstimatorDataException e) when (e.Row is long row)
        {
            throw new EstimatorDataException(e.Problem, e.File, e.Column, row + firstRow, e) { Kind = e.Kind };
        }
    }
}
