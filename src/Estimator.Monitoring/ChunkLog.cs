namespace Estimator.Monitoring;

/// <summary>
/// Where a model's final chunks are: the log file (<c>chunks/&lt;name&gt;.jsonl</c>, one <see cref="ChunkState"/> per
/// line, in index order) and how much of it the committed state covers. Bytes past <see cref="Bytes"/> belong to a run
/// that never committed and are cut off by the next append.
/// </summary>
/// <param name="File">The log's file name under <c>chunks/</c>; null while no chunk is final.</param>
/// <param name="Count">Final chunks in the log (chunks 0 to <c>Count - 1</c>).</param>
/// <param name="Bytes">The log's committed length.</param>
/// <param name="Last">The last logged chunk (what the next chunk continues from); null when <see cref="Count"/> is 0.</param>
internal sealed record ChunkLogPosition(string? File, int Count, long Bytes, ChunkState? Last)
{
    public static ChunkLogPosition Empty { get; } = new(null, 0, 0, null);
}

/// <summary>
/// A model's final chunks kept apart from <c>state.json</c>, in an append-only log: a final chunk never changes (only a
/// rebuild re-forms them, and writes a new log under a new name), so a commit appends the chunks that became final
/// and the state file keeps only the chunks still open. Read whole only when every chunk is needed (a rebuild, a refit,
/// reconciliation, a work item, the first orphan sweep of a process).
/// </summary>
internal sealed class ChunkLog(StoreLayout layout)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string Path(string model, string file) => System.IO.Path.Combine(layout.ModelDirectory(model), "chunks", file);

    /// <summary>Every chunk of the state: the logged final ones, then the open ones.</summary>
    public List<ChunkState> ReadAll(string model, ModelState state)
    {
        var chunks = new List<ChunkState>(state.ChunkCount);
        var log = state.Log;
        if (log.Count > 0)
        {
            var path = Path(model, log.File!);
            var bytes = new byte[log.Bytes];
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan))
            {
                // Only the committed bytes: a run that never committed may have appended more.
                stream.ReadExactly(bytes);
            }

            for (var span = bytes.AsSpan(); span.Length > 0;)
            {
                var end = span.IndexOf((byte)'\n');
                var line = end < 0 ? span : span[..end];
                chunks.Add(JsonSerializer.Deserialize<ChunkState>(line, Json) ?? throw new EstimatorDataException("the store's chunk log holds an empty line", path));
                span = end < 0 ? [] : span[(end + 1)..];
            }

            if (chunks.Count != log.Count)
            {
                throw new EstimatorDataException(string.Create(CultureInfo.InvariantCulture, $"the store's chunk log holds {chunks.Count} chunks, the state says {log.Count}"), path);
            }
        }

        chunks.AddRange(state.Tail);
        return chunks;
    }

    /// <summary>
    /// The state with the first <paramref name="kept"/> chunks of its chunk list followed by <paramref name="after"/>, its leading final chunks in the log: when the list keeps
    /// the logged chunks (<paramref name="kept"/> ≥ the log's count) the newly final ones are appended, else (a rebuild)
    /// the log is written anew under a new name (the old one is removed by <see cref="RemoveUnused"/> after the commit).
    /// Writes before the commit; the state is what to commit.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="state">The committed state.</param>
    /// <param name="kept">How many chunks at the head of the state's chunk list <paramref name="after"/> continues.</param>
    /// <param name="after">The chunks after those.</param>
    public ModelState Advance(string model, ModelState state, int kept, IReadOnlyList<ChunkState> after)
    {
        var log = state.Log;
        if (kept >= log.Count)
        {
            // The logged chunks stay; the kept open ones that are final now, then the leading final ones of the rest, are appended.
            var moving = new List<ChunkState>();
            var tail = new List<ChunkState>();
            foreach (var chunk in state.Tail.Take(kept - log.Count).Concat(after))
            {
                (chunk.Final && tail.Count == 0 ? moving : tail).Add(chunk);
            }

            return state with { Log = moving.Count == 0 ? log : Append(model, log, moving), Tail = tail };
        }

        var all = ReadAll(model, state).Take(kept).Concat(after).ToList();
        var finals = all.TakeWhile(c => c.Final).ToList();
        var file = string.Create(CultureInfo.InvariantCulture, $"chunks-{Guid.NewGuid():N}.jsonl");
        var bytes = Lines(finals);
        if (finals.Count > 0)
        {
            AtomicFile.Write(Path(model, file), stream => stream.Write(bytes));
        }

        var rewritten = finals.Count == 0 ? ChunkLogPosition.Empty : new ChunkLogPosition(file, finals.Count, bytes.Length, finals[^1]);
        return state with { Log = rewritten, Tail = all.Skip(finals.Count).ToList() };
    }

    /// <summary>Removes log files the committed state does not name (a rebuilt log's predecessor, a dead run's log).</summary>
    public void RemoveUnused(string model, ModelState committed)
    {
        var directory = System.IO.Path.Combine(layout.ModelDirectory(model), "chunks");
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "chunks-*.jsonl"))
        {
            if (System.IO.Path.GetFileName(file) != committed.Log.File)
            {
                File.Delete(file);
            }
        }
    }

    private ChunkLogPosition Append(string model, ChunkLogPosition log, List<ChunkState> chunks)
    {
        var file = log.File ?? string.Create(CultureInfo.InvariantCulture, $"chunks-{Guid.NewGuid():N}.jsonl");
        var path = Path(model, file);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var bytes = Lines(chunks);
        using (var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete))
        {
            // Cut what a run that never committed appended, then append; flushed to disk before the state that names it.
            stream.SetLength(log.Bytes);
            stream.Seek(log.Bytes, SeekOrigin.Begin);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        return new ChunkLogPosition(file, log.Count + chunks.Count, log.Bytes + bytes.Length, chunks[^1]);
    }

    private static byte[] Lines(List<ChunkState> chunks)
    {
        using var buffer = new MemoryStream();
        foreach (var chunk in chunks)
        {
            JsonSerializer.Serialize(buffer, chunk, Json);
            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }
}
