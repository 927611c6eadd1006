using System.Globalization;
using System.Text.RegularExpressions;
using Estimator.IO;
using Microsoft.Extensions.Logging;

namespace Estimator.Monitoring;

/// <summary>What <see cref="ModelRunner.EstimateWorkItem(string, string, CancellationToken)"/> did.</summary>
/// <param name="Item">The work item's id.</param>
/// <param name="Chunks">Chunks whose rows and estimates it wrote.</param>
/// <param name="Rows">Rows in those chunks.</param>
public sealed record WorkItemOutcome(string Item, int Chunks, long Rows);

/// <summary>
/// Work items: a large estimate run split so that several workers share one model's backlog. The planning run (under the
/// model's lock) commits the chunk list with the items pending; each item's rows wait in <c>pending/&lt;item&gt;.parquet</c>.
/// An item is run by whoever holds its own lock file (<c>pending/&lt;item&gt;.lock</c>), which the OS drops when a holder
/// dies; it writes only the files its chunks own (rows files named by run, the chunks' estimate files, each written
/// atomically) and marks itself done with <c>pending/&lt;item&gt;.done</c>. Any later run of the model (under the model's
/// lock) first settles the pending items, running any that are not done, so no planning ever overlaps an item of an
/// earlier plan and no chunk's files have two writers.
/// </summary>
public sealed partial class ModelRunner
{
    /// <summary>
    /// Runs one work item handed off by <see cref="Estimate(ModelDefinition, Action{IReadOnlyList{string}}?, CancellationToken)"/>:
    /// writes its chunks' rows and estimates. Does not take the model's lock, so items of one run proceed in parallel.
    /// </summary>
    /// <param name="model">The model's name.</param>
    /// <param name="item">The item's id as handed off (<c>runNNNNNN-itemNNN</c>).</param>
    /// <param name="cancellationToken">Cancels the item; it stays pending and is run again by another worker or the model's next run.</param>
    /// <returns>What the item did; null when it was already done, another worker is running it, or its run was settled.</returns>
    /// <exception cref="EstimatorDataException">The model name or item id is malformed, or the item's stored rows are unreadable.</exception>
    public WorkItemOutcome? EstimateWorkItem(string model, string item, CancellationToken cancellationToken = default) =>
        EstimateWorkItem(model, item, null, cancellationToken);

    /// <summary>
    /// As <see cref="EstimateWorkItem(string, string, CancellationToken)"/>, reporting progress (estimating, then done)
    /// after each chunk written; an item with nothing to do reports nothing.
    /// </summary>
    /// <param name="model">The model's name.</param>
    /// <param name="item">The item's id as handed off (<c>runNNNNNN-itemNNN</c>).</param>
    /// <param name="progress">Receives progress on the calling thread, with <see cref="RunProgress.Item"/> set.</param>
    /// <param name="cancellationToken">Cancels the item; it stays pending and is run again by another worker or the model's next run.</param>
    /// <returns>What the item did; null when it was already done, another worker is running it, or its run was settled.</returns>
    /// <exception cref="EstimatorDataException">The model name or item id is malformed, or the item's stored rows are unreadable.</exception>
    public WorkItemOutcome? EstimateWorkItem(string model, string item, IProgress<RunProgress>? progress, CancellationToken cancellationToken = default)
    {
        var name = CheckedName(model);
        var tracker = new RunTracker(name, progress, Time, item);
        var outcome = RunWorkItem(name, item, wait: false, cancellationToken, tracker.ChunkWritten, (chunks, rows) =>
        {
            tracker.RowsRead = rows;
            tracker.TotalChunks = chunks;
            tracker.Enter(RunPhase.Estimating);
        });
        tracker.Finish();
        return outcome;
    }

    [GeneratedRegex("^run[0-9]{6,}-item[0-9]{3,}$", RegexOptions.CultureInvariant)]
    private static partial Regex WorkItemIdPattern();

    private static string WorkItemId(long run, int item) => string.Create(CultureInfo.InvariantCulture, $"run{run:D6}-item{item:D3}");

    /// <summary>Splits a run's changed chunks into contiguous groups of at least <paramref name="rowsPerItem"/> rows (the last may hold fewer).</summary>
    private static List<List<(ChunkState Chunk, RowBatch Rows)>> Partition(List<(ChunkState Chunk, RowBatch Rows)> changed, int rowsPerItem)
    {
        var items = new List<List<(ChunkState, RowBatch)>> { new() };
        long rows = 0;
        foreach (var chunk in changed)
        {
            if (rowsPerItem > 0 && rows >= rowsPerItem)
            {
                items.Add([]);
                rows = 0;
            }

            items[^1].Add(chunk);
            rows += chunk.Rows.Count;
        }

        return items;
    }

