using Microsoft.Extensions.Logging;

namespace Estimator.Monitoring;

/// <summary>
/// Forms a model's chunks as new rows arrive, with the one chunker in Core (<see cref="Chunker.Plan"/>): size and
/// period chunks continue from the last final chunk (the open chunk's stored rows are merged with the new rows), a row
/// for a closed period re-forms every chunk, and number (and default) chunking re-forms every chunk with each run.
/// </summary>
internal sealed class ChunkFormation(StoreContext context, ChunkFiles files)
{
    /// <summary>Forms the chunks after adding <paramref name="newRows"/>: which chunks the state keeps and which are (re)written.</summary>
    public (List<ChunkState> Chunks, List<(ChunkState Chunk, RowBatch Rows)> Changed) Advance(ModelDefinition model, ModelState state, RowBatch newRows, bool rebuild)
    {
        var chunking = model.Options.Chunking;
        var incremental = chunking is SizeChunking or PeriodChunking;
        var keep = new List<ChunkState>();
        RowBatch pending = newRows;
        if (incremental && !rebuild)
        {
            keep.AddRange(state.Chunks.Where(c => c.Final));
            var open = state.Chunks.Where(c => !c.Final).ToList();
            var parts = open.Select(c => files.LoadRows(model.Name, c, state)).Append(newRows).ToList();
            pending = RowBatch.Concat(parts, model.Name).SortedByTimestamp();
            if (keep.Count > 0 && pending.Timestamps is { Length: > 0 } ts && keep[^1].EndDate is DateTime lastEnd)
            {
                if (chunking is PeriodChunking period)
                {
                    // A row for a period that is already closed: re-form every chunk from the stored rows.
                    rebuild = Chunker.PeriodStart(ts[0], period.Period) <= keep[^1].StartDate;
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
            keep.Clear();
            var parts = state.Chunks.Select(c => files.LoadRows(model.Name, c, state)).Append(newRows).ToList();
            pending = RowBatch.Concat(parts, model.Name).SortedByTimestamp();
        }

        var start = keep.Count == 0 ? 0 : keep[^1].EndIndex + 1;
        var formed = Form(pending, chunking, start, keep.Count, state.Runs + 1);
        return ([.. keep, .. formed.Select(f => f.Chunk)], formed);
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
