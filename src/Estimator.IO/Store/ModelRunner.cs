using System.Globalization;
using Estimator.Estimation;
using Estimator.Metrics;
using Microsoft.Extensions.Logging;

namespace Estimator.IO.Store;

/// <summary>What a calibrate run did.</summary>
/// <param name="Refitted">Whether the model was fitted now (first run, or the reference content or the options changed).</param>
/// <param name="Fingerprint">SHA-256 over the reference file's content and the estimation options; names the fitted model in the store.</param>
/// <param name="CalibrationApplied">Whether scores are calibrated.</param>
public sealed record CalibrationOutcome(bool Refitted, string Fingerprint, bool CalibrationApplied);

/// <summary>What an estimate run did.</summary>
/// <param name="RunId">Identifier of this run, written to every estimate row it produced; empty when there was nothing to do.</param>
/// <param name="FilesProcessed">Analysis files picked up by this run (new since the last run), in processing order.</param>
/// <param name="RowsProcessed">Analysis rows read by this run.</param>
/// <param name="ChunksFinalized">Chunks written as final by this run.</param>
/// <param name="ChunksProvisional">Chunks written as provisional (still filling, or period still open) by this run.</param>
public sealed record EstimateOutcome(string RunId, IReadOnlyList<string> FilesProcessed, long RowsProcessed, int ChunksFinalized, int ChunksProvisional)
{
    /// <summary>Work items the run was split into (1 when it was not split, 0 when there was nothing to do).</summary>
    public int WorkItems { get; init; }
}

/// <summary>
/// Runs a model's jobs against the store. <see cref="Calibrate(ModelDefinition, CancellationToken)"/> fits on the reference when it is new or changed and
/// persists the fitted model. <see cref="Estimate(ModelDefinition, CancellationToken)"/> picks up analysis files not yet processed and chunks the stream as
/// the core chunks a whole data set: size-based chunks continue across files, and a chunk still filling (or a period
/// still open) is estimated provisionally and replaced when complete. Both are idempotent and crash-safe: every file is
/// written to a temporary name and renamed into place, and the model's state is committed last, so a run killed at any
/// point leaves the store as it was or as a finished run would, and running again finishes the work.
/// </summary>
/// <remarks>
/// <para>Store layout under <c>&lt;store&gt;/&lt;model&gt;/</c>:</para>
/// <list type="bullet">
/// <item><c>estimates/reference.parquet</c> — the reference period's rows.</item>
/// <item><c>estimates/analysis/chunk-NNNNNN.parquet</c> — one file per analysis chunk (final or provisional), so each
/// chunk × metric is in exactly one file and a provisional chunk is replaced by one rename.</item>
/// <item><c>rows/chunk-NNNNNN-runRRRRRR.parquet</c> — the chunk's rows (id, timestamp, score, prediction), to complete open
/// chunks, merge late rows and join labels.</item>
/// <item><c>fitted/&lt;fingerprint&gt;.json</c> — the fitted estimator; <c>state.json</c> — consumed files and chunks.</item>
/// </list>
/// <para>Rows are ordered by timestamp when there is one. Size chunks: rows that arrive later than the last final
/// chunk's end go to the open chunk (final chunks are never reshuffled) and are counted in the log. Period chunks: late
/// rows for a closed period rebuild the chunks from the stored rows. Number (and default) chunking depends on the total
/// row count, so every run re-forms all chunks from the stored rows.</para>
/// </remarks>
public sealed partial class ModelRunner
{
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(2);

    /// <summary>Creates a runner over the store directory.</summary>
    /// <param name="storeDirectory">The store's root; created when missing.</param>
    /// <param name="time">The clock (for <c>estimated_at</c>, run ids and the settle time).</param>
    /// <param name="logger">Where warnings and progress go.</param>
    public ModelRunner(string storeDirectory, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(storeDirectory);
        StoreDirectory = Path.GetFullPath(storeDirectory);
        Time = time ?? TimeProvider.System;
        Logger = logger;
    }

    /// <summary>The store's root directory.</summary>
    public string StoreDirectory { get; }

