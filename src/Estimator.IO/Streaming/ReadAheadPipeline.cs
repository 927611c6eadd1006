using System.Threading.Channels;

namespace Estimator.IO;

/// <summary>
/// Reading that overlaps computing: a producer on another thread fills a channel while the caller consumes it in order.
/// A producer's failure reaches the consumer through the channel; a consumer's failure cancels the producer; either
/// way the producer has finished when <see cref="RunAsync"/> returns or throws.
/// </summary>
internal static class ReadAheadPipeline
{
    /// <summary>Row groups read ahead of the one being consumed.</summary>
    private const int ReadAhead = 2;

    /// <summary>Whether <paramref name="path"/> can be streamed (a Parquet file; CSV files are read whole).</summary>
    public static bool CanStream(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FileFormats.FromPath(path) == FileFormat.Parquet;
    }

    /// <summary>A channel holding the row groups read ahead: one reader, one writer.</summary>
    public static Channel<T> Channel<T>() =>
        System.Threading.Channels.Channel.CreateBounded<T>(new BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });

    /// <summary>
    /// The rows of the Parquet file at <paramref name="path"/>, checked to exist, to have rows (else
    /// <paramref name="empty"/> is the error) and to fit one array, as chunking needs.
    /// </summary>
    public static async Task<long> CountRowsAsync(string path, string empty, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new EstimatorDataException("file not found", path);
        }

        var total = await ParquetTableReader.CountRowsAsync(path, cancellationToken).ConfigureAwait(false);
        if (total == 0)
        {
            throw new EstimatorDataException(empty, path);
        }

        if (total > Array.MaxLength)
        {
            throw new EstimatorDataException(FormattableString.Invariant($"has {total} rows; at most {Array.MaxLength} can be chunked"), path);
        }

        return total;
    }

    /// <summary>Runs <paramref name="produce"/> (writing to <paramref name="channel"/>) beside <paramref name="consume"/> (taking each item in order).</summary>
    /// <param name="channel">The channel between the two; completed here when the producer ends.</param>
    /// <param name="produce">Writes the items; given a token that is cancelled when the consumer fails.</param>
    /// <param name="consume">Takes one item.</param>
    /// <param name="cancellationToken">Cancels both.</param>
    public static async Task RunAsync<T>(Channel<T> channel, Func<CancellationToken, Task> produce, Action<T> consume, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    await produce(stop.Token).ConfigureAwait(false);
                    channel.Writer.Complete();
                }
                catch (Exception e)
                {
                    channel.Writer.Complete(e);
                }
            },
            stop.Token);

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                consume(item);
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