    /// <summary>Gives other workers <see cref="WorkItemGrace"/> to take the handed-off items (returns early once every item is done).</summary>
    private void WaitForOthers(string model, List<WorkItemState> pending, Action poll, CancellationToken cancellationToken)
    {
        var deadline = Time.GetUtcNow() + WorkItemGrace;
        while (Time.GetUtcNow() < deadline && !pending.TrueForAll(p => File.Exists(DonePath(model, p.Id))))
        {
            poll();
            cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private string PendingDirectory(string model) => Path.Combine(ModelDirectory(model), "pending");

    private string SegmentPath(string model, string item) => Path.Combine(PendingDirectory(model), item + ".parquet");

    private string DonePath(string model, string item) => Path.Combine(PendingDirectory(model), item + ".done");

    /// <summary>Runs the item when nobody else holds or finished it; <paramref name="onStart"/> gets its chunk and row counts once its rows are read, <paramref name="onChunk"/> is called after each chunk written.</summary>
    private WorkItemOutcome? RunWorkItem(string model, string item, bool wait, CancellationToken cancellationToken, Action? onChunk = null, Action<int, long>? onStart = null)
    {
        if (!WorkItemIdPattern().IsMatch(item))
        {
            throw new EstimatorDataException($"model '{model}': '{item}' is not a work item id (runNNNNNN-itemNNN)");
        }

        var segment = SegmentPath(model, item);
        var done = DonePath(model, item);
        if (!File.Exists(segment) || File.Exists(done))
        {
            return null;
        }

        using var held = LockFile(Path.Combine(PendingDirectory(model), item + ".lock"), wait, cancellationToken);
        if (held is null || !File.Exists(segment) || File.Exists(done))
        {
            return null;
        }

        var state = ModelState.Load(StatePath(model));
        var work = state.Pending.FirstOrDefault(p => p.Id == item);
        if (work is null)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var fittedPath = Path.Combine(ModelDirectory(model), "fitted", work.Fingerprint + ".json");
        var fitted = LoadFitted(model, work.Fingerprint, fittedPath);
        var rows = RowBatch.Read(segment, state.HasIds, state.HasTimestamps, state.HasPredictions);
        var chunks = new List<(ChunkState Chunk, RowBatch Rows)>(work.LastChunk - work.FirstChunk + 1);
        var at = 0;
        foreach (var chunk in state.Chunks)
        {
            if (chunk.Index < work.FirstChunk || chunk.Index > work.LastChunk)
            {
                continue;
            }

            if (at + chunk.Rows > rows.Count)
            {
                break;
            }

            chunks.Add((chunk, rows.Slice(at, (int)chunk.Rows)));
            at += (int)chunk.Rows;
        }

        if (at != rows.Count || chunks.Count != work.LastChunk - work.FirstChunk + 1)
        {
            throw new EstimatorDataException(FormattableString.Invariant($"model '{model}': work item {item} holds {rows.Count} rows, its chunks {work.FirstChunk}..{work.LastChunk} need {at} or more"), segment);
        }

        onStart?.Invoke(chunks.Count, rows.Count);
        WriteChunks(model, fitted, chunks, work.RunId, work.EstimatedAt, onChunk);
        AtomicFile.WriteText(done, work.RunId);
        Logger?.LogInformation("Model {Model}: work item {Item} wrote chunks {First}..{Last} ({Rows} rows)", model, item, work.FirstChunk, work.LastChunk, rows.Count);
        return new WorkItemOutcome(item, chunks.Count, rows.Count);
    }

    /// <summary>
    /// Under the model's lock: runs the pending work items that are not done (waiting for a worker that holds one), then
    /// commits the state with none pending and removes the items' files, and any left by a run that never committed.
    /// </summary>
    private void SettleLocked(string model, CancellationToken cancellationToken)
    {
        var directory = PendingDirectory(model);
        if (!Directory.Exists(directory))
        {
            return;
        }

        var statePath = StatePath(model);
        var state = ModelState.Load(statePath);
        foreach (var item in state.Pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!File.Exists(DonePath(model, item.Id)) && RunWorkItem(model, item.Id, wait: true, cancellationToken) is null && !File.Exists(DonePath(model, item.Id)))
            {
                throw new EstimatorDataException($"model '{model}': pending work item {item.Id} has lost its rows; remove the model's store directory to rebuild it", SegmentPath(model, item.Id));
            }
        }

        if (state.Pending.Count > 0)
        {
            state = state with { Pending = [] };
            state.Save(statePath);

            // A worker killed mid-item leaves temporary files; with every item settled none is being written.
            SweepLeftovers(model, force: true);
        }

        // Every item of the committed state is settled, so nothing here is in use: files of settled items, of a planning
        // run that died before it committed, and lock files of late no-op attempts.
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            File.Delete(file);
        }
    }
}