    /// <summary>An analysis file is picked up only once it has not been written to for this long (a producer may still be copying it).</summary>
    /// <value>Default: 2 seconds.</value>
    public TimeSpan FileSettleTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A run whose new or changed chunks hold more rows than this is split into work items of about this many rows (whole
    /// chunks), when the caller hands items off (see <see cref="Estimate(ModelDefinition, Action{IReadOnlyList{string}}?, CancellationToken)"/>);
    /// 0 or less never splits.
    /// </summary>
    /// <value>Default: 50,000 rows.</value>
    public int WorkItemRows { get; init; } = 50_000;

    /// <summary>How long a split run's planner leaves its handed-off items to other workers before it runs the ones nobody has started.</summary>
    /// <value>Default: zero (it starts at once).</value>
    public TimeSpan WorkItemGrace { get; init; } = TimeSpan.Zero;

    /// <summary>Called just before an estimate run commits its state (tests use it to simulate a crash there).</summary>
    internal Action<string>? BeforeCommit { get; init; }

    private TimeProvider Time { get; }

    private ILogger? Logger { get; }

    /// <summary>Whether <paramref name="name"/> is a safe model name: letters, digits, <c>_ - .</c>, not <c>.</c>/<c>..</c>, at most 100 characters.</summary>
    public static bool IsSafeName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 100 && name != "." && name != ".."
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>Fits the model on its reference unless the fitted model for this reference content and these options is stored.</summary>
    /// <exception cref="EstimatorDataException">The reference is missing or holds bad data; the store is unchanged.</exception>
    public CalibrationOutcome Calibrate(ModelDefinition model, CancellationToken cancellationToken = default) => Calibrate(model, null, cancellationToken);

    /// <summary>
    /// Fits the model on its reference unless the fitted model for this reference content and these options is stored,
    /// reporting the fit (and the re-estimation of stored chunks it causes) to <paramref name="progress"/>.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="progress">Receives progress on the calling thread; nothing is reported when the model is already fitted.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="EstimatorDataException">The reference is missing or holds bad data; the store is unchanged.</exception>
    public CalibrationOutcome Calibrate(ModelDefinition model, IProgress<RunProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var _ = AcquireLock(model.Name, cancellationToken);
        var tracker = new RunTracker(model.Name, progress, Time);
        var outcome = CalibrateLocked(model, tracker, cancellationToken).Outcome;
        tracker.Finish();
        return outcome;
    }

    /// <summary>Estimates the analysis files that arrived since the last run (calibrating first when needed), all in this call.</summary>
    /// <exception cref="EstimatorDataException">A new analysis file is missing columns or holds bad data; nothing of this run is committed.</exception>
    public EstimateOutcome Estimate(ModelDefinition model, CancellationToken cancellationToken = default) => Estimate(model, null, cancellationToken);

    /// <summary>
    /// Estimates the analysis files that arrived since the last run (calibrating first when needed). When
    /// <paramref name="handOff"/> is given and the run's new or changed chunks hold more than <see cref="WorkItemRows"/>
    /// rows, the run is split into work items of contiguous chunks: this call estimates the first, commits the plan
    /// (chunk list and pending items, the items' rows in segment files) and passes the other items' ids to
    /// <paramref name="handOff"/>, so other workers can run them with <see cref="EstimateWorkItem(string, string, CancellationToken)"/>; it then works
    /// through whichever items nobody has taken, waits for the rest and settles the run. Either way the store ends as one
    /// undivided run would leave it.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="handOff">Receives the ids of the work items other workers may take (e.g. to enqueue a job per item); null keeps the run in this call.</param>
    /// <param name="cancellationToken">Cancels the run; a cancelled split run's items stay pending and the model's next run finishes them.</param>
    /// <exception cref="EstimatorDataException">A new analysis file is missing columns or holds bad data; nothing of this run is committed.</exception>
    public EstimateOutcome Estimate(ModelDefinition model, Action<IReadOnlyList<string>>? handOff, CancellationToken cancellationToken = default) =>
        Estimate(model, handOff, null, cancellationToken);

    /// <summary>
    /// As <see cref="Estimate(ModelDefinition, Action{IReadOnlyList{string}}?, CancellationToken)"/>, reporting progress
    /// after each file read and each chunk written: fitting (when the reference is new or changed), reading files,
    /// estimating chunks, settling work items (a split run), done. A run with nothing to do reports nothing.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="handOff">Receives the ids of the work items other workers may take; null keeps the run in this call.</param>
    /// <param name="progress">Receives progress on the calling thread (keep it cheap: it is called once per file and chunk).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="EstimatorDataException">A new analysis file is missing columns or holds bad data; nothing of this run is committed.</exception>
    public EstimateOutcome Estimate(ModelDefinition model, Action<IReadOnlyList<string>>? handOff, IProgress<RunProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var _ = AcquireLock(model.Name, cancellationToken);
        var tracker = new RunTracker(model.Name, progress, Time);
        var (calibration, fitted) = CalibrateLocked(model, tracker, cancellationToken);
        var state = ModelState.Load(StatePath(model.Name));
        var now = Time.GetUtcNow();
        var processed = state.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var fresh = new List<string>();
        foreach (var file in FileSource.List(model.Analysis))
        {
            var info = new FileInfo(file);
            if (processed.TryGetValue(file, out var seen))
            {
                if (seen.Length != info.Length || seen.LastWriteUtc != info.LastWriteTimeUtc)
                {
                    Logger?.LogWarning("Model {Model}: analysis file {File} changed after it was processed; files are taken as immutable once read, so the change is ignored", model.Name, file);
                }

                continue;
            }

            if (now - info.LastWriteTimeUtc < FileSettleTime)
            {
                continue;
            }

            fresh.Add(file);
        }

        if (fresh.Count == 0)
        {
            tracker.Finish();
            return new EstimateOutcome("", [], 0, 0, 0);
        }

        tracker.TotalFiles = fresh.Count;
        tracker.TotalBytes = fresh.Sum(f => new FileInfo(f).Length);
        tracker.Enter(RunPhase.Reading);

        var needsPredictions = model.Options.Metrics.Any(m => m.RequiresPredictions());
        var columns = model.Columns with { Id = model.IdColumn, YTrue = null };
        var batches = new List<RowBatch>(fresh.Count);
        var files = new List<ProcessedFile>(fresh.Count);
        foreach (var file in fresh)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(file);
            var data = PredictionFileReader.Read(file, columns, requireTargets: false, requirePredictions: needsPredictions);
            batches.Add(RowBatch.FromPredictionData(data));
            files.Add(new ProcessedFile(file, info.Length, info.LastWriteTimeUtc, data.Count));
            tracker.FileRead(info.Length, data.Count);
        }

        var newRows = RowBatch.Concat(batches, model.Name);
        if (state.Chunks.Count > 0 && (newRows.Ids is null != !state.HasIds || newRows.Timestamps is null != !state.HasTimestamps || newRows.Predictions is null != !state.HasPredictions))
        {
            throw new EstimatorDataException($"model '{model.Name}': new analysis files carry other columns (id, timestamp, prediction) than the files already processed", fresh[0]);
        }

        var run = state.Runs + 1;
        var runId = RunId(run, now);
        var (chunks, changed) = Advance(model, state, newRows, rebuild: false);
        var items = handOff is null ? [changed] : Partition(changed, WorkItemRows);
        tracker.TotalChunks += changed.Count;
        tracker.Enter(RunPhase.Estimating);
        WriteChunks(model.Name, fitted, items[0], runId, now.UtcDateTime, tracker.ChunkWritten);
        var pending = new List<WorkItemState>(items.Count - 1);
        for (var k = 1; k < items.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var item = new WorkItemState(WorkItemId(run, k), runId, now.UtcDateTime, calibration.Fingerprint, items[k][0].Chunk.Index, items[k][^1].Chunk.Index);
            RowBatch.Concat([.. items[k].Select(c => c.Rows)], model.Name).Write(SegmentPath(model.Name, item.Id));
            pending.Add(item);
        }

        var committed = state with
        {
            Files = [.. state.Files, .. files],
            Chunks = chunks,
            Runs = run,
            HasIds = newRows.Ids is not null,
            HasTimestamps = newRows.Timestamps is not null,
            HasPredictions = newRows.Predictions is not null,
            Pending = pending,
        };
        BeforeCommit?.Invoke(model.Name);
        committed.Save(StatePath(model.Name));
        RemoveOrphans(model.Name, committed);
        if (pending.Count > 0)
        {
            handOff!([.. pending.Select(p => p.Id)]);
            tracker.Enter(RunPhase.Settling);

            // Items other workers finished count as soon as their done marker shows; each item is counted once.
            var counted = new HashSet<string>(StringComparer.Ordinal);
            void CountDone()
            {
                var chunksDone = 0;
                foreach (var item in pending)
                {
                    if (!counted.Contains(item.Id) && File.Exists(DonePath(model.Name, item.Id)))
                    {
                        counted.Add(item.Id);
                        chunksDone += item.LastChunk - item.FirstChunk + 1;
                    }
                }

                if (chunksDone > 0)
                {
                    tracker.ChunksWritten(chunksDone);
                }
            }

            WaitForOthers(model.Name, pending, CountDone, cancellationToken);
            foreach (var item in pending)
            {
                // Take whatever no other worker has started; the settle step below waits for the ones they hold.
                CountDone();
                if (!counted.Contains(item.Id) && RunWorkItem(model.Name, item.Id, wait: false, cancellationToken, onChunk: tracker.ChunkWritten) is not null)
                {
                    counted.Add(item.Id);
                }
            }

            SettleLocked(model.Name, cancellationToken);
            CountDone();
        }

        var finalized = changed.Count(c => c.Chunk.Visible && c.Chunk.Final);
        var provisional = changed.Count(c => c.Chunk.Visible && !c.Chunk.Final);
        Logger?.LogInformation(
            "Model {Model}: run {Run} read {Files} files ({Rows} rows); {Final} chunks final, {Provisional} provisional, {Items} work item(s)",
            model.Name, runId, files.Count, newRows.Count, finalized, provisional, items.Count);
        tracker.Finish();
        return new EstimateOutcome(runId, fresh, newRows.Count, finalized, provisional) { WorkItems = items.Count };
    }

