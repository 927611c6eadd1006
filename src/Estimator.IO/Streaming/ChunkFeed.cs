namespace Estimator.IO;

/// <summary>
/// Feeds batches of rows, in file order, to a fitted calculator chunk by chunk: keeps the batches that hold rows of a
/// chunk not yet complete, and hands each chunk's rows to <see cref="IFittedCalculator.CalculateChunk"/> once its last
/// row has arrived. Size and number chunks are planned from the file's row count up front (<paramref name="sizeChunks"/>);
/// period chunks (<paramref name="sizeChunks"/> null) by <see cref="Chunker.Plan"/> over the rows held, as the store
/// plans them: a period is complete once a row of a later period arrives, the last one at the end.
/// </summary>
internal sealed class ChunkFeed(IFittedCalculator fitted, IReadOnlyList<Chunk>? sizeChunks, string path, string? timestampColumn)
{
    private readonly List<ModelData> _pending = [];
    private readonly List<ChunkEstimate> _rows = [.. fitted.ReferenceRows];
    private long _pendingStart;
    private long _pendingRows;
    private long _nextStart;
    private DateTime _lastTimestamp = DateTime.MinValue;

    public long RowsRead { get; private set; }

    public int ChunksDone { get; private set; }

    /// <summary>The chunks the file gives; null for period chunking (not known before the end).</summary>
    public int? ChunkCount => sizeChunks?.Count;

    /// <summary>Adds the rows starting at file row <paramref name="firstRow"/>; calculates every chunk they complete.</summary>
    public void Add(ModelData batch, long firstRow)
    {
        if (batch.Count == 0)
        {
            return;
        }

        CheckOrder(batch, firstRow);
        if (_pending.Count == 0)
        {
            _pendingStart = firstRow;
        }

        _pending.Add(batch);
        _pendingRows += batch.Count;
        RowsRead = firstRow + batch.Count;
        CalculateReady(final: false);

        // Batches wholly before the next chunk are done with (rows the chunking drops belong to no chunk).
        var keepFrom = sizeChunks is null ? _nextStart : ChunksDone < sizeChunks.Count ? sizeChunks[ChunksDone].StartIndex : long.MaxValue;
        while (_pending.Count > 0 && _pendingStart + _pending[0].Count <= keepFrom)
        {
            _pendingStart += _pending[0].Count;
            _pendingRows -= _pending[0].Count;
            _pending.RemoveAt(0);
        }
    }

    private void CalculateReady(bool final)
    {
        foreach (var chunk in ReadyChunks(final))
        {
            var rows = Take(chunk.StartIndex, (int)chunk.Rows);
            var dated = sizeChunks is not null && rows.Timestamps is { Length: > 0 } ts ? chunk with { StartDate = ts[0], EndDate = ts[^1] } : chunk;
            _rows.AddRange(fitted.CalculateChunk(rows, dated));
            ChunksDone++;
            _nextStart = chunk.EndIndex + 1;
        }
    }

    private List<Chunk> ReadyChunks(bool final)
    {
        var ready = new List<Chunk>();
        if (sizeChunks is not null)
        {
            for (var k = ChunksDone; k < sizeChunks.Count && sizeChunks[k].EndIndex < _pendingStart + _pendingRows; k++)
            {
                ready.Add(sizeChunks[k]);
            }

            return ready;
        }

        // Period chunks: plan the rows from the next chunk's first row on; the last period may still grow unless final.
        var from = (int)(_nextStart - _pendingStart);
        var held = (int)_pendingRows - from;
        if (held == 0)
        {
            return ready;
        }

        var timestamps = HeldTimestamps(held);
        foreach (var planned in Chunker.Plan(fitted.Chunking, held, timestamps, final, _nextStart, ChunksDone))
        {
            if (planned.Final)
            {
                ready.Add(planned.Chunk);
            }
        }

        return ready;
    }

