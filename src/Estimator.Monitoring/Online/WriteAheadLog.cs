using System.Buffers;

namespace Estimator.Monitoring.Online;

/// <summary>
/// A model's online write-ahead log: one segment file per chunk of N rows (<c>wal-NNNNNNNNN.bin</c> holds rows
/// k·N .. (k+1)·N − 1), appended by one writer. <see cref="Append"/> writes, <see cref="Commit"/> makes every appended
/// record durable (fsync) — one commit covers all the requests appended since the last (group commit). A segment is
/// deleted once its chunk is durable as an analysis file.
/// </summary>
internal sealed class WriteAheadLog(string directory, int window) : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private FileStream? _segment;
    private long _segmentIndex = -1;

    /// <summary>The log's folder.</summary>
    public string Directory { get; } = directory;

    /// <summary>The segment file of chunk <paramref name="index"/>.</summary>
    public string SegmentPath(long index) => Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"wal-{index:D9}.bin"));

    /// <summary>The chunk indices of the segments on disk, in order.</summary>
    public IReadOnlyList<long> Segments()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var indices = new List<long>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "wal-*.bin"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (long.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                indices.Add(index);
            }
        }

        indices.Sort();
        return indices;
    }

    /// <summary>
    /// Reads a segment's rows in order, truncating the file after its last whole record (a write torn by a crash was
    /// never acknowledged).
    /// </summary>
    public OnlineRows ReadSegment(long index, bool timestamps)
    {
        var path = SegmentPath(index);
        var data = File.ReadAllBytes(path);
        var parts = new List<OnlineRows>();
        var at = 0;
        var expected = index * window;
        while (at < data.Length && WalRecord.TryDecode(data.AsSpan(at), out var first, out var rows, out var consumed) && first == expected)
        {
            parts.Add(rows);
            expected += rows.Count;
            at += consumed;
        }

        if (at < data.Length)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.SetLength(at);
            file.Flush(flushToDisk: true);
        }

        return OnlineRows.Concat(parts, timestamps);
    }

    /// <summary>Appends rows numbered from <paramref name="firstSequence"/>, split at chunk boundaries into their segments.</summary>
    public void Append(long firstSequence, OnlineRows rows)
    {
        var done = 0;
        while (done < rows.Count)
        {
            var sequence = firstSequence + done;
            var index = sequence / window;
            var room = (int)(((index + 1) * window) - sequence);
            var take = Math.Min(room, rows.Count - done);
            var part = done == 0 && take == rows.Count ? rows : rows.Slice(done, take);
            _buffer.ResetWrittenCount();
            WalRecord.Encode(_buffer, sequence, part);
            Open(index).Write(_buffer.WrittenSpan);
            done += take;
        }
    }

    /// <summary>Makes every appended record durable.</summary>
    public void Commit() => _segment?.Flush(flushToDisk: true);

    /// <summary>Deletes chunk <paramref name="index"/>'s segment (its rows are durable elsewhere); on the writer's thread.</summary>
    public void Delete(long index)
    {
        if (index == _segmentIndex)
        {
            // A full segment is not written to again: the next row opens the next one.
            _segment?.Dispose();
            _segment = null;
            _segmentIndex = -1;
        }

        File.Delete(SegmentPath(index));
    }

    public void Dispose()
    {
        _segment?.Dispose();
        _segment = null;
    }

    private FileStream Open(long index)
    {
        if (_segment is not null && index == _segmentIndex)
        {
            return _segment;
        }

        if (_segment is not null)
        {
            // The finished segment's records are made durable before the next segment takes writes.
            _segment.Flush(flushToDisk: true);
            _segment.Dispose();
        }

        System.IO.Directory.CreateDirectory(Directory);
        _segment = new FileStream(SegmentPath(index), FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete, 1 << 16);
        _segmentIndex = index;
        return _segment;
    }
}