    /// <summary>The model's current estimates: reference rows, then analysis chunks in order; each chunk × metric once.</summary>
    public IReadOnlyList<EstimateRecord> ReadEstimates(string model)
    {
        CheckedName(model);
        var records = new List<EstimateRecord>();
        var reference = ReferenceEstimatesPath(model);
        if (File.Exists(reference))
        {
            records.AddRange(EstimateFileReader.Read(reference));
        }

        var analysis = Path.Combine(ModelDirectory(model), "estimates", "analysis");
        if (Directory.Exists(analysis))
        {
            var files = Directory.GetFiles(analysis, "chunk-*.parquet");
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
            {
                records.AddRange(EstimateFileReader.Read(file));
            }
        }

        return records;
    }

    private (CalibrationOutcome Outcome, FittedCbpe Fitted) CalibrateLocked(ModelDefinition model, RunTracker tracker, CancellationToken cancellationToken)
    {
        var directory = ModelDirectory(model.Name);
        SettleLocked(model.Name, cancellationToken);
        SweepLeftovers(model.Name, force: false);
        var fingerprint = CachedFingerprint(model);
        var statePath = StatePath(model.Name);
        var state = ModelState.Load(statePath);
        var fittedPath = Path.Combine(directory, "fitted", fingerprint + ".json");
        if (state.Fingerprint == fingerprint && File.Exists(fittedPath))
        {
            var stored = LoadFitted(model.Name, fingerprint, fittedPath);
            return (new CalibrationOutcome(false, fingerprint, stored.Calibration.Applied), stored);
        }

        SweepLeftovers(model.Name, force: true);

        cancellationToken.ThrowIfCancellationRequested();
        tracker.Enter(RunPhase.Fitting);
        var needsPredictions = model.Options.Metrics.Any(m => m.RequiresPredictions());
        var reference = PredictionFileReader.Read(model.Reference, model.Columns with { Id = null }, requireTargets: true, requirePredictions: needsPredictions);
        FittedCbpe fitted;
        try
        {
            fitted = Cbpe.Fit(reference.Set, model.Options);
        }
        catch (EstimatorDataException e) when (e.File is null)
        {
            throw e.WithFile(model.Reference);
        }

        var now = Time.GetUtcNow();
        AtomicFile.WriteText(fittedPath, fitted.ToJson());
        RememberFitted(model.Name, fingerprint, fitted);
        var runId = RunId(state.Runs + 1, now) + "-calibrate";
        WriteEstimates(EstimateRecord.FromRows(model.Name, fitted.ReferenceRows, now.UtcDateTime, runId), ReferenceEstimatesPath(model.Name));

        // A new reference or new options change thresholds and calibration: re-estimate the stored chunks now, so the
        // store never mixes estimates of two fitted models.
        var committed = state with { Fingerprint = fingerprint };
        if (state.Chunks.Count > 0)
        {
            var empty = RowBatch.Empty(state.HasIds, state.HasTimestamps, state.HasPredictions);
            var (chunks, changed) = Advance(model, state, empty, rebuild: true);
            tracker.TotalChunks += changed.Count;
            tracker.Enter(RunPhase.Estimating);
            WriteChunks(model.Name, fitted, changed, runId, now.UtcDateTime, tracker.ChunkWritten);
            committed = committed with { Chunks = chunks };
        }

        committed.Save(statePath);
        RemoveOrphans(model.Name, committed);
        Logger?.LogInformation("Model {Model}: fitted on {Reference} ({Calibration})", model.Name, model.Reference, fitted.Calibration.Reason);
        return (new CalibrationOutcome(true, fingerprint, fitted.Calibration.Applied), fitted);
    }

