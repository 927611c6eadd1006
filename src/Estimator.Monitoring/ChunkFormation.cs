namespace Estimator.Monitoring;

/// <summary>
/// Forms a model's chunks as new rows arrive, with the one chunker in Core (<see cref="Chunker.Plan"/>): size and
/// period chunks continue from the last final chunk (the open chunk's stored rows are merged with the new rows), a row
/// for a closed period re-forms every chunk, and number (and default) chunking re-forms every chunk with each run.
/// </summary>
internal sealed class ChunkFormation(StoreContext context, ChunkFiles files)
{
    /// <summary>
    /// Forms the chunks after adding <paramref name="newRows"/>: how many chunks at the head of the state's chunk list
    /// stay as they are (<c>Kept</c>), the chunks after them, and which chunks are (re)written. Continuing needs only the
    /// state's open chunks and its last final one; a rebuild reads every chunk (the chunk log, <see cref="ChunkLog"/>).
    /// </summary>
    public (int Kept, List<ChunkState> After, List<(ChunkState Chunk, RowBatch Rows)> Changed) Advance(ModelDefinition model, ModelState state, RowBatch newRows, bool rebuild)
    {
        var chunking = model.Options.Chunking;
        var incremental = chunking is SizeChunking or PeriodChunking;
        var kept = 0;
        ChunkState? lastKept = null;
        RowBatch pending = newRows;
        if (incremental && !rebuild)
        {
            // The final chunks stay: the logged ones and those at the head of the tail (a format-1 state's).
            var finals = state.Tail.TakeWhile(c => c.Final).ToList();
            kept = state.Log.Count + finals.Count;
            lastKept = finals.Count > 0 ? finals[^1] : state.Log.Last;
            var open = state.Tail.Skip(finals.Count).ToList();
            var parts = open.Select(c => files.LoadRows(model.Name, c, state)).Append(newRows).ToList();
            pending = RowBatch.Concat(parts, model.Name).SortedByTimestamp();
            if (lastKept is not null && pending.Timestamps is { Length: > 0 } ts && lastKept.EndDate is DateTime lastEnd)
            {
                if (chunking is PeriodChunking period)
                {
                    // A row for a period that is already closed: re-form every chunk from the stored rows.
                    rebuild = Chunker.PeriodStart(ts[0], period.Period) <= lastKept.StartDate;
                }
                else if (ts[0] < lastEnd)
                {
                    var late = ts.Count(t => t < lastEnd);
                    context.Logger?.LogWarning("Model {Model}: {Late} rows are older than the last final chunk's end; they join the open chunk", model.Name, late);
                }
            }
        }

        if (rebuild || !incremental)
        {
            kept = 0;
            lastKept = null;
            var parts = context.ChunkLog.ReadAll(model.Name, state).Select(c => files.LoadRows(model.Name, c, state)).Append(newRows).ToList();
            pending = RowBatch.Concat(parts, model.Name).SortedByTimestamp();
        }

        var start = lastKept is null ? 0 : lastKept.EndIndex + 1;
        var formed = Form(pending, chunking, start, kept, state.Runs + 1);
        return (kept, [.. formed.Select(f => f.Chunk)], formed);
    }

    private static List<(ChunkState Chunk, RowBatch Rows)> Form(RowBatch rows, Chunking chunking, long start, int firstIndex, long run)
    {
        var formed = new List<(ChunkState, RowBatch)>();
        if (rows.Count == 0)
        {
            return formed;
        }

        // Size and period rules run incrementally (the stream never ends: the last chunk stays provisional); number
        // and default rules need every row, so the store re-forms them from all rows with each run.
        var incremental = chunking is SizeChunking or PeriodChunking;
        var dropsRemainder = chunking is SizeChunking { Incomplete: IncompleteChunk.Drop };
        foreach (var (chunk, final) in Chunker.Plan(chunking, rows.Count, rows.Timestamps, final: !incremental, start, firstIndex))
        {
            var at = (int)(chunk.StartIndex - start);
            var state = new ChunkState(chunk.Index, chunk.Key, chunk.StartIndex, chunk.EndIndex, chunk.StartDate, chunk.EndDate, final, Visible: final || !dropsRemainder, StoreLayout.RowsFileName(chunk.Index, run));
            formed.Add((state, rows.Slice(at, (int)chunk.Rows)));
        }

        return formed;
    }
}
