using System.Text.Json.Serialization;


namespace Estimator.Monitoring;

/// <summary>An analysis file the model has consumed, with what identified it when it was read.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Length">Its length in bytes when read.</param>
/// <param name="LastWriteUtc">Its last write time when read.</param>
/// <param name="Rows">Rows read from it.</param>
internal sealed record ProcessedFile(string Path, long Length, DateTime LastWriteUtc, long Rows);

/// <summary>
/// An analysis file the store could not use (unreadable, wrong schema, bad values): set aside with its error so that the
/// model's other files are estimated around it, and tried again only once the file changes.
/// </summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Length">Its length in bytes when rejected.</param>
/// <param name="LastWriteUtc">Its last write time when rejected.</param>
/// <param name="Error">Why, as the one-line error names it (file, column, row).</param>
/// <param name="RejectedAt">When it was rejected (UTC).</param>
public sealed record RejectedFile(string Path, long Length, DateTime LastWriteUtc, string Error, DateTime RejectedAt);

/// <summary>One analysis chunk of the stream as the store holds it.</summary>
/// <param name="Index">0-based chunk index; names the chunk's files.</param>
/// <param name="Key">NannyML's chunk key.</param>
/// <param name="StartIndex">Stream position of the first row.</param>
/// <param name="EndIndex">Stream position of the last row.</param>
/// <param name="StartDate">Chunk start (observed for size chunks, theoretical for periods).</param>
/// <param name="EndDate">Chunk end.</param>
/// <param name="Final">False while the chunk is still filling or its period still open.</param>
/// <param name="Visible">False for a filling chunk under <c>incomplete: drop</c>, which gets no estimate until complete.</param>
/// <param name="RowsFile">The file (under <c>rows/</c>) holding the chunk's rows. A new version gets a new name, so the
/// committed state never points at a file that an uncommitted run has overwritten.</param>
internal sealed record ChunkState(int Index, string Key, long StartIndex, long EndIndex, DateTime? StartDate, DateTime? EndDate, bool Final, bool Visible, string RowsFile)
{
    public long Rows => EndIndex - StartIndex + 1;

    public Chunk ToChunk() => new(Key, Index, StartIndex, EndIndex, StartDate, EndDate);
}

/// <summary>
/// Part of an estimate run handed to other workers: the contiguous chunks <paramref name="FirstChunk"/> to
/// <paramref name="LastChunk"/>, whose rows wait in the segment file <c>pending/&lt;Id&gt;.parquet</c>.
/// </summary>
/// <param name="Id">Names the item's files: <c>runNNNNNN-itemNNN</c>.</param>
/// <param name="RunId">The planning run's id, written to the item's estimate rows.</param>
/// <param name="EstimatedAt">The planning run's time, written to the item's estimate rows.</param>
/// <param name="Fingerprint">The fitted model the run used.</param>
/// <param name="FirstChunk">Index of the item's first chunk.</param>
/// <param name="LastChunk">Index of the item's last chunk.</param>
internal sealed record WorkItemState(string Id, string RunId, DateTime EstimatedAt, string Fingerprint, int FirstChunk, int LastChunk)
{
    /// <summary>The fitted drift and quality calculators the run used; null when the model measures none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InputFingerprint { get; init; }
}