    /// <summary>Forms the chunks after adding <paramref name="newRows"/>: which chunks the state keeps and which are (re)written.</summary>
    private (List<ChunkState> Chunks, List<(ChunkState Chunk, RowBatch Rows)> Changed) Advance(ModelDefinition model, ModelState state, RowBatch newRows, bool rebuild)
    {
        var chunking = model.Options.Chunking;
        var incremental = chunking is SizeChunking or PeriodChunking;
        var keep = new List<ChunkState>();
        RowBatch pending = newRows;
        if (incremental && !rebuild)
        {
            keep.AddRange(state.Chunks.Where(c => c.Final));
            var open = state.Chunks.Where(c => !c.Final).ToList();
            var parts = open.Select(c => LoadRows(model.Name, c, state)).Append(newRows).ToList();
            pending = RowBatch.Concat(parts, model.Name).SortedByTimestamp();
            if (keep.Count > 0 && pending.Timestamps is { Length: > 0 } ts && keep[^1].EndDate is DateTime lastEnd)
            {
                if (chunking is PeriodChunking period)
                {
                    // A row for a period that is already closed: re-form every chunk from the stored rows.
                    rebuild = Chunker.PeriodStart(ts[0], period.Period) <= keep[^1].StartDate;
                }
                else if (ts[0] < lastEnd)
                {
                    var late = ts.Count(t => t < lastEnd);
                    Logger?.LogWarning("Model {Model}: {Late} rows are older than the last final chunk's end; they join the open chunk", model.Name, late);
                }
            }
        }

        if (rebuild || !incremental)
        {
            keep.Clear();
            var parts = state.Chunks.Select(c => LoadRows(model.Name, c, state)).Append(newRows).ToList();
            pending = RowBatch.Concat(parts, model.Name).SortedByTimestamp();
        }

        var start = keep.Count == 0 ? 0 : keep[^1].EndIndex + 1;
        var formed = Form(pending, chunking, start, keep.Count, state.Runs + 1);
        return ([.. keep, .. formed.Select(f => f.Chunk)], formed);
    }

