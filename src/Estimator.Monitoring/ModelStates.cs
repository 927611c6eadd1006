namespace Estimator.Monitoring;

/// <summary>
/// Loads and commits models' <c>state.json</c>, keeping the last parsed state of each path while the file's length and
/// last write time stay the same: one run loads the state up to three times (fit check, estimate, alert evaluation)
/// and a long-lived host loads it on every tick. A state committed by another process has another write time, so it is
/// read again. The cache is bounded (least recently used states go first) by the bytes of the files it holds, so a
/// host with many models, or with format-1 states that still hold a long history, does not keep them all.
/// </summary>
/// <param name="capacityBytes">The most state-file bytes kept parsed (at least one state is always kept).</param>
internal sealed class ModelStates(long capacityBytes = ModelStates.DefaultCapacityBytes)
{
    /// <summary>64 MiB of state files: about 20,000 models' states of the current format.</summary>
    public const long DefaultCapacityBytes = 64L << 20;

    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _order = new();
    private readonly Lock _lock = new();
    private long _bytes;

    /// <summary>Bytes of the state files the cache holds parsed.</summary>
    public long CachedBytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>States the cache holds.</summary>
    public int CachedCount
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Whether the cache holds a parsed state of <paramref name="path"/>.</summary>
    public bool Holds(string path)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(path);
        }
    }

    public ModelState Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            Forget(path);
            return ModelState.Empty;
        }

        var (length, written) = (info.Length, info.LastWriteTimeUtc);
        lock (_lock)
        {
            if (_entries.TryGetValue(path, out var node) && node.Value.Length == length && node.Value.Written == written)
            {
                _order.Remove(node);
                _order.AddFirst(node);
                return node.Value.State;
            }
        }

        var state = ModelState.Load(path);
        Remember(path, length, written, state);
        return state;
    }

    public void Save(string path, ModelState state)
    {
        state.Save(path);
        var info = new FileInfo(path);
        Remember(path, info.Length, info.LastWriteTimeUtc, state);
    }

    private void Forget(string path)
    {
        lock (_lock)
        {
            if (_entries.Remove(path, out var node))
            {
                _order.Remove(node);
                _bytes -= node.Value.Length;
            }
        }
    }

    private void Remember(string path, long length, DateTime written, ModelState state)
    {
        lock (_lock)
        {
            if (_entries.Remove(path, out var old))
            {
                _order.Remove(old);
                _bytes -= old.Value.Length;
            }

            _entries[path] = _order.AddFirst(new Entry(path, length, written, state));
            _bytes += length;
            while (_bytes > capacityBytes && _order.Last is { } last && last != _order.First)
            {
                _order.RemoveLast();
                _entries.Remove(last.Value.Path);
                _bytes -= last.Value.Length;
            }
        }
    }

    private sealed record Entry(string Path, long Length, DateTime Written, ModelState State);
}
