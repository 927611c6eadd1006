using Estimator.Monitoring.Online;

namespace Estimator.Host.Online;

/// <summary>
/// The last N posted rows of a shift-aware model, features and all, as the batches that brought them (a batch is
/// dropped once the later ones hold N rows). Not thread-safe: the model's window lock guards it.
/// </summary>
/// <param name="capacity">N.</param>
/// <param name="timestamps">Whether the rows carry timestamps.</param>
internal sealed class ShiftWindowRows(int capacity, bool timestamps)
{
    private readonly LinkedList<OnlineRows> _parts = new();
    private int _count;

    /// <summary>N.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>Rows in the window (at most N).</summary>
    public int Count => Math.Min(_count, Capacity);

    /// <summary>Appends a batch; drops the oldest batches no longer needed for the last N rows.</summary>
    public void Add(OnlineRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        _parts.AddLast(rows);
        _count += rows.Count;
        while (_count - _parts.First!.Value.Count >= Capacity)
        {
            _count -= _parts.First.Value.Count;
            _parts.RemoveFirst();
        }
    }

    /// <summary>The last N rows (fewer while the stream is shorter), in arrival order, as one copy.</summary>
    public OnlineRows Rows()
    {
        var all = OnlineRows.Concat([.. _parts], timestamps);
        return all.Count <= Capacity ? all : all.Slice(all.Count - Capacity, Capacity);
    }
}