    /// <summary>The result rows once every row has arrived.</summary>
    /// <exception cref="EstimatorDataException">The file ended before its last chunk (it held fewer rows than its footer says).</exception>
    public List<ChunkEstimate> Complete()
    {
        if (sizeChunks is null)
        {
            CalculateReady(final: true);
        }
        else if (ChunksDone < sizeChunks.Count)
        {
            throw new EstimatorDataException(FormattableString.Invariant($"ended after {RowsRead} rows, before chunk {sizeChunks[ChunksDone].Key}"), path);
        }

        return _rows;
    }

    private void CheckOrder(ModelData batch, long firstRow)
    {
        if (batch.Timestamps is not { } timestamps)
        {
            return;
        }

        for (var i = 0; i < timestamps.Length; i++)
        {
            if (timestamps[i] < _lastTimestamp)
            {
                throw new EstimatorDataException(
                    FormattableString.Invariant($"timestamp {timestamps[i]:O} is earlier than the previous row's {_lastTimestamp:O}: a streamed calculation needs rows in ascending timestamp order"),
                    path,
                    timestampColumn,
                    firstRow + i)
                {
                    Kind = DataProblem.TimestampsOutOfOrder,
                };
            }

            _lastTimestamp = timestamps[i];
        }
    }

    /// <summary>The timestamps of the <paramref name="held"/> rows from the next chunk's first row on (empty without a timestamp column).</summary>
    private DateTime[] HeldTimestamps(int held)
    {
        var timestamps = new DateTime[held];
        var offset = _pendingStart;
        var at = 0;
        foreach (var batch in _pending)
        {
            var from = Math.Max(_nextStart, offset);
            var to = offset + batch.Count;
            if (batch.Timestamps is null)
            {
                return [];
            }

            if (from < to)
            {
                Array.Copy(batch.Timestamps, from - offset, timestamps, at, to - from);
                at += (int)(to - from);
            }

            offset = to;
        }

        return timestamps;
    }

    /// <summary>File rows [<paramref name="start"/>, start + <paramref name="length"/>) from the pending batches, as one piece.</summary>
    private ModelData Take(long start, int length)
    {
        var parts = new List<ModelData>();
        var offset = _pendingStart;
        foreach (var batch in _pending)
        {
            var from = Math.Max(start, offset);
            var to = Math.Min(start + length, offset + batch.Count);
            if (from < to)
            {
                parts.Add(from == offset && to == offset + batch.Count ? batch : batch.Slice((int)(from - offset), (int)(to - from)));
            }

            offset += batch.Count;
        }

        return parts.Count == 1 ? parts[0] : Concatenate(parts, length);
    }

    private ModelData Concatenate(List<ModelData> parts, int length)
    {
        var first = parts[0];
        var features = new List<FeatureColumn>(first.Features.Count);
        for (var f = 0; f < first.Features.Count; f++)
        {
            var column = first.Features[f];
            if (parts.Any(p => p.Features[f].GetType() != column.GetType()))
            {
                throw new EstimatorDataException("is numeric in one row group and text in another; write the column with one type", path, column.Name);
            }

            features.Add(column switch
            {
                NumericFeature => new NumericFeature(column.Name, Join(parts, p => ((NumericFeature)p.Features[f]).Values, length)),
                _ => new CategoricalFeature(column.Name, Join(parts, p => ((CategoricalFeature)p.Features[f]).Values, length)),
            });
        }

        return new ModelData(length, first.Timestamps is null ? null : Join(parts, p => p.Timestamps!, length))
        {
            Predictions = first.Predictions is null ? null : Join(parts, p => p.Predictions!, length),
            Targets = first.Targets is null ? null : Join(parts, p => p.Targets!, length),
            Features = features,
        };
    }

    private static T[] Join<T>(List<ModelData> parts, Func<ModelData, T[]> column, int length)
    {
        var joined = new T[length];
        var at = 0;
        foreach (var part in parts)
        {
            var values = column(part);
            Array.Copy(values, 0, joined, at, values.Length);
            at += values.Length;
        }

        return joined;
    }
}
