using Estimator.Drift;

namespace Estimator.Monitoring;

/// <summary>Reconciliation: labels that arrive later are joined to the stored chunk rows and realized values recorded.</summary>
internal sealed class Reconciler(StoreContext context, ChunkFiles files, FitRun fit, ModelSummaries summaries, AlertOutbox outbox)
{
    /// <summary>Coverage below this share (over at least <see cref="MinimumChunksForWarning"/> complete chunks) raises a warning.</summary>
    public const double CoverageWarning = 0.9;

    /// <summary>Complete chunks needed before coverage and error warnings are raised.</summary>
    public const int MinimumChunksForWarning = 3;

    private StoreLayout Layout => context.Layout;

    /// <summary>
    /// Reads label files that arrived since the last run, joins all labels to the analysis rows by id (rows without a
    /// label stay pending, never dropped), and for every chunk whose labels changed rewrites its estimate file with the
    /// realized values and its ledger file (<c>reconciliation/chunk-NNNNNN.parquet</c>); then writes the model's summary
    /// (<c>reconciliation/summary.json</c>). A repeated id is counted (the first label is kept), never silently used twice.
    /// </summary>
    /// <exception cref="EstimatorDataException">The model has no targets source or id column, or a label file holds bad data; nothing of this run is committed.</exception>
    public ReconcileOutcome Run(ModelDefinition model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Targets is null || model.IdColumn is null)
        {
            throw new EstimatorDataException($"model '{model.Name}' has no targets source and id column to reconcile with");
        }

        using var modelLock = context.Locks.Acquire(model.Name, cancellationToken);
        var fitted = fit.RunLocked(model, new RunTracker(model.Name, null, context.Time), cancellationToken).Fitted;
        var state = context.States.Load(Layout.StatePath(model.Name));
        var reconcilePath = Layout.ReconcileStatePath(model.Name);
        var reconcile = ReconcileState.Load(reconcilePath);
        var labels = files.LoadLabels(model.Name, reconcile);
        var now = context.Time.GetUtcNow();
        var runId = StoreLayout.RunId(reconcile.Runs + 1, now) + "-reconcile";

        var seen = reconcile.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var fresh = new List<LabelFile>();
        long labelRows = 0, duplicates = reconcile.DuplicateIds, conflicts = reconcile.ConflictingDuplicates;
        var yTrue = model.Columns.YTrue ?? "y_true";
        var rejectedPath = Layout.RejectedPath(model.Name);
        var rejectedBefore = RejectedFiles.Load(rejectedPath);
        var labelFiles = model.TargetFiles().ToList();
        var rejected = new List<RejectedFile>();
        foreach (var file in labelFiles)
        {
            var info = new FileInfo(file);
            if (seen.Contains(file) || (now - info.LastWriteTimeUtc < context.FileSettleTime && !model.IsOnlineFile(file)))
            {
                continue;
            }

            if (rejectedBefore.Find(r => r.Path == file) is { } bad && bad.Length == info.Length && bad.LastWriteUtc == info.LastWriteTimeUtc)
            {
                rejected.Add(bad);
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            string[] ids;
            double[] targets;
            try
            {
                var table = PredictionFileReader.ReadTableAsync(file, [new ColumnRequest(model.IdColumn, true), new ColumnRequest(yTrue, true)], cancellationToken).GetAwaiter().GetResult();
                ids = ColumnConverter.ToIds(table.Find(model.IdColumn)!, file);
                targets = Targets(model, state, table.Find(yTrue)!, file);
            }
            catch (EstimatorDataException e)
            {
                // A poison label file is set aside (tried again once it changes), as an analysis file is: the other
                // label files are still joined, and the next run does not fail on it again.
                var message = e.File is null ? e.WithFile(file).Message : e.Message;
                rejected.Add(new RejectedFile(file, info.Length, info.LastWriteTimeUtc, message, now.UtcDateTime));
                context.Logger?.LogWarning("Model {Model}: label file {File} set aside (tried again once it changes): {Error}", model.Name, file, message);
                continue;
            }

            for (var r = 0; r < ids.Length; r++)
            {
                if (labels.Labels.TryGetValue(ids[r], out var existing))
                {
                    duplicates++;
                    if (!existing.Target.Equals(targets[r]))
                    {
                        conflicts++;
                    }

                    continue;
                }

                labels.Labels[ids[r]] = new Label(targets[r], now.UtcDateTime);
            }

            labelRows += ids.Length;
            fresh.Add(new LabelFile(file, info.Length, info.LastWriteTimeUtc, now.UtcDateTime, ids.Length));
        }

        if (duplicates > reconcile.DuplicateIds)
        {
            context.Logger?.LogWarning("Model {Model}: {Duplicates} label rows repeat an id that already has a label; the first label is kept", model.Name, duplicates - reconcile.DuplicateIds);
        }

        var labelsFile = reconcile.LabelsFile;
        if (fresh.Count > 0)
        {
            labelsFile = string.Create(CultureInfo.InvariantCulture, $"labels-run{reconcile.Runs + 1:D6}.parquet");
            labels.Write(Path.Combine(Layout.LabelsDirectory(model.Name), labelsFile));
        }

        var labelledPerChunk = new Dictionary<int, long>();
        var ledger = new List<LedgerRecord>();
        var writes = new List<(ChunkState Chunk, IReadOnlyList<ChunkEstimate> Result, bool Changed)>();
        var updated = 0;
        long matchedIds = 0;
        foreach (var chunk in context.ChunkLog.ReadAll(model.Name, state))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!state.HasIds)
            {
                break;
            }

