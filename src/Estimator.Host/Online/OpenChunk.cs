using Estimator.Monitoring.Online;

namespace Estimator.Host.Online;

/// <summary>
/// The rows of the chunk being filled (the stream's rows after the last closed chunk): posted batches are appended,
/// and each time N rows are together they are handed out as a closed chunk, with its index.
/// </summary>
/// <param name="window">N.</param>
/// <param name="timestamps">Whether the rows carry timestamps.</param>
/// <param name="index">The index of the chunk being filled.</param>
/// <param name="rows">Its rows so far (fewer than N).</param>
internal sealed class OpenChunk(int window, bool timestamps, long index, OnlineRows rows)
{
    private readonly List<OnlineRows> _parts = rows.Count == 0 ? [] : [rows];
    private int _count = rows.Count;
    private long _index = index;

    /// <summary>Appends rows; returns the chunks they complete (usually none, at most one per N rows).</summary>
    public List<(long Index, OnlineRows Rows)> Append(OnlineRows rows)
    {
        var closed = new List<(long, OnlineRows)>();
        var done = 0;
        while (done < rows.Count)
        {
            var take = Math.Min(window - _count, rows.Count - done);
            _parts.Add(done == 0 && take == rows.Count ? rows : rows.Slice(done, take));
            _count += take;
            done += take;
            if (_count == window)
            {
                closed.Add((_index, OnlineRows.Concat(_parts, timestamps)));
                _parts.Clear();
                _count = 0;
                _index++;
            }
        }

        return closed;
    }
}
