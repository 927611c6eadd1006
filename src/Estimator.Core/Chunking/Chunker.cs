using System.Globalization;

namespace Estimator;

/// <summary>Splits rows (already sorted by timestamp when there is one) into chunks, with NannyML's keys and bounds.</summary>
public static class Chunker
{
    /// <summary>NannyML warns below this many chunks; thresholds from fewer chunks are unreliable.</summary>
    public const int FewChunksWarningLimit = 6;

    /// <summary>
    /// Splits <paramref name="rowCount"/> rows into chunks by <paramref name="chunking"/>.
    /// </summary>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="sortedTimestamps">Row timestamps in ascending order, or null without a timestamp column.</param>
    /// <param name="chunking">The chunking rule.</param>
    /// <returns>The chunks in order; rows not covered (incomplete remainder with <see cref="IncompleteChunk.Drop"/>) belong to none.</returns>
    /// <exception cref="EstimatorDataException">The rule cannot split this data (period chunking without timestamps, fewer rows than chunks).</exception>
    public static IReadOnlyList<Chunk> Split(int rowCount, ReadOnlySpan<DateTime> sortedTimestamps, Chunking chunking)
    {
        ArgumentNullException.ThrowIfNull(chunking);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        if (!sortedTimestamps.IsEmpty && sortedTimestamps.Length != rowCount)
        {
            throw new ArgumentException("There must be one timestamp per row.", nameof(sortedTimestamps));
        }

        if (chunking.RequiresTimestamps && sortedTimestamps.IsEmpty && rowCount > 0)
        {
            throw new EstimatorDataException("period chunking needs a timestamp column, and none is mapped");
        }

        if (rowCount == 0)
        {
            return [];
        }

        switch (chunking)
        {
            case SizeChunking size:
                return BySize(rowCount, sortedTimestamps, size.Size, size.Incomplete);
            case NumberChunking number:
                // NannyML: size = ⌊N / number⌋, then size-based; so Keep can give number + 1 chunks.
                return BySize(rowCount, sortedTimestamps, SizeFromCount(rowCount, number.Number, "chunk number"), number.Incomplete);
            case DefaultChunking:
                return BySize(rowCount, sortedTimestamps, SizeFromCount(rowCount, 10, "default chunking (10 chunks)"), IncompleteChunk.Keep);
            case PeriodChunking period:
                return ByPeriod(sortedTimestamps, period.Period);
            default:
                throw new ArgumentException($"Unsupported chunking {chunking}.", nameof(chunking));
        }
    }

    private static int SizeFromCount(int rowCount, int count, string what)
    {
        var size = rowCount / count;
        return size > 0
            ? size
            : throw new EstimatorDataException(FormattableString.Invariant($"{what} needs at least {count} rows, the data has {rowCount}"));
    }

    private static List<Chunk> BySize(int rowCount, ReadOnlySpan<DateTime> timestamps, int size, IncompleteChunk incomplete)
    {
        var chunks = new List<Chunk>((rowCount / size) + 1);
        var full = rowCount / size;
        for (var i = 0; i < full; i++)
        {
            long start = (long)i * size;
            chunks.Add(Make(chunks.Count, start, start + size - 1, timestamps));
        }

        var remainder = rowCount % size;
        if (remainder == 0)
        {
            return chunks;
        }

        long restStart = (long)full * size;
        switch (incomplete)
        {
            case IncompleteChunk.Keep:
                chunks.Add(Make(chunks.Count, restStart, rowCount - 1, timestamps));
                break;
            case IncompleteChunk.Append when chunks.Count > 0:
                // NannyML's Chunk.merge: key [first.start:second.end], dates from first start to second end.
                var last = chunks[^1];
                chunks[^1] = Make(last.Index, last.StartIndex, rowCount - 1, timestamps);
                break;
            case IncompleteChunk.Append:
                // Deviation: NannyML fails (no complete chunk to append to); the rows form the only chunk instead,
                // so a small analysis batch is still estimated.
                chunks.Add(Make(0, restStart, rowCount - 1, timestamps));
                break;
            case IncompleteChunk.Drop:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(incomplete), incomplete, "Unknown incomplete-chunk rule.");
        }

        return chunks;
    }

    private static Chunk Make(int index, long start, long end, ReadOnlySpan<DateTime> timestamps)
    {
        var key = FormattableString.Invariant($"[{start}:{end}]");
        return timestamps.IsEmpty
            ? new Chunk(key, index, start, end, null, null)
            : new Chunk(key, index, start, end, timestamps[(int)start], timestamps[(int)end]);
    }

    private static List<Chunk> ByPeriod(ReadOnlySpan<DateTime> timestamps, ChunkPeriod period)
    {
        var chunks = new List<Chunk>();
        var start = 0;
        while (start < timestamps.Length)
        {
            var periodStart = PeriodStart(timestamps[start], period);
            var next = NextPeriodStart(periodStart, period);
            var end = start;
            while (end + 1 < timestamps.Length && timestamps[end + 1] < next)
            {
                end++;
            }

            // pandas Period.end_time is the next period's start minus one nanosecond; DateTime resolves 100 ns.
            chunks.Add(new Chunk(PeriodKey(periodStart, period), chunks.Count, start, end, periodStart, next.AddTicks(-1)));
            start = end + 1;
        }

        return chunks;
    }

    /// <summary>The start of the calendar period that contains <paramref name="t"/> (weeks end on Sunday, as pandas' <c>W</c>).</summary>
    public static DateTime PeriodStart(DateTime t, ChunkPeriod period)
    {
        var day = new DateTime(t.Year, t.Month, t.Day, 0, 0, 0, DateTimeKind.Utc);
        return period switch
        {
            ChunkPeriod.Day => day,
            ChunkPeriod.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            ChunkPeriod.Month => new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc),
            ChunkPeriod.Quarter => new DateTime(t.Year, (((t.Month - 1) / 3) * 3) + 1, 1, 0, 0, 0, DateTimeKind.Utc),
            ChunkPeriod.Year => new DateTime(t.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Unknown period."),
        };
    }

    internal static DateTime NextPeriodStart(DateTime start, ChunkPeriod period) => period switch
    {
        ChunkPeriod.Day => start.AddDays(1),
        ChunkPeriod.Week => start.AddDays(7),
        ChunkPeriod.Month => start.AddMonths(1),
        ChunkPeriod.Quarter => start.AddMonths(3),
        ChunkPeriod.Year => start.AddYears(1),
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Unknown period."),
    };

    /// <summary>The period's key as pandas prints a <c>Period</c>: <c>2018-01-01</c>, <c>2018-01-01/2018-01-07</c>, <c>2018-01</c>, <c>2018Q1</c>, <c>2018</c>.</summary>
    public static string PeriodKey(DateTime periodStart, ChunkPeriod period) => period switch
    {
        ChunkPeriod.Day => periodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ChunkPeriod.Week => periodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/" + periodStart.AddDays(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ChunkPeriod.Month => periodStart.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        ChunkPeriod.Quarter => FormattableString.Invariant($"{periodStart.Year}Q{((periodStart.Month - 1) / 3) + 1}"),
        ChunkPeriod.Year => periodStart.Year.ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Unknown period."),
    };
}