            var rows = files.LoadRows(model.Name, chunk, state);
            var (targets, matched, latest) = labels.Match(rows.Ids!);
            matchedIds += matched;
            if (matched == 0)
            {
                continue;
            }

            labelledPerChunk[chunk.Index] = matched;
            var result = rows.Estimate(fitted, targets, chunk.ToChunk());
            ledger.AddRange(result.Select(r => ToLedger(model.Name, chunk, r, matched, latest, now.UtcDateTime, runId)));
            var changed = !reconcile.LabelledPerChunk.TryGetValue(chunk.Index, out var before) || before != matched
                || !File.Exists(Layout.LedgerPath(model.Name, chunk.Index));
            writes.Add((chunk, result, changed));
        }

        // A violation is confirmed by a later chunk's labels, so every chunk's marks are known only now; a ledger file whose
        // marks changed is rewritten even when its own labels did not.
        var violations = AssumptionFlags.Find(ledger);
        ledger = [.. ledger.Select(r => r with { AssumptionViolated = AssumptionFlags.Marks(violations, r) })];
        var violatedPerChunk = ledger.Where(r => r.AssumptionViolated == true).GroupBy(r => r.ChunkIndex)
            .ToDictionary(g => g.Key, g => string.Join(',', g.Select(r => r.Metric)));
        var byChunk = ledger.GroupBy(r => r.ChunkIndex).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (chunk, result, changed) in writes)
        {
            var marks = violatedPerChunk.GetValueOrDefault(chunk.Index);
            if (!changed && marks == reconcile.ViolatedPerChunk.GetValueOrDefault(chunk.Index))
            {
                continue;
            }

            if (changed && chunk.Visible)
            {
                // Realized values change the verdicts of flags already evaluated: the summary is rebuilt from the files.
                summaries.BeforeRewrite(model.Name, chunk.Index);
                ChunkFiles.WriteEstimates(EstimateRecord.FromRows(model.Name, result, now.UtcDateTime, runId, provisional: !chunk.Final), Layout.AnalysisEstimatesPath(model.Name, chunk.Index));
            }

            // The chunk's drifting inputs are read only for the ledger files written: they do not change once the chunk is final.
            var drifting = DriftingColumns(model, chunk.Index);
            LedgerRecord.Write([.. byChunk[chunk.Index].Select(r => r with { DriftColumns = drifting })], Layout.LedgerPath(model.Name, chunk.Index));
            updated++;
        }

        foreach (var notification in AssumptionFlags.Notifications(model.Name, violations, ledger, now.UtcDateTime))
        {
            if (outbox.Enqueue(notification))
            {
                context.Logger?.LogWarning("Model {Model}: {Metric} {Rule} {State}: {Reason}", model.Name, notification.Metric, notification.Rule, notification.State, notification.Reason);
            }
        }

        var summary = Summarize(model, now.UtcDateTime, ledger, labels.Labels.Count, duplicates, conflicts, Math.Max(0, labels.Labels.Count - matchedIds));
        summary = summary with
        {
            Warnings = [.. violations.Where(v => v.Active).Select(v => AssumptionFlags.Warning(v, Assumption(model))), .. summary.Warnings],
            AssumptionViolations = violations,
        };
        var earlierWarnings = ReadSummary(model.Name)?.Warnings ?? [];
        AtomicFile.WriteText(Layout.ReconciliationSummaryPath(model.Name), ReconcileState.SerializeSummary(summary));
        var committed = reconcile with
        {
            Files = [.. reconcile.Files, .. fresh],
            LabelsFile = labelsFile,
            Runs = reconcile.Runs + 1,
            DuplicateIds = duplicates,
            ConflictingDuplicates = conflicts,
            LabelledPerChunk = labelledPerChunk,
            ViolatedPerChunk = violatedPerChunk,
        };
        committed.Save(reconcilePath);
        // The analysis files' rejections are kept; the label files' are those of this run.
        var labelSet = labelFiles.ToHashSet(StringComparer.Ordinal);
        var keptRejections = rejectedBefore.Where(r => !labelSet.Contains(r.Path)).Concat(rejected).ToList();
        if (!keptRejections.SequenceEqual(rejectedBefore))
        {
            RejectedFiles.Save(rejectedPath, keptRejections);
        }

        RemoveOldLabelFiles(model.Name, labelsFile);
        // A warning is logged when it first appears, not again on every run that still finds it with new figures (the
        // summary keeps the current text); it is logged again only after it has cleared.
        var earlierKeys = earlierWarnings.Select(WarningKey).ToHashSet(StringComparer.Ordinal);
        foreach (var warning in summary.Warnings.Where(w => !earlierKeys.Contains(WarningKey(w))))
        {
            context.Logger?.LogWarning("Model {Model}: {Warning}", model.Name, warning);
        }

        return new ReconcileOutcome(runId, fresh.Select(f => f.Path).ToList(), labelRows, updated, summary) { Rejected = rejected };
    }

    /// <summary>
    /// A label file's targets as the store keeps them: 0/1 for a binary model; for a multiclass model the index of each
    /// label among the classes sorted ordinally (the stored rows' order), a label not among them being an error; the
    /// actual values of a regression model.
    /// </summary>
    private static double[] Targets(ModelDefinition model, ModelState state, RawColumn column, string file)
    {
        if (model.IsRegression())
        {
            // Actual values: any finite number, parsed as the regression reader parses them.
            var values = ColumnConverter.ToValues(column, file, out _);
            StoredFeatures.CheckLogarithmic(model, values, column.Name, file);
            return values;
        }

        if (model.Columns.ClassScores is not { } mapped)
        {
            return ColumnConverter.ToLabels(column, file, out _);
        }

        var classes = state.Classes ?? [.. mapped.Classes.Order(StringComparer.Ordinal)];
        return MulticlassFileReader.Encode(classes, ColumnConverter.ToClassLabels(column, file, out _), column.Name, file);
    }

    /// <summary>The model's reconciliation ledger: every chunk × metric with labels, in chunk order.</summary>
    public IReadOnlyList<LedgerRecord> ReadLedger(string model)
    {
        var directory = Layout.ReconciliationDirectory(StoreLayout.CheckedName(model));
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var files = Directory.GetFiles(directory, "chunk-*.parquet");
        Array.Sort(files, StringComparer.Ordinal);
        return files.SelectMany(LedgerRecord.Read).ToList();
    }

    /// <summary>The model's last reconciliation summary, or null before the first reconcile run.</summary>
    public ReconciliationSummary? ReadSummary(string model) =>
        ReconcileState.ReadSummary(Layout.ReconciliationSummaryPath(StoreLayout.CheckedName(model)));

    /// <summary>The chunk's alerting drift columns, ranked and comma-separated; null without drift monitoring.</summary>
    private string? DriftingColumns(ModelDefinition model, int index)
    {
        if (model.Inputs.Drift is null)
        {
            return null;
        }

        var evidence = RootCause.Rank(files.ReadDrift(model.Name, [index]), [index], int.MaxValue);
        return string.Join(',', evidence.Where(e => e.AlertingChunks > 0).Select(e => e.Column));
    }

    private static LedgerRecord ToLedger(string model, ChunkState chunk, ChunkEstimate r, long labelled, DateTime? arrived, DateTime now, string runId)
    {
        var estimated = EstimateRecord.Value(r.Estimated);
        var realized = EstimateRecord.Value(r.Realized);
        var lower = EstimateRecord.Value(r.LowerConfidenceBound);
        var upper = EstimateRecord.Value(r.UpperConfidenceBound);
        return new LedgerRecord(
            model,
            chunk.Key,
            chunk.Index,
            chunk.StartDate,
            chunk.EndDate,
            chunk.Rows,
            !chunk.Final,
            r.Metric,
            estimated,
            lower,
            upper,
            realized,
            estimated - realized,
            realized is double v && lower is double lo && upper is double hi ? v >= lo && v <= hi : null,
            r.TargetsMissingRate ?? 1,
            labelled,
            arrived,
            now,
            runId);
    }

    /// <summary>What a warning is about, without its figures: the metric and whether coverage or error.</summary>
    private static string WarningKey(string warning) =>
        warning[..Math.Max(0, warning.IndexOf(':', StringComparison.Ordinal))]
        + (warning.Contains("assumption violated", StringComparison.Ordinal) ? " assumption" : warning.Contains("±3σ band", StringComparison.Ordinal) ? " coverage" : " error");

    private static ReconciliationSummary Summarize(ModelDefinition model, DateTime now, List<LedgerRecord> ledger, long labels, long duplicates, long conflicts, long unmatched)
    {
        var complete = ledger.Where(r => r.TargetsMissingRate == 0 && r.Realized is not null && r.Estimated is not null).ToList();
        var metrics = new List<MetricReconciliation>();
        var warnings = new List<string>();
        foreach (var group in complete.GroupBy(r => r.Metric))
        {
            var rows = group.ToList();
            var errors = rows.Select(r => r.Error!.Value).ToList();
            var mae = errors.Average(Math.Abs);
            var bias = errors.Average();
            var coverage = rows.Count(r => r.InsideBand == true) / (double)rows.Count;
            var halfBand = rows.Average(r => ((r.UpperConfidenceBound ?? 0) - (r.LowerConfidenceBound ?? 0)) / 6);
            metrics.Add(new MetricReconciliation(group.Key, rows.Count, mae, bias, coverage, halfBand));
            if (rows.Count >= MinimumChunksForWarning && coverage < CoverageWarning)
            {
                warnings.Add(FormattableString.Invariant(
                    $"{group.Key}: only {coverage:P0} of {rows.Count} chunks have the realized value inside the ±3σ band (about 99.7 % expected); the estimates no longer track performance — {Assumption(model)}"));
            }
            else if (rows.Count >= MinimumChunksForWarning && mae > 3 * halfBand)
            {
                warnings.Add(FormattableString.Invariant(
                    $"{group.Key}: mean absolute error {mae:0.####} exceeds three sampling errors ({3 * halfBand:0.####}); check for concept drift"));
            }
        }

        var chunksWithLabels = ledger.Select(r => r.ChunkIndex).Distinct().Count();
        var chunksComplete = complete.Select(r => r.ChunkIndex).Distinct().Count();
        return new ReconciliationSummary(model.Name, now, chunksWithLabels, chunksComplete, labels, duplicates, conflicts, unmatched, metrics, warnings);
    }

    /// <summary>What the model's estimator assumes, for the coverage warning.</summary>
    private static string Assumption(ModelDefinition model) => model.IsRegression()
        ? "DLE assumes no concept drift (the error given the inputs and the prediction is as in the reference) and inputs the reference covers"
        : "CBPE assumes no concept drift and calibrated scores";

    private void RemoveOldLabelFiles(string model, string? current)
    {
        var directory = Layout.LabelsDirectory(model);
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in Directory.GetFiles(directory, "labels-run*.parquet"))
        {
            if (Path.GetFileName(file) != current)
            {
                File.Delete(file);
            }
        }
    }
}