/// <summary>
/// A model's committed state in the store; written last, so a crash before it leaves the previous state. It does not
/// grow with the model's history: the final chunks are in the chunk log (<see cref="Log"/>, <see cref="ChunkLog"/>) and
/// all but the latest consumed files in the consumed-file log (<see cref="FileLog"/>, <see cref="ConsumedFiles"/>).
/// </summary>
/// <param name="FormatVersion">Format of this file: 2; a format-1 file (every chunk and file in the state) is read as
/// a state with empty logs, and written as format 2 (its final chunks and older files moved to the logs) by the next
/// estimate run.</param>
/// <param name="Fingerprint">Identifies the fitted model: the reference content and the estimation options.</param>
/// <param name="Files">The latest consumed analysis files, in processing order (older ones are in the consumed-file log).</param>
/// <param name="Tail">Analysis chunks after the chunk log's, in index order (<c>chunks</c> in the file).</param>
/// <param name="Runs">Estimate runs committed so far.</param>
/// <param name="HasIds">Whether the stream's rows carry ids.</param>
/// <param name="HasTimestamps">Whether the stream's rows carry timestamps.</param>
/// <param name="HasPredictions">Whether the stream's rows carry predicted labels.</param>
internal sealed record ModelState(
    int FormatVersion,
    string? Fingerprint,
    IReadOnlyList<ProcessedFile> Files,
    [property: JsonPropertyName("chunks")] IReadOnlyList<ChunkState> Tail,
    long Runs,
    bool HasIds,
    bool HasTimestamps,
    bool HasPredictions)
{
    public const int CurrentFormat = 2;

    /// <summary>The format before the logs: every chunk and consumed file in the state file.</summary>
    public const int UnloggedFormat = 1;

    /// <summary>The final chunks before <see cref="Tail"/>.</summary>
    public ChunkLogPosition Log { get; init; } = ChunkLogPosition.Empty;

    /// <summary>The consumed files before <see cref="Files"/>.</summary>
    public FileLogPosition FileLog { get; init; } = FileLogPosition.Empty;

    /// <summary>Chunks in all: the logged ones and the tail.</summary>
    [JsonIgnore]
    public int ChunkCount => Log.Count + Tail.Count;

    /// <summary>The last chunk, or null when there is none.</summary>
    [JsonIgnore]
    public ChunkState? LastChunk => Tail.Count > 0 ? Tail[^1] : Log.Last;

    /// <summary>Work items planned by a run and not yet settled: their chunks are in the state (<see cref="Tail"/> or the chunk log), their rows in a segment file.</summary>
    public IReadOnlyList<WorkItemState> Pending { get; init; } = [];

    /// <summary>
    /// A multiclass model's classes, sorted ordinally: the order of the score columns in the stored rows, and what their
    /// predictions and the stored labels index. Null for a binary model (and left out of its file, which stays as before).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>
    /// A regression model's input columns as its stored rows hold them (names and kinds, in the model's feature order):
    /// what a stored chunk needs to be estimated again. Null for a classifier (and left out of its file).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<StoredFeature>? Features { get; init; }

    /// <summary>
    /// The drift and quality columns the stored rows hold besides a regression model's features (names and kinds, in the
    /// order of <see cref="ModelDefinition.StoredInputs"/>). Null when the model measures none (and left out of its file).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<StoredFeature>? Inputs { get; init; }

    /// <summary>Identifies the fitted drift and quality calculators (reference content and their options); null when the model measures none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InputFingerprint { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        // Compact: the file is read and written at every run.
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static ModelState Empty { get; } = new(CurrentFormat, null, [], [], 0, false, false, false);

    [JsonIgnore]
    public long StreamRows => LastChunk is { } last ? last.EndIndex + 1 : 0;

    public static ModelState Load(string path)
    {
        if (!File.Exists(path))
        {
            return Empty;
        }

        try
        {
            // Streamed, not read into one string: a format-1 file grows with the history, and a large string lands on
            // the large-object heap, whose collections are what a long-lived host with many models pays for.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12, FileOptions.SequentialScan);
            var state = JsonSerializer.Deserialize<ModelState>(stream, Json);
            return state is { FormatVersion: CurrentFormat or UnloggedFormat } ? state
                : throw new EstimatorDataException($"store state format {state?.FormatVersion} is not supported (expected {CurrentFormat})", path);
        }
        catch (JsonException e)
        {
            throw new EstimatorDataException($"the store's state file is unreadable: {e.Message}", path, innerException: e);
        }
    }

    public void Save(string path) => AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, this with { FormatVersion = CurrentFormat }, Json));
}