    private static List<(ChunkState Chunk, RowBatch Rows)> Form(RowBatch rows, Chunking chunking, long start, int firstIndex, long run)
    {
        var formed = new List<(ChunkState, RowBatch)>();
        if (rows.Count == 0)
        {
            return formed;
        }

        // Size and period rules run incrementally (the stream never ends: the last chunk stays provisional); number
        // and default rules need every row, so the store re-forms them from all rows with each run.
        var incremental = chunking is SizeChunking or PeriodChunking;
        var dropsRemainder = chunking is SizeChunking { Incomplete: IncompleteChunk.Drop };
        foreach (var (chunk, final) in Chunker.Plan(chunking, rows.Count, rows.Timestamps, final: !incremental, start, firstIndex))
        {
            var at = (int)(chunk.StartIndex - start);
            var state = new ChunkState(chunk.Index, chunk.Key, chunk.StartIndex, chunk.EndIndex, chunk.StartDate, chunk.EndDate, final, Visible: final || !dropsRemainder, RowsFileName(chunk.Index, run));
            formed.Add((state, rows.Slice(at, (int)chunk.Rows)));
        }

        return formed;
    }

    private void WriteChunks(string model, FittedCbpe fitted, List<(ChunkState Chunk, RowBatch Rows)> changed, string runId, DateTime now, Action? onChunk = null)
    {
        var labels = KnownLabels(model);
        foreach (var (chunk, rows) in changed)
        {
            rows.Write(RowsPath(model, chunk));
            var estimates = AnalysisEstimatesPath(model, chunk.Index);
            if (!chunk.Visible)
            {
                onChunk?.Invoke();
                continue;
            }

            var set = rows.ToPredictionSet();
            if (labels is not null && rows.Ids is not null)
            {
                // Labels that arrived before this chunk was (re)formed keep their realized values.
                set = set.WithTargets(labels.Match(rows.Ids).Targets);
            }

            var result = fitted.EstimateChunk(set, chunk.ToChunk());
            WriteEstimates(EstimateRecord.FromRows(model, result, now, runId, provisional: !chunk.Final), estimates);
            onChunk?.Invoke();
        }
    }

