namespace Estimator;

/// <summary>Splits rows (already sorted by timestamp when there is one) into chunks, with NannyML's keys and bounds.</summary>
public static class Chunker
{
    /// <summary>NannyML warns below this many chunks; thresholds from fewer chunks are unreliable.</summary>
    public const int FewChunksWarningLimit = 6;

    /// <summary>
    /// Splits <paramref name="rowCount"/> rows into chunks by <paramref name="chunking"/>: every row is known, so every
    /// chunk is final (<see cref="Plan"/> with <c>final: true</c>).
    /// </summary>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="sortedTimestamps">Row timestamps in ascending order, or null without a timestamp column.</param>
    /// <param name="chunking">The chunking rule.</param>
    /// <returns>The chunks in order; rows not covered (incomplete remainder with <see cref="IncompleteChunk.Drop"/>) belong to none.</returns>
    /// <exception cref="EstimatorDataException">The rule cannot split this data (period chunking without timestamps, fewer rows than chunks).</exception>
    public static IReadOnlyList<Chunk> Split(int rowCount, ReadOnlySpan<DateTime> sortedTimestamps, Chunking chunking)
    {
        var planned = Plan(chunking, rowCount, sortedTimestamps, final: true);
        var chunks = new Chunk[planned.Count];
        for (var i = 0; i < chunks.Length; i++)
        {
            chunks[i] = planned[i].Chunk;
        }

        return chunks;
    }

