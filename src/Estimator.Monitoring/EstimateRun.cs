using Estimator.IO;
using Estimator.Metrics;
using Microsoft.Extensions.Logging;

namespace Estimator.Monitoring;

/// <summary>
/// The estimate run, under the model's lock: picks up the analysis files that arrived (and settled) since the last run,
/// forms the chunks, writes their rows and estimates, and commits the model's state last. A large run is split into
/// work items (<see cref="WorkItems"/>) handed to other workers; the run settles them before it returns.
/// </summary>
internal sealed class EstimateRun(StoreContext context, ChunkFiles files, ChunkFormation formation, WorkItems workItems, FitRun fit, ModelSummaries summaries)
{
    private StoreLayout Layout => context.Layout;

    public EstimateOutcome Run(ModelDefinition model, Action<IReadOnlyList<string>>? handOff, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var _ = context.Locks.Acquire(model.Name, cancellationToken);
        var tracker = new RunTracker(model.Name, progress, context.Time);
        var (calibration, fitted) = fit.RunLocked(model, tracker, cancellationToken);
        var state = context.States.Load(Layout.StatePath(model.Name));
        var now = context.Time.GetUtcNow();
        var fresh = NewFiles(model, state, now);
        if (fresh.Count == 0)
        {
            tracker.Finish();
            return new EstimateOutcome("", [], 0, 0, 0);
        }

        tracker.TotalFiles = fresh.Count;
        tracker.TotalBytes = fresh.Sum(f => new FileInfo(f).Length);
        tracker.Enter(RunPhase.Reading);
        var (newRows, read) = Read(model, fresh, tracker, cancellationToken);
        if (state.Chunks.Count > 0 && (newRows.Ids is null != !state.HasIds || newRows.Timestamps is null != !state.HasTimestamps || newRows.Predictions is null != !state.HasPredictions
            || !RowBatch.SameClasses(newRows.Classes, state.Classes)))
        {
            throw new EstimatorDataException($"model '{model.Name}': new analysis files carry other columns (id, timestamp, prediction) than the files already processed", fresh[0]);
        }

        var run = state.Runs + 1;
        var runId = StoreLayout.RunId(run, now);
        var (chunks, changed) = formation.Advance(model, state, newRows, rebuild: false);
        var items = handOff is null ? [changed] : WorkItems.Partition(changed, context.WorkItemRows);
        summaries.BeforeRewrite(model.Name, changed);
        tracker.TotalChunks += changed.Count;
        tracker.Enter(RunPhase.Estimating);
        files.Write(model.Name, fitted, items[0], runId, now.UtcDateTime, tracker.ChunkWritten);
        var pending = new List<WorkItemState>(items.Count - 1);
        for (var k = 1; k < items.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var item = new WorkItemState(WorkItems.WorkItemId(run, k), runId, now.UtcDateTime, calibration.Fingerprint, items[k][0].Chunk.Index, items[k][^1].Chunk.Index);
            RowBatch.Concat([.. items[k].Select(c => c.Rows)], model.Name).Write(Layout.SegmentPath(model.Name, item.Id));
            pending.Add(item);
        }

        var committed = state with
        {
            Files = [.. state.Files, .. read],
            Chunks = chunks,
            Runs = run,
            HasIds = newRows.Ids is not null,
            HasTimestamps = newRows.Timestamps is not null,
            HasPredictions = newRows.Predictions is not null,
            Classes = newRows.Classes,
            Pending = pending,
        };
        context.BeforeCommit?.Invoke(model.Name);
        context.States.Save(Layout.StatePath(model.Name), committed);
        files.RemoveOrphans(model.Name, committed);
        if (pending.Count > 0)
        {
            handOff!([.. pending.Select(p => p.Id)]);
            Settle(model.Name, pending, tracker, cancellationToken);
        }

        var finalized = changed.Count(c => c.Chunk.Visible && c.Chunk.Final);
        var provisional = changed.Count(c => c.Chunk.Visible && !c.Chunk.Final);
        context.Logger?.LogInformation(
            "Model {Model}: run {Run} read {Files} files ({Rows} rows); {Final} chunks final, {Provisional} provisional, {Items} work item(s)",
            model.Name, runId, read.Count, newRows.Count, finalized, provisional, items.Count);
        tracker.Finish();
        return new EstimateOutcome(runId, fresh, newRows.Count, finalized, provisional) { WorkItems = items.Count };
    }

    /// <summary>Analysis files not processed before and not written to for the settle time, in processing order.</summary>
    private List<string> NewFiles(ModelDefinition model, ModelState state, DateTimeOffset now)
    {
        var processed = state.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var fresh = new List<string>();
        foreach (var file in FileSource.List(model.Analysis))
        {
            var info = new FileInfo(file);
            if (processed.TryGetValue(file, out var seen))
            {
                if (seen.Length != info.Length || seen.LastWriteUtc != info.LastWriteTimeUtc)
                {
                    context.Logger?.LogWarning("Model {Model}: analysis file {File} changed after it was processed; files are taken as immutable once read, so the change is ignored", model.Name, file);
                }

                continue;
            }

            if (now - info.LastWriteTimeUtc >= context.FileSettleTime)
            {
                fresh.Add(file);
            }
        }

        return fresh;
    }

    private (RowBatch Rows, List<ProcessedFile> Read) Read(ModelDefinition model, List<string> fresh, RunTracker tracker, CancellationToken cancellationToken)
    {
        var needsPredictions = model.Options.Metrics.Any(m => m.RequiresPredictions());
        var columns = model.Columns with { Id = model.IdColumn, YTrue = null };
        var batches = new List<RowBatch>(fresh.Count);
        var read = new List<ProcessedFile>(fresh.Count);
        foreach (var file in fresh)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(file);
            RowBatch rows;
            if (model.IsMulticlass())
            {
                var data = MulticlassFileReader.Read(file, columns, requireTargets: false, requirePredictions: needsPredictions);
                fit.WarnScoreSum(model.Name, data);
                rows = RowBatch.FromMulticlassData(data);
            }
            else
            {
                rows = RowBatch.FromPredictionData(PredictionFileReader.Read(file, columns, requireTargets: false, requirePredictions: needsPredictions));
            }

            batches.Add(rows);
            read.Add(new ProcessedFile(file, info.Length, info.LastWriteTimeUtc, rows.Count));
            tracker.FileRead(info.Length, rows.Count);
        }

        return (RowBatch.Concat(batches, model.Name), read);
    }

    /// <summary>Lets other workers take the handed-off items, runs whichever nobody took, waits for the rest and settles.</summary>
    private void Settle(string model, List<WorkItemState> pending, RunTracker tracker, CancellationToken cancellationToken)
    {
        tracker.Enter(RunPhase.Settling);

        // Items other workers finished count as soon as their done marker shows; each item is counted once.
        var counted = new HashSet<string>(StringComparer.Ordinal);
        void CountDone()
        {
            var chunksDone = 0;
            foreach (var item in pending)
            {
                if (!counted.Contains(item.Id) && File.Exists(Layout.DonePath(model, item.Id)))
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

        workItems.WaitForOthers(model, pending, CountDone, cancellationToken);
        foreach (var item in pending)
        {
            // Take whatever no other worker has started; the settle step below waits for the ones they hold.
            CountDone();
            if (!counted.Contains(item.Id) && workItems.Run(model, item.Id, wait: false, cancellationToken, onChunk: tracker.ChunkWritten) is not null)
            {
                counted.Add(item.Id);
            }
        }

        workItems.Settle(model, cancellationToken);
        CountDone();
    }
}
