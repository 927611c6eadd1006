using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Estimator.Monitoring;

/// <summary>How much of a model's consumed-file log the committed state covers.</summary>
/// <param name="Count">Files in the log (records in <c>consumed.idx</c>, lines in <c>consumed.jsonl</c>).</param>
/// <param name="Bytes">The committed length of <c>consumed.jsonl</c>.</param>
internal sealed record FileLogPosition(int Count, long Bytes)
{
    public static FileLogPosition Empty { get; } = new(0, 0);
}

/// <summary>
/// The analysis files a model consumed, kept so that <c>state.json</c> does not grow with them: the state names the
/// most recent <see cref="Recent"/> files, older ones are appended to <c>consumed.jsonl</c> (one
/// <see cref="ProcessedFile"/> per line, for people and tools) and to <c>consumed.idx</c> (32 bytes per file: a
/// 128-bit hash of the path, the length and the last write time), which is what a run reads, and only when the
/// analysis folder lists a file the state does not name. Bytes past the committed counts belong to a run that never
/// committed and are cut off by the next append.
/// </summary>
internal sealed class ConsumedFiles(StoreLayout layout)
{
    /// <summary>Files the state names itself: the files just consumed, which a folder usually still lists.</summary>
    public const int Recent = 64;

    private const int RecordBytes = 32;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private string IndexPath(string model) => Path.Combine(layout.ModelDirectory(model), "consumed.idx");

    private string LogPath(string model) => Path.Combine(layout.ModelDirectory(model), "consumed.jsonl");

    /// <summary>The length and last write time a consumed file had when it was read, or null when it was never consumed.</summary>
    public sealed class Lookup(Dictionary<string, ProcessedFile> recent, Func<Dictionary<UInt128, (long Length, long Ticks)>> loadOlder)
    {
        private Dictionary<UInt128, (long Length, long Ticks)>? _older;

        public (long Length, DateTime LastWriteUtc)? Find(string path)
        {
            if (recent.TryGetValue(path, out var file))
            {
                return (file.Length, file.LastWriteUtc);
            }

            _older ??= loadOlder();
            return _older.Count > 0 && _older.TryGetValue(Hash(path), out var seen) ? (seen.Length, new DateTime(seen.Ticks, DateTimeKind.Utc)) : null;
        }
    }

    public Lookup Open(string model, ModelState state) =>
        new(state.Files.ToDictionary(f => f.Path, StringComparer.Ordinal), () => ReadIndex(model, state.FileLog));

    /// <summary>The state with <paramref name="read"/> consumed: the state keeps the latest <see cref="Recent"/>, older ones are appended to the log (before the commit).</summary>
    public ModelState Advance(string model, ModelState state, IReadOnlyList<ProcessedFile> read)
    {
        var all = state.Files.Concat(read).ToList();
        if (all.Count <= Recent)
        {
            return state with { Files = all };
        }

        var moving = all.Take(all.Count - Recent).ToList();
        var log = state.FileLog;
        var lines = new MemoryStream();
        var records = new byte[moving.Count * RecordBytes];
        for (var k = 0; k < moving.Count; k++)
        {
            JsonSerializer.Serialize(lines, moving[k], Json);
            lines.WriteByte((byte)'\n');
            var record = records.AsSpan(k * RecordBytes, RecordBytes);
            BinaryPrimitives.WriteUInt128LittleEndian(record, Hash(moving[k].Path));
            BinaryPrimitives.WriteInt64LittleEndian(record[16..], moving[k].Length);
            BinaryPrimitives.WriteInt64LittleEndian(record[24..], moving[k].LastWriteUtc.Ticks);
        }

        Append(LogPath(model), log.Bytes, lines.GetBuffer().AsSpan(0, (int)lines.Length));
        Append(IndexPath(model), (long)log.Count * RecordBytes, records);
        return state with { Files = all.Skip(moving.Count).ToList(), FileLog = new FileLogPosition(log.Count + moving.Count, log.Bytes + lines.Length) };
    }

    private Dictionary<UInt128, (long Length, long Ticks)> ReadIndex(string model, FileLogPosition log)
    {
        var index = new Dictionary<UInt128, (long, long)>(log.Count);
        if (log.Count == 0)
        {
            return index;
        }

        var bytes = new byte[(long)log.Count * RecordBytes];
        using (var stream = new FileStream(IndexPath(model), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1))
        {
            stream.ReadExactly(bytes);
        }

        for (var at = 0; at < bytes.Length; at += RecordBytes)
        {
            var record = bytes.AsSpan(at, RecordBytes);
            index[BinaryPrimitives.ReadUInt128LittleEndian(record)] = (BinaryPrimitives.ReadInt64LittleEndian(record[16..]), BinaryPrimitives.ReadInt64LittleEndian(record[24..]));
        }

        return index;
    }

    private static void Append(string path, long committed, ReadOnlySpan<byte> bytes)
    {
        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete);

        // Cut what a run that never committed appended, then append; flushed to disk before the state that counts it.
        stream.SetLength(committed);
        stream.Seek(committed, SeekOrigin.Begin);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    private static UInt128 Hash(string path)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(path), hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }
}
