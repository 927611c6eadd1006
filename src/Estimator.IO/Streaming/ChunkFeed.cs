using Estimator.Calculators;
using Estimator.Estimation;

namespace Estimator.IO;

/// <summary>
/// Feeds batches of rows, in file order, to a fitted calculator chunk by chunk: keeps the batches that hold rows of a
/// chunk not yet complete, and hands each chunk's rows to <see cref="IFittedCalculator.CalculateChunk"/> once its last
/// row has arrived. The chunks (by size or number) are planned from the file's row count up front.
/// </summary>
internal sealed class ChunkFeed(IFittedCalculator fitted, IReadOnlyList<Chunk> chunks, string path, string? timestampColumn)
{
    private readonly List<ModelData> _pending = [];
    private readonly List<ChunkEstimate> _rows = [.. fitted.ReferenceRows];
    private long _pendingStart;
    private long _pendingRows;
    private DateTime _lastTimestamp = DateTime.MinValue;

    public long RowsRead { get; private set; }

    public int ChunksDone { get; private set; }

    public int ChunkCount => chunks.Count;

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
        while (ChunksDone < chunks.Count && chunks[ChunksDone].EndIndex < _pendingStart + _pendingRows)
        {
            var chunk = chunks[ChunksDone];
            var rows = Take(chunk.StartIndex, (int)chunk.Rows);
            if (rows.Timestamps is { Length: > 0 } ts)
            {
                chunk = chunk with { StartDate = ts[0], EndDate = ts[^1] };
            }

            _rows.AddRange(fitted.CalculateChunk(rows, chunk));
            ChunksDone++;
        }

        // Batches wholly before the next chunk are done with (rows the chunking drops belong to no chunk).
        var keepFrom = ChunksDone < chunks.Count ? chunks[ChunksDone].StartIndex : long.MaxValue;
        while (_pending.Count > 0 && _pendingStart + _pending[0].Count <= keepFrom)
        {
            _pendingStart += _pending[0].Count;
            _pendingRows -= _pending[0].Count;
            _pending.RemoveAt(0);
        }
    }

    /// <summary>The result rows once every row has arrived.</summary>
    /// <exception cref="EstimatorDataException">The file ended before its last chunk (it held fewer rows than its footer says).</exception>
    public List<ChunkEstimate> Complete() => ChunksDone == chunks.Count
        ? _rows
        : throw new EstimatorDataException(FormattableString.Invariant($"ended after {RowsRead} rows, before chunk {chunks[ChunksDone].Key}"), path);

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