    /// <summary>
    /// The one chunker: cuts the rows seen so far into chunks, each marked final (its rows are complete and will not
    /// change) or provisional (still filling: the last size chunk before the input ends, the last period while later
    /// rows may still fall in it). In-memory estimates, streamed estimates and the store's incremental runs all cut
    /// rows here, so they agree chunk for chunk.
    /// </summary>
    /// <remarks>
    /// <para>Incremental use (the store): keep the final chunks of earlier calls; when new rows arrive, plan again from
    /// the first row after the last final chunk, passing that row as <paramref name="firstRow"/> and the next chunk
    /// index as <paramref name="firstIndex"/>. Provisional chunks are replaced by the next plan.</para>
    /// <code>
    /// var plan = Chunker.Plan(Chunking.BySize(5000), pending.Count, pending.Timestamps, final: false, firstRow: lastFinal.EndIndex + 1, firstIndex: lastFinal.Index + 1);
    /// foreach (var (chunk, isFinal) in plan) { /* estimate rows [chunk.StartIndex - firstRow, chunk.EndIndex - firstRow] of pending */ }
    /// </code>
    /// <para>Size chunks: whole chunks are final; the remainder is a provisional chunk until <paramref name="final"/>,
    /// when the rule's <see cref="IncompleteChunk"/> applies (keep it, drop it, or merge it into the previous chunk of
    /// this plan). Number and default chunking need the total row count, so they plan only with
    /// <paramref name="final"/> = true. Period chunks: one per calendar period that has rows; the last is provisional
    /// until <paramref name="final"/>.</para>
    /// </remarks>
    /// <param name="chunking">The chunking rule.</param>
    /// <param name="rowCount">Rows seen so far (from <paramref name="firstRow"/> on).</param>
    /// <param name="sortedTimestamps">Their timestamps in ascending order, or empty without a timestamp column.</param>
    /// <param name="final">Whether the input has ended (no later row can join a chunk).</param>
    /// <param name="firstRow">The stream position of the first row given (chunk keys and indices are absolute).</param>
    /// <param name="firstIndex">The index of the first chunk this plan forms.</param>
    /// <returns>The chunks in order, with whether each is final.</returns>
    /// <exception cref="EstimatorDataException">Period chunking without timestamps or with a timestamp out of order (naming the row), or fewer rows than a number rule needs.</exception>
    /// <exception cref="ArgumentException">A number or default rule planned before the input is final.</exception>
    public static IReadOnlyList<PlannedChunk> Plan(Chunking chunking, int rowCount, ReadOnlySpan<DateTime> sortedTimestamps, bool final, long firstRow = 0, int firstIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(chunking);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfNegative(firstIndex);
        if (!sortedTimestamps.IsEmpty && sortedTimestamps.Length != rowCount)
        {
            throw new ArgumentException("There must be one timestamp per row.", nameof(sortedTimestamps));
        }

        if (chunking.RequiresTimestamps && sortedTimestamps.IsEmpty && rowCount > 0)
        {
            throw new EstimatorDataException("period chunking needs a timestamp column, and none is mapped");
        }

        if (!final && chunking is NumberChunking or DefaultChunking)
        {
            throw new ArgumentException("Number and default chunking need every row: plan them with final: true.", nameof(final));
        }

        if (rowCount == 0)
        {
            return [];
        }

        var cut = new Cut(sortedTimestamps, firstRow, firstIndex);
        switch (chunking)
        {
            case SizeChunking size:
                return cut.BySize(rowCount, size.Size, size.Incomplete, final);
            case NumberChunking number:
                // NannyML: size = ⌊N / number⌋, then size-based; so Keep can give number + 1 chunks.
                return cut.BySize(rowCount, SizeFromCount(rowCount, number.Number, "chunk number"), number.Incomplete, final: true);
            case DefaultChunking:
                return cut.BySize(rowCount, SizeFromCount(rowCount, 10, "default chunking (10 chunks)"), IncompleteChunk.Keep, final: true);
            case PeriodChunking period:
                return cut.ByPeriod(period.Period, final);
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

    /// <summary>One plan's cutting: chunk keys and bounds in stream positions, indices from the first index given.</summary>
    private readonly ref struct Cut(ReadOnlySpan<DateTime> timestamps, long firstRow, int firstIndex)
    {
        private readonly ReadOnlySpan<DateTime> _timestamps = timestamps;

        public List<PlannedChunk> BySize(int rowCount, int size, IncompleteChunk incomplete, bool final)
        {
            var chunks = new List<PlannedChunk>((rowCount / size) + 1);
            var full = rowCount / size;
            for (var i = 0; i < full; i++)
            {
                var start = i * size;
                chunks.Add(new PlannedChunk(Make(chunks.Count, start, start + size - 1), Final: true));
            }

            var restStart = full * size;
            if (restStart == rowCount)
            {
                return chunks;
            }

            if (!final)
            {
                // In a stream the remainder is a chunk still filling, whatever the rule does with it at the end.
                chunks.Add(new PlannedChunk(Make(chunks.Count, restStart, rowCount - 1), Final: false));
                return chunks;
            }

            switch (incomplete)
            {
                case IncompleteChunk.Keep:
                    chunks.Add(new PlannedChunk(Make(chunks.Count, restStart, rowCount - 1), Final: true));
                    break;
                case IncompleteChunk.Append when chunks.Count > 0:
                    // NannyML's Chunk.merge: key [first.start:second.end], dates from first start to second end.
                    chunks[^1] = new PlannedChunk(Make(chunks.Count - 1, restStart - size, rowCount - 1), Final: true);
                    break;
                case IncompleteChunk.Append:
                    // Deviation: NannyML fails (no complete chunk to append to); the rows form the only chunk instead,
                    // so a small analysis batch is still estimated.
                    chunks.Add(new PlannedChunk(Make(0, restStart, rowCount - 1), Final: true));
                    break;
                case IncompleteChunk.Drop:
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(incomplete), incomplete, "Unknown incomplete-chunk rule.");
            }

            return chunks;
        }

        public List<PlannedChunk> ByPeriod(ChunkPeriod period, bool final)
        {
            var ts = _timestamps;
            var chunks = new List<PlannedChunk>();
            var start = 0;
            while (start < ts.Length)
            {
                var periodStart = PeriodStart(ts[start], period);
                var next = NextPeriodStart(periodStart, period);
                var end = start;
                while (end + 1 < ts.Length && ts[end + 1] < next)
                {
                    end++;
                    CheckOrder(ts, end);
                }

                if (end + 1 < ts.Length)
                {
                    CheckOrder(ts, end + 1);
                }

                // pandas Period.end_time is the next period's start minus one nanosecond; DateTime resolves 100 ns.
                var chunk = new Chunk(PeriodKey(periodStart, period), firstIndex + chunks.Count, firstRow + start, firstRow + end, periodStart, next.AddTicks(-1));
                chunks.Add(new PlannedChunk(chunk, Final: final || end + 1 < ts.Length));
                start = end + 1;
            }

            return chunks;
        }

        private void CheckOrder(ReadOnlySpan<DateTime> ts, int row)
        {
            if (ts[row] < ts[row - 1])
            {
                throw new EstimatorDataException(
                    FormattableString.Invariant($"timestamp {ts[row]:O} is earlier than the previous row's {ts[row - 1]:O}: period chunking needs rows in ascending timestamp order"),
                    column: "timestamp",
                    row: firstRow + row)
                {
                    Kind = DataProblem.TimestampsOutOfOrder,
                };
            }
        }

        private Chunk Make(int index, int start, int end)
        {
            var first = firstRow + start;
            var last = firstRow + end;
            var key = FormattableString.Invariant($"[{first}:{last}]");
            return _timestamps.IsEmpty
                ? new Chunk(key, firstIndex + index, first, last, null, null)
                : new Chunk(key, firstIndex + index, first, last, _timestamps[start], _timestamps[end]);
        }
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

    /// <summary>The start of the period after the one starting at <paramref name="start"/>.</summary>
    public static DateTime NextPeriodStart(DateTime start, ChunkPeriod period) => period switch
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
