using Estimator.Estimation;
using Estimator.IO;
using Estimator.Metrics;
using Microsoft.Extensions.Logging;

namespace Estimator.Monitoring;

/// <summary>
/// The calibrate run, under the model's lock: fits on the reference unless the fitted model for this reference content
/// and these options is stored, writes the reference estimates, and re-estimates the stored chunks with the new fit so
/// the store never mixes estimates of two fitted models.
/// </summary>
internal sealed class FitRun(StoreContext context, ChunkFiles files, ChunkFormation formation, WorkItems workItems, ModelSummaries summaries)
{
    private StoreLayout Layout => context.Layout;

    /// <summary>Settles pending work items, then fits when needed; returns the fitted model either way.</summary>
    public (CalibrationOutcome Outcome, FittedCbpe Fitted) RunLocked(ModelDefinition model, RunTracker tracker, CancellationToken cancellationToken)
    {
        workItems.Settle(model.Name, cancellationToken);
        context.Fitted.SweepLeftovers(model.Name, force: false);
        var fingerprint = context.Fitted.CachedFingerprint(model);
        var statePath = Layout.StatePath(model.Name);
        var state = context.States.Load(statePath);
        var fittedPath = Layout.FittedPath(model.Name, fingerprint);
        if (state.Fingerprint == fingerprint && File.Exists(fittedPath))
        {
            var stored = context.Fitted.Load(model.Name, fingerprint);
            return (new CalibrationOutcome(false, fingerprint, stored.Calibration.Applied), stored);
        }

        context.Fitted.SweepLeftovers(model.Name, force: true);

        // Every estimate changes with a new fit: the summary's alert state no longer holds (dropped before anything is
        // rewritten, so a run killed midway leaves no stale summary behind).
        summaries.Invalidate(model.Name);
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

        var now = context.Time.GetUtcNow();
        AtomicFile.WriteText(fittedPath, fitted.ToJson());
        context.Fitted.Remember(model.Name, fingerprint, fitted);
        var runId = StoreLayout.RunId(state.Runs + 1, now) + "-calibrate";
        ChunkFiles.WriteEstimates(EstimateRecord.FromRows(model.Name, fitted.ReferenceRows, now.UtcDateTime, runId), Layout.ReferenceEstimatesPath(model.Name));

        // A new reference or new options change thresholds and calibration: re-estimate the stored chunks now, so the
        // store never mixes estimates of two fitted models.
        var committed = state with { Fingerprint = fingerprint };
        if (state.Chunks.Count > 0)
        {
            var empty = RowBatch.Empty(state.HasIds, state.HasTimestamps, state.HasPredictions);
            var (chunks, changed) = formation.Advance(model, state, empty, rebuild: true);
            tracker.TotalChunks += changed.Count;
            tracker.Enter(RunPhase.Estimating);
            files.Write(model.Name, fitted, changed, runId, now.UtcDateTime, tracker.ChunkWritten);
            committed = committed with { Chunks = chunks };
        }

        context.States.Save(statePath, committed);
        files.RemoveOrphans(model.Name, committed);
        context.Logger?.LogInformation("Model {Model}: fitted on {Reference} ({Calibration})", model.Name, model.Reference, fitted.Calibration.Reason);
        return (new CalibrationOutcome(true, fingerprint, fitted.Calibration.Applied), fitted);
    }
}
