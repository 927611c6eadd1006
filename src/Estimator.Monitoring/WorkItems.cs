using System.Text.RegularExpressions;

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
/// dies; it writes only the files its chunks own (rows files named by run, the chunks' estimate and drift files, each written
/// atomically) and marks itself done with <c>pending/&lt;item&gt;.done</c>. Any later run of the model (under the model's
/// lock) first settles the pending items, running any that are not done, so no planning ever overlaps an item of an
/// earlier plan and no chunk's files have two writers.
/// </summary>
internal sealed partial class WorkItems(StoreContext context, ChunkFiles files)
{
    private StoreLayout Layout => context.Layout;

    [GeneratedRegex("^run[0-9]{6,}-item[0-9]{3,}$", RegexOptions.CultureInvariant)]
    private static partial Regex WorkItemIdPattern();

    public static string WorkItemId(long run, int item) => string.Create(CultureInfo.InvariantCulture, $"run{run:D6}-item{item:D3}");

    /// <summary>Splits a run's changed chunks into contiguous groups of at least <paramref name="rowsPerItem"/> rows (the last may hold fewer).</summary>
    public static List<List<(ChunkState Chunk, RowBatch Rows)>> Partition(List<(ChunkState Chunk, RowBatch Rows)> changed, int rowsPerItem)
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

    /// <summary>Gives other workers <see cref="StoreContext.WorkItemGrace"/> to take the handed-off items (returns early once every item is done).</summary>
    public void WaitForOthers(string model, List<WorkItemState> pending, Action poll, CancellationToken cancellationToken)
    {
        var deadline = context.Time.GetUtcNow() + context.WorkItemGrace;
        while (context.Time.GetUtcNow() < deadline && !pending.TrueForAll(p => File.Exists(Layout.DonePath(model, p.Id))))
        {
            poll();
            cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Runs the item when nobody else holds or finished it; <paramref name="onStart"/> gets its chunk and row counts once its rows are read, <paramref name="onChunk"/> is called after each chunk written.</summary>
    public WorkItemOutcome? Run(string model, string item, bool wait, CancellationToken cancellationToken, Action? onChunk = null, Action<int, long>? onStart = null)
    {
        if (!WorkItemIdPattern().IsMatch(item))
        {
            throw new EstimatorDataException($"model '{model}': '{item}' is not a work item id (runNNNNNN-itemNNN)");
        }

        var segment = Layout.SegmentPath(model, item);
        var done = Layout.DonePath(model, item);
        if (!File.Exists(segment) || File.Exists(done))
        {
            return null;
        }

        using var held = context.Locks.Open(Layout.ItemLockPath(model, item), wait, cancellationToken);
        if (held is null || !File.Exists(segment) || File.Exists(done))
        {
            return null;
        }

        var state = context.States.Load(Layout.StatePath(model));
        var work = state.Pending.FirstOrDefault(p => p.Id == item);
        if (work is null)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var fitted = context.Fitted.Load(model, work.Fingerprint);
        var inputs = work.InputFingerprint is null ? null : context.Fitted.LoadInputs(model, work.InputFingerprint);
        var rows = RowBatch.Read(segment, state.HasIds, state.HasTimestamps, state.HasPredictions, state.Classes, state.Features, state.Inputs);
        var chunks = new List<(ChunkState Chunk, RowBatch Rows)>(work.LastChunk - work.FirstChunk + 1);
        var at = 0;
        foreach (var chunk in context.ChunkLog.ReadAll(model, state))
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
        files.Write(model, fitted, inputs, chunks, work.RunId, work.EstimatedAt, onChunk);
        AtomicFile.WriteText(done, work.RunId);
        context.Logger?.LogInformation("Model {Model}: work item {Item} wrote chunks {First}..{Last} ({Rows} rows)", model, item, work.FirstChunk, work.LastChunk, rows.Count);
        return new WorkItemOutcome(item, chunks.Count, rows.Count);
    }

    /// <summary>
    /// Under the model's lock: runs the pending work items that are not done (waiting for a worker that holds one), then
    /// commits the state with none pending and removes the items' files, and any left by a run that never committed.
    /// </summary>
    public void Settle(string model, CancellationToken cancellationToken)
    {
        var directory = Layout.PendingDirectory(model);
        if (!Directory.Exists(directory))
        {
            return;
        }

        var statePath = Layout.StatePath(model);
        var state = context.States.Load(statePath);
        foreach (var item in state.Pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!File.Exists(Layout.DonePath(model, item.Id)) && Run(model, item.Id, wait: true, cancellationToken) is null && !File.Exists(Layout.DonePath(model, item.Id)))
            {
                throw new EstimatorDataException($"model '{model}': pending work item {item.Id} has lost its rows; remove the model's store directory to rebuild it", Layout.SegmentPath(model, item.Id));
            }
        }

        if (state.Pending.Count > 0)
        {
            state = state with { Pending = [] };
            context.States.Save(statePath, state);

            // A worker killed mid-item leaves temporary files; with every item settled none is being written.
            context.Fitted.SweepLeftovers(model, force: true);
        }

        // Every item of the committed state is settled, so nothing here is in use: files of settled items, of a planning
        // run that died before it committed, and lock files of late no-op attempts.
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            File.Delete(file);
        }
    }
}
