using Estimator.Estimation.Multiclass;
using Estimator.Estimation.Shift;
using Estimator.Metrics;

namespace Estimator.Monitoring;

/// <summary>
/// The calibrate run, under the model's lock: fits on the reference unless the fitted model for this reference content
/// and these options is stored, writes the reference estimates, and re-estimates the stored chunks with the new fit so
/// the store never mixes estimates of two fitted models.
/// </summary>
internal sealed class FitRun(StoreContext context, ChunkFiles files, ChunkFormation formation, WorkItems workItems, ModelSummaries summaries, InputFit inputFit)
{
    private StoreLayout Layout => context.Layout;

    /// <summary>
    /// Settles pending work items, then fits when needed (the performance estimator, and the drift and quality
    /// calculators each on its own fingerprint); returns the fitted models either way.
    /// </summary>
    public FitResult RunLocked(ModelDefinition model, RunTracker tracker, CancellationToken cancellationToken)
    {
        workItems.Settle(model.Name, cancellationToken);
        context.Fitted.SweepLeftovers(model.Name, force: false);
        var fingerprint = context.Fitted.CachedFingerprint(model);
        var statePath = Layout.StatePath(model.Name);
        var state = context.States.Load(statePath);
        var fittedPath = Layout.FittedPath(model.Name, fingerprint);
        var (inputs, inputFingerprint, _) = inputFit.Prepare(model, state);
        if (state.Fingerprint == fingerprint && File.Exists(fittedPath))
        {
            var stored = context.Fitted.Load(model.Name, fingerprint);
            if (state.InputFingerprint != inputFingerprint)
            {
                inputFit.Rewrite(model, state, inputs, inputFingerprint, tracker, cancellationToken);
            }

            return new FitResult(new CalibrationOutcome(false, fingerprint, CalibrationApplied(stored)), stored, inputs, inputFingerprint);
        }

        context.Fitted.SweepLeftovers(model.Name, force: true);

        // Every estimate changes with a new fit: the summary's alert state no longer holds (dropped before anything is
        // rewritten, so a run killed midway leaves no stale summary behind).
        summaries.Invalidate(model.Name);
        cancellationToken.ThrowIfCancellationRequested();
        tracker.Enter(RunPhase.Fitting);
        CheckClasses(model, state);
        var fitted = Fit(model);

        var now = context.Time.GetUtcNow();
        AtomicFile.WriteText(fittedPath, fitted.ToJson());
        context.Fitted.Remember(model.Name, fingerprint, fitted);
        var runId = StoreLayout.RunId(state.Runs + 1, now) + "-calibrate";
        ChunkFiles.WriteEstimates(EstimateRecord.FromRows(model.Name, fitted.ReferenceRows, now.UtcDateTime, runId), Layout.ReferenceEstimatesPath(model.Name));
        if (inputs is not null)
        {
            inputFit.WriteReference(model.Name, inputs);
        }

        // A new reference or new options change thresholds and calibration: re-estimate the stored chunks now, so the
        // store never mixes estimates of two fitted models.
        var committed = state with { Fingerprint = fingerprint, InputFingerprint = inputFingerprint };
        if (state.ChunkCount > 0)
        {
            var empty = RowBatch.Empty(state.HasIds, state.HasTimestamps, state.HasPredictions, state.Classes, state.Features, state.Inputs);
            var (kept, after, changed) = formation.Advance(model, state, empty, rebuild: true);
            tracker.TotalChunks += changed.Count;
            tracker.Enter(RunPhase.Estimating);
            context.Orphans.BeginWrites(model.Name);
            files.Write(model.Name, fitted, inputs, changed, runId, now.UtcDateTime, tracker.ChunkWritten);
            committed = context.ChunkLog.Advance(model.Name, committed, kept, after);
        }

        context.States.Save(statePath, committed);
        context.Orphans.RemoveAll(model.Name, committed);
        context.Logger?.LogInformation("Model {Model}: fitted on {Reference} ({Calibration})", model.Name, model.Reference, CalibrationReason(fitted));
        return new FitResult(new CalibrationOutcome(true, fingerprint, CalibrationApplied(fitted)), fitted, inputs, inputFingerprint);
    }

    /// <summary>Whether scores are calibrated: for a multiclass model, whether any class's are.</summary>
    private static bool CalibrationApplied(IFittedCalculator fitted) => fitted switch
    {
        FittedCbpe cbpe => cbpe.Calibration.Applied,
        FittedShiftAwareCbpe shift => shift.Cbpe.Calibration.Applied,
        FittedMulticlassCbpe multiclass => multiclass.Calibration.Any(c => c.Applied),
        _ => false,
    };

