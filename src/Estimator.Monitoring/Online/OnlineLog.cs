using System.Collections.Concurrent;

namespace Estimator.Monitoring.Online;

/// <summary>
/// A model's posted rows in the store, under <c>&lt;store&gt;/&lt;model&gt;/online/</c>: the write-ahead log of the rows
/// not yet in a closed chunk, and the closed chunks (<see cref="OnlineFiles"/>). Row k·N .. (k+1)·N − 1 of the stream
/// form chunk k; its rows are in segment <c>wal-k</c> until the chunk's analysis file is durable, then only there. So
/// every appended row is in exactly one place after a crash, and <see cref="Recover"/> rebuilds the stream's count and
/// its last N rows from them. One writer: <see cref="Append"/>, <see cref="Commit"/> and <see cref="Recover"/> are
/// called from one thread at a time; <see cref="CloseChunk"/> may run on another.
/// </summary>
public sealed class OnlineLog : IDisposable
{
    private readonly WriteAheadLog _wal;
    private readonly OnlineFiles _files;
    private readonly bool _timestamps;
    private readonly ILogger? _logger;
    private readonly ConcurrentQueue<long> _closed = new();
    private readonly string _directory;
    private FileStream? _writerLock;

    /// <summary>Opens the log of <paramref name="model"/> (with <c>online</c>) in the store.</summary>
    /// <param name="storeDirectory">The store's root.</param>
    /// <param name="model">The model; its <see cref="ModelDefinition.IdColumn"/> names the id column.</param>
    /// <param name="window">N: the rows of a chunk and of the window.</param>
    /// <param name="logger">Where recovery reports what it did, or null.</param>
    public OnlineLog(string storeDirectory, ModelDefinition model, int window, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var directory = DirectoryOf(storeDirectory, model.Name);
        _directory = directory;
        Window = window;
        _wal = new WriteAheadLog(Path.Combine(directory, "wal"), window);
        _files = new OnlineFiles(directory, model);
        _timestamps = model.Columns.Timestamp is not null;
        _logger = logger;
    }

    /// <summary>The online folder of a model: <c>&lt;store&gt;/&lt;model&gt;/online</c>.</summary>
    public static string DirectoryOf(string storeDirectory, string model) => Path.Combine(Path.GetFullPath(storeDirectory), model, "online");

    /// <summary>The closed chunks' folder (the model's online analysis source).</summary>
    public static string InboxOf(string storeDirectory, string model) => OnlineFiles.InboxOf(DirectoryOf(storeDirectory, model));

    /// <summary>The posted labels' folder (a targets source of the model).</summary>
    public static string LabelsOf(string storeDirectory, string model) => OnlineFiles.LabelsOf(DirectoryOf(storeDirectory, model));

    /// <summary>N: rows per chunk.</summary>
    public int Window { get; }

    /// <summary>Rows appended over the stream's life (the next row's sequence number).</summary>
    public long RowsSeen { get; private set; }

    /// <summary>
    /// Reads the store: closes every full chunk still only in the log (a crash came before its file), deletes the
    /// segments of closed chunks, cuts a torn record off the open segment. Returns the stream's last rows (at most N, in
    /// arrival order) and the open chunk's rows (those after the last closed chunk).
    /// </summary>
    /// <exception cref="IOException">Another process holds the log (one writer per model and store).</exception>
    public (OnlineRows Last, OnlineRows Open) Recover()
    {
        TakeWriterLock();
        var closed = _files.ClosedChunks().ToHashSet();
        var lastClosed = closed.Count == 0 ? -1 : closed.Max();
        OnlineRows? lastClosedRows = null;
        var open = OnlineRows.Empty(_timestamps);
        var openIndex = lastClosed + 1;
        foreach (var index in _wal.Segments())
        {
            if (closed.Contains(index))
            {
                _wal.Delete(index);
                continue;
            }

            var rows = _wal.ReadSegment(index, _timestamps);
            if (rows.Count == Window)
            {
                _files.WriteChunk(index, rows);
                _wal.Delete(index);
                _logger?.LogInformation("Online log: closed chunk {Chunk} from the write-ahead log on recovery", index);
                if (index >= lastClosed)
                {
                    (lastClosed, lastClosedRows) = (index, rows);
                    openIndex = index + 1;
                }
            }
            else if (index >= openIndex)
            {
                (open, openIndex) = (rows, index);
            }
            else
            {
                _logger?.LogWarning("Online log: segment {Segment} holds {Rows} rows, fewer than a chunk, before the open chunk; kept, not replayed", index, rows.Count);
            }
        }

        if (open.Count > 0 && openIndex <= lastClosed)
        {
            open = OnlineRows.Empty(_timestamps);
        }

        var baseIndex = open.Count > 0 ? openIndex : lastClosed + 1;
        RowsSeen = (baseIndex * Window) + open.Count;
        if (open.Count == Window || lastClosed < 0 || baseIndex - 1 != lastClosed)
        {
            return (open, open);
        }

        var previous = lastClosedRows ?? _files.ReadChunk(lastClosed);
        var need = Window - open.Count;
        var tail = previous.Slice(previous.Count - need, need);
        return (OnlineRows.Concat([tail, open], _timestamps), open);
    }

    /// <summary>Appends rows to the log (not yet durable: see <see cref="Commit"/>); returns the first row's sequence number.</summary>
    public long Append(OnlineRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var first = RowsSeen;
        _wal.Append(first, rows);
        RowsSeen += rows.Count;
        return first;
    }

    /// <summary>Makes every appended row durable (one fsync for all requests appended since the last commit), and drops
    /// the segments of chunks closed since.</summary>
    public void Commit()
    {
        _wal.Commit();
        while (_closed.TryDequeue(out var index))
        {
            _wal.Delete(index);
        }
    }

    /// <summary>Writes chunk <paramref name="index"/> (its N rows) as an analysis file; its segment goes at the next commit.</summary>
    public void CloseChunk(long index, OnlineRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _files.WriteChunk(index, rows);
        _closed.Enqueue(index);
    }

    /// <summary>Writes posted labels as a label file; durable when this returns.</summary>
    public string WriteLabels(string[] ids, double[] targets, DateTimeOffset now) => _files.WriteLabels(ids, targets, now);

    /// <inheritdoc />
    public void Dispose()
    {
        _wal.Dispose();
        _writerLock?.Dispose();
    }

    /// <summary>Holds <c>online/writer.lock</c> open without sharing while this log is open: two processes must not append to one log.</summary>
    private void TakeWriterLock()
    {
        if (_writerLock is not null)
        {
            return;
        }

        Directory.CreateDirectory(_directory);
        try
        {
            _writerLock = new FileStream(Path.Combine(_directory, "writer.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"the online log in '{_directory}' is held by another process; serve a model's online path from one process only", e);
        }
    }
}