    private static void WriteEstimates(IReadOnlyList<EstimateRecord> records, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        EstimateFileWriter.Write(records, path);
    }

    private RowBatch LoadRows(string model, ChunkState chunk, ModelState state)
    {
        var rows = RowBatch.Read(RowsPath(model, chunk), state.HasIds, state.HasTimestamps, state.HasPredictions);
        return rows.Count == chunk.Rows
            ? rows
            : throw new EstimatorDataException(FormattableString.Invariant($"the store's rows of chunk {chunk.Key} hold {rows.Count} rows, the state says {chunk.Rows}"), RowsPath(model, chunk));
    }

    private void RemoveOrphans(string model, ModelState state)
    {
        var visible = state.Chunks.Where(c => c.Visible).Select(c => AnalysisEstimatesPath(model, c.Index)).ToHashSet(StringComparer.Ordinal);
        var rows = state.Chunks.Select(c => RowsPath(model, c)).ToHashSet(StringComparer.Ordinal);
        Remove(Path.Combine(ModelDirectory(model), "estimates", "analysis"), visible);
        Remove(Path.Combine(ModelDirectory(model), "rows"), rows);

        static void Remove(string directory, HashSet<string> keep)
        {
            if (!Directory.Exists(directory))
            {
                return;
            }

            foreach (var file in Directory.GetFiles(directory, "chunk-*.parquet"))
            {
                if (!keep.Contains(file))
                {
                    File.Delete(file);
                }
            }
        }
    }

    private ModelLock AcquireLock(string model, CancellationToken cancellationToken)
    {
        if (!IsSafeName(model))
        {
            throw new EstimatorDataException($"model name '{model}' is not safe: use letters, digits, '_', '-' and '.', not '.' or '..'");
        }

        var directory = ModelDirectory(model);
        Directory.CreateDirectory(directory);
        var stream = LockFile(Path.Combine(directory, ".lock"), wait: true, cancellationToken)!;
        try
        {
            // The lock file holds a byte while a run is under way and is emptied when it ends: a byte found here means
            // the last holder died mid-run (killed), so its temporary files are swept at this run.
            if (stream.Length > 0)
            {
                _swept.TryRemove(model, out _);
            }

            stream.WriteByte(1);
            stream.Flush();
            return new ModelLock(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>A held model lock; releasing it marks the run as ended (see <see cref="AcquireLock"/>).</summary>
    private sealed class ModelLock(FileStream stream) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                stream.SetLength(0);
            }
            finally
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>Opens <paramref name="path"/> exclusively; null when another holder has it and <paramref name="wait"/> is false.</summary>
    private FileStream? LockFile(string path, bool wait, CancellationToken cancellationToken)
    {
        var deadline = Time.GetUtcNow() + LockWait;
        while (true)
        {
            try
            {
                // An exclusive handle is an advisory lock on Unix too; the OS drops it when a killed process dies.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (!wait)
            {
                return null;
            }
            catch (IOException) when (Time.GetUtcNow() < deadline)
            {
                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private static string RunId(long sequence, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{sequence:D6}");

    private string ModelDirectory(string model) => Path.Combine(StoreDirectory, model);

    private string StatePath(string model) => Path.Combine(ModelDirectory(model), "state.json");

    private string ReferenceEstimatesPath(string model) => Path.Combine(ModelDirectory(model), "estimates", "reference.parquet");

    private string AnalysisEstimatesPath(string model, int index) =>
        Path.Combine(ModelDirectory(model), "estimates", "analysis", string.Create(CultureInfo.InvariantCulture, $"chunk-{index:D6}.parquet"));

    private string RowsPath(string model, ChunkState chunk) => Path.Combine(ModelDirectory(model), "rows", chunk.RowsFile);

    private static string RowsFileName(int index, long run) => string.Create(CultureInfo.InvariantCulture, $"chunk-{index:D6}-run{run:D6}.parquet");
}