    private static string CalibrationReason(IFittedCalculator fitted) => fitted switch
    {
        FittedCbpe cbpe => cbpe.Calibration.Reason,
        FittedShiftAwareCbpe shift => $"{shift.Options.Estimator.Name()} estimator; {shift.Cbpe.Calibration.Reason}",
        FittedMulticlassCbpe multiclass => string.Join("; ", multiclass.Classes.Select((c, k) => $"{c}: {multiclass.Calibration[k].Reason}")),
        FittedDle dle => FormattableString.Invariant($"direct loss estimation of {string.Join(", ", dle.Options.Metrics.Select(m => m.Name()))} from {dle.Options.Features.Count} input column(s)"),
        _ => "",
    };

    /// <summary>
    /// Checks the model's classes (none for a binary model) against the classes of the rows already stored: the
    /// stored rows, predictions and labels index the classes they were stored with, so a change cannot be re-estimated.
    /// A regression model's stored rows must hold its input columns, and a classifier's rows none.
    /// </summary>
    private static void CheckClasses(ModelDefinition model, ModelState state)
    {
        if (state.ChunkCount > 0 && model.IsRegression() != state.Features is not null)
        {
            throw new EstimatorDataException(
                $"model '{model.Name}': it is now a {(model.IsRegression() ? "regression model" : "classifier")}, the store's rows are a {(state.Features is null ? "classifier" : "regression model")}'s; remove the model's store directory to rebuild it");
        }

        if (state.Features is { } stored && !model.Features.SequenceEqual(stored.Select(f => f.Name), StringComparer.Ordinal))
        {
            throw new EstimatorDataException(
                $"model '{model.Name}': its features are now {string.Join(", ", model.Features)}, the store's rows hold {StoredFeatures.Describe(stored)}; remove the model's store directory to rebuild it with the new features");
        }

        var classes = model.Columns.ClassScores?.Classes.Order(StringComparer.Ordinal).ToArray();
        if (state.ChunkCount > 0 && !RowBatch.SameClasses(classes, state.Classes))
        {
            throw new EstimatorDataException(
                $"model '{model.Name}': its classes are now {RowBatch.Describe(classes)}, the store's rows hold {RowBatch.Describe(state.Classes)}; remove the model's store directory to rebuild it with the new classes");
        }
    }

    /// <summary>
    /// Fits binary CBPE, or multiclass CBPE when the model maps a score column per class, or direct loss estimation for
    /// a regression model (its error models are trained here once and kept in the fitted file, not per estimate run).
    /// </summary>
    private IFittedCalculator Fit(ModelDefinition model)
    {
        var needsPredictions = model.Options.Metrics.Any(m => m.RequiresPredictions());
        try
        {
            if (model.IsRegression())
            {
                var reference = RegressionFileReader.Read(model.Reference, model.Columns with { Id = null }, model.Features, requireTargets: true);
                return new DleCalculator(model.ToDleOptions()).FitDle(reference.Data.SortedByTimestamp(), ComputeOptions.Default);
            }

            if (!model.IsMulticlass())
            {
                // A shift-aware estimator reads it as `estimator estimate --estimator` does: outputs, then the features of the same file.
                var reference = PredictionFileReader.Read(model.Reference, model.Columns with { Id = null }, requireTargets: true, requirePredictions: needsPredictions);
                return model.IsShiftAware()
                    ? new ShiftAwareCbpeCalculator(model.ToShiftOptions()).Fit(reference.Set.WithFeatures(model.Reference, model.Features), ComputeOptions.Default)
                    : Cbpe.Fit(reference.Set, model.Options);
            }

            var data = MulticlassFileReader.Read(model.Reference, model.Columns with { Id = null }, requireTargets: true, requirePredictions: needsPredictions);
            WarnScoreSum(model.Name, data);
            return new MulticlassCbpeCalculator(model.ToMulticlassOptions()).Fit(data.Data);
        }
        catch (EstimatorDataException e) when (e.File is null)
        {
            throw e.WithFile(model.Reference);
        }
    }

    /// <summary>Scores that do not sum to 1 are used as they are (NannyML does not renormalise raw scores), with a warning.</summary>
    internal void WarnScoreSum(string model, MulticlassPredictionData data)
    {
        if (data.RowsScoreSumOff > 0)
        {
            context.Logger?.LogWarning(
                "Model {Model}: {Rows} rows of {File} have class scores that do not sum to 1; they are used as they are, but the realized roc_auc and the calibration assume probabilities",
                model, data.RowsScoreSumOff, data.Source);
        }
    }
}

/// <summary>What a calibrate step hands the run that follows it.</summary>
/// <param name="Outcome">What it did.</param>
/// <param name="Fitted">The performance estimator.</param>
/// <param name="Inputs">The drift and quality calculators; null when the model measures none.</param>
/// <param name="InputFingerprint">Their fingerprint; null when the model measures none.</param>
internal sealed record FitResult(CalibrationOutcome Outcome, IFittedCalculator Fitted, FittedInputs? Inputs, string? InputFingerprint);
