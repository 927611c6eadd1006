using Estimator.Metrics;

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
        var (calibration, fitted, inputs, inputFingerprint) = fit.RunLocked(model, tracker, cancellationToken);
        var state = context.States.Load(Layout.StatePath(model.Name));
        var now = context.Time.GetUtcNow();
        var rejectedPath = Layout.RejectedPath(model.Name);
        var rejectedBefore = RejectedFiles.Load(rejectedPath);
        var (fresh, stillRejected, unsettled) = NewFiles(model, state, rejectedBefore, now);
        if (fresh.Count == 0)
        {
            if (stillRejected.Count != rejectedBefore.Count)
            {
                // Rejected files that were removed are forgotten.
                RejectedFiles.Save(rejectedPath, stillRejected);
            }

            tracker.Finish();
            return new EstimateOutcome("", [], 0, 0, 0) { Waiting = unsettled + stillRejected.Count };
        }

        tracker.TotalFiles = fresh.Count;
        tracker.TotalBytes = fresh.Sum(f => new FileInfo(f).Length);
        tracker.Enter(RunPhase.Reading);
        var (newRows, read, rejected) = Read(model, state, fresh, now.UtcDateTime, tracker, cancellationToken);
        if (read.Count == 0)
        {
            // Every new file was unusable: record them, so they are not read again until they change.
            RejectedFiles.Save(rejectedPath, [.. stillRejected, .. rejected]);
            tracker.Finish();
            return new EstimateOutcome("", [], 0, 0, 0) { Rejected = rejected, Waiting = unsettled + stillRejected.Count + rejected.Count };
        }

        var run = state.Runs + 1;
        var runId = StoreLayout.RunId(run, now);
        var (kept, after, changed) = formation.Advance(model, state, newRows, rebuild: false);
        var items = handOff is null ? [changed] : WorkItems.Partition(changed, context.WorkItemRows);
        summaries.BeforeRewrite(model.Name, changed);
        tracker.TotalChunks += changed.Count;
        tracker.Enter(RunPhase.Estimating);
        context.Orphans.BeginWrites(model.Name);
        files.Write(model.Name, fitted, inputs, items[0], runId, now.UtcDateTime, tracker.ChunkWritten);
        var pending = new List<WorkItemState>(items.Count - 1);
        for (var k = 1; k < items.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var item = new WorkItemState(WorkItems.WorkItemId(run, k), runId, now.UtcDateTime, calibration.Fingerprint, items[k][0].Chunk.Index, items[k][^1].Chunk.Index)
            {
                InputFingerprint = inputFingerprint,
            };
            RowBatch.Concat([.. items[k].Select(c => c.Rows)], model.Name).Write(Layout.SegmentPath(model.Name, item.Id));
            pending.Add(item);
        }

        // The logs are appended first; the state that counts their new entries is the commit.
        var logged = context.Consumed.Advance(model.Name, context.ChunkLog.Advance(model.Name, state, kept, after), read);
        var committed = logged with
        {
            Runs = run,
            HasIds = newRows.Ids is not null,
            HasTimestamps = newRows.Timestamps is not null,
            HasPredictions = newRows.Predictions is not null,
            Classes = newRows.Classes,
            Features = newRows.FeatureShapes,
            Inputs = newRows.InputShapes,
            Pending = pending,
        };
        context.BeforeCommit?.Invoke(model.Name);
        context.States.Save(Layout.StatePath(model.Name), committed);
        if (rejected.Count > 0 || stillRejected.Count != rejectedBefore.Count)
        {
            // After the state: a crash in between only means a rejected file is tried once more.
            RejectedFiles.Save(rejectedPath, [.. stillRejected, .. rejected]);
        }

        Online.OnlineInboxPruning.Prune(model, read.Select(f => f.Path));
        context.Orphans.Remove(model.Name, state, committed, kept, changed.Select(c => c.Chunk));
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
        return new EstimateOutcome(runId, [.. read.Select(f => f.Path)], newRows.Count, finalized, provisional) { WorkItems = items.Count, Rejected = rejected, Waiting = unsettled + stillRejected.Count + rejected.Count };
    }

    /// <summary>
    /// Analysis files not processed before and not written to for the settle time, in processing order; and the files
    /// rejected before that are still there unchanged (a changed one is tried again, so it is among the new files).
    /// </summary>
    private (List<string> Fresh, List<RejectedFile> StillRejected, int Unsettled) NewFiles(ModelDefinition model, ModelState state, List<RejectedFile> rejectedBefore, DateTimeOffset now)
    {
        var processed = context.Consumed.Open(model.Name, state);
        var rejected = rejectedBefore.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var fresh = new List<string>();
        var stillRejected = new List<RejectedFile>();
        var unsettled = 0;
        var analysis = model.AnalysisFiles();
        foreach (var file in analysis)
        {
            var info = new FileInfo(file);
            if (processed.Find(file) is { } seen)
            {
                if (seen.Length != info.Length || seen.LastWriteUtc != info.LastWriteTimeUtc)
                {
                    context.Logger?.LogWarning("Model {Model}: analysis file {File} changed after it was processed; files are taken as immutable once read, so the change is ignored", model.Name, file);
                }

                continue;
            }

            if (rejected.TryGetValue(file, out var bad) && bad.Length == info.Length && bad.LastWriteUtc == info.LastWriteTimeUtc)
            {
                stillRejected.Add(bad);
                continue;
            }

            if (now - info.LastWriteTimeUtc >= context.FileSettleTime || model.IsOnlineFile(file))
            {
                fresh.Add(file);
            }
            else
            {
                unsettled++;
            }
        }

        // Label files set aside by reconciliation stay set aside while they are there; reconciliation retries them.
        var labels = model.TargetFiles().ToHashSet(StringComparer.Ordinal);
        stillRejected.AddRange(rejectedBefore.Where(r => labels.Contains(r.Path) && !analysis.Contains(r.Path, StringComparer.Ordinal)));
        return (fresh, stillRejected, unsettled);
    }

    /// <summary>
    /// Reads the new files; a file that cannot be used (unreadable, missing or bad columns, other columns than the
    /// stream's) is set aside with its error and the others are read around it.
    /// </summary>
    private (RowBatch Rows, List<ProcessedFile> Read, List<RejectedFile> Rejected) Read(ModelDefinition model, ModelState state, List<string> fresh, DateTime now, RunTracker tracker, CancellationToken cancellationToken)
    {
        var needsPredictions = model.Options.Metrics.Any(m => m.RequiresPredictions());
        var columns = model.Columns with { Id = model.IdColumn, YTrue = null };
        var batches = new List<RowBatch>(fresh.Count);
        var read = new List<ProcessedFile>(fresh.Count);
        var rejected = new List<RejectedFile>();
        (bool Ids, bool Timestamps, bool Predictions)? shape = state.ChunkCount > 0 ? (state.HasIds, state.HasTimestamps, state.HasPredictions) : null;
        IReadOnlyList<StoredFeature>? features = null;
        IReadOnlyList<StoredFeature>? inputs = null;
        foreach (var file in fresh)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(file);
            try
            {
                RowBatch batch;
                if (model.IsRegression())
                {
                    batch = RowBatch.FromRegressionData(RegressionFileReader.Read(file, columns, model.Features, requireTargets: false));
                    StoredFeatures.CheckLogarithmic(model, batch.Predictions!, columns.YPred!);
                }
                else if (model.IsMulticlass())
                {
                    var data = MulticlassFileReader.Read(file, columns, requireTargets: false, requirePredictions: needsPredictions);
                    fit.WarnScoreSum(model.Name, data);
                    batch = RowBatch.FromMulticlassData(data);
                }
                else
                {
                    batch = RowBatch.FromPredictionData(PredictionFileReader.Read(file, columns, requireTargets: false, requirePredictions: needsPredictions));
                }

                batch = WithInputs(model, batch, file);
                var has = (batch.Ids is not null, batch.Timestamps is not null, batch.Predictions is not null);
                if ((shape is { } expected && expected != has) || (state.ChunkCount > 0 && !RowBatch.SameClasses(batch.Classes, state.Classes)))
                {
                    throw new EstimatorDataException($"model '{model.Name}': this file carries other columns (id, timestamp, prediction, classes) than the files already processed", file);
                }

                // A regression file's inputs must have the kinds the stream's rows are stored with (a numeric column read
                // as text in one file cannot join the others' rows).
                var kinds = features ?? (state.ChunkCount > 0 ? state.Features : null);
                if (kinds is not null && !StoredFeatures.Same(batch.FeatureShapes, kinds))
                {
                    throw new EstimatorDataException($"model '{model.Name}': this file's input columns are {StoredFeatures.Describe(batch.FeatureShapes)}, the files already processed have {StoredFeatures.Describe(kinds)}", file);
                }

                var inputKinds = inputs ?? (state.ChunkCount > 0 ? state.Inputs : null);
                if (inputKinds is not null && !StoredFeatures.Same(batch.InputShapes, inputKinds))
                {
                    throw new EstimatorDataException($"model '{model.Name}': this file's drift and quality columns are {StoredFeatures.Describe(batch.InputShapes)}, the files already processed have {StoredFeatures.Describe(inputKinds)}", file);
                }

                shape = has;
                features = batch.FeatureShapes;
                inputs = batch.InputShapes;
                batches.Add(batch);
                read.Add(new ProcessedFile(file, info.Length, info.LastWriteTimeUtc, batch.Count));
                tracker.FileRead(info.Length, batch.Count);
            }
            catch (EstimatorDataException e)
            {
                var message = e.File is null ? e.WithFile(file).Message : e.Message;
                rejected.Add(new RejectedFile(file, info.Length, info.LastWriteTimeUtc, message, now));
                context.Logger?.LogWarning("Model {Model}: analysis file {File} set aside (tried again once it changes): {Error}", model.Name, file, message);
            }
        }

        return (batches.Count == 0 ? RowBatch.Empty(false, false, false) : RowBatch.Concat(batches, model.Name), read, rejected);
    }

    /// <summary>
    /// The file's rows with the drift and quality columns the model stores (read from the same file; kinds inferred as
    /// <c>estimator drift</c> infers them), or as they are when it stores none.
    /// </summary>
    private static RowBatch WithInputs(ModelDefinition model, RowBatch batch, string file)
    {
        if (model.StoredInputs() is not { } columns)
        {
            return batch;
        }

        var data = FeatureFileReader.Read(file, columns);
        return data.Count == batch.Count
            ? batch.WithInputs(data.Features)
            : throw new EstimatorDataException(FormattableString.Invariant($"model '{model.Name}': {data.Count} rows of input columns, {batch.Count} rows of predictions"), file);
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
