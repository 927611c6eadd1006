using System.ComponentModel;
using System.Diagnostics;
using Estimator.Host.Metrics;
using Estimator.Host.Storage;
using Hangfire;

namespace Estimator.Host.Jobs;

/// <summary>
/// The Hangfire jobs per model: calibrate, estimate (followed by alert evaluation) and, for models with a targets
/// source, reconcile (also followed by alert evaluation, so realized values confirm or retract flags). Arguments are only the model's name; the definition is looked up in the
/// configuration. A model's runs are serialised by a distributed lock (so a calibrate and an estimate of the same
/// model never overlap, also across hosts sharing PostgreSQL storage); a failure fails only that model's job, with
/// a message naming the model, and Hangfire retries it. A run is not enqueued while the previous run of the same
/// recurring job is still queued or running (<see cref="SkipWhileQueuedAttribute"/>).
/// </summary>
/// <param name="config">The configuration.</param>
/// <param name="store">The store.</param>
/// <param name="storage">Hangfire's storage (for the per-model lock).</param>
/// <param name="logger">The logger.</param>
/// <param name="metrics">Where job durations and rows processed are counted (for <c>/metrics</c>); none when null.</param>
/// <param name="jobs">Queues the work items of a split estimate run; a run is never split when null.</param>
/// <param name="time">The clock of the progress reports (default: the system's).</param>
/// <param name="stamps">Where a complete run records its input stamp for the model scheduler (<see cref="ModelTickJob"/>); none when null.</param>
[SkipWhileQueued]
[CurrentJob]
public sealed class ModelJobs(EstimatorConfig config, IModelStore store, JobStorage storage, ILogger<ModelJobs> logger, HostMetrics? metrics = null, IBackgroundJobClient? jobs = null, TimeProvider? time = null, RunStamps? stamps = null)
{
    /// <summary>How long a job waits for another run of the same model to finish.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The recurring job id of a model's calibrate job: <c>calibrate &lt;model&gt;</c>.</summary>
    /// <param name="model">The model's name.</param>
    public static string CalibrateJobId(string model) => "calibrate " + model;

    /// <summary>The recurring job id of a model's estimate job: <c>estimate &lt;model&gt;</c>.</summary>
    /// <param name="model">The model's name.</param>
    public static string EstimateJobId(string model) => "estimate " + model;

    /// <summary>The recurring job id of a model's reconcile job: <c>reconcile &lt;model&gt;</c>.</summary>
    /// <param name="model">The model's name.</param>
    public static string ReconcileJobId(string model) => "reconcile " + model;

    /// <summary>Fits the model on its reference when it is new or its content changed.</summary>
    /// <param name="model">The model's name.</param>
    /// <param name="cancellationToken">Set by Hangfire on shutdown.</param>
    [DisplayName("calibrate {0}")]
    [AutomaticRetry(Attempts = 3)]
    public void Calibrate(string model, CancellationToken cancellationToken)
    {
        var progress = Progress("calibrate " + model);
        var regression = false;
        var outcome = Run(
            model,
            "calibrate",
            definition =>
            {
                regression = definition.IsRegression();
                var before = store.Stamp(definition);
                var fitted = store.Calibrate(new CalibrateRequest(definition) { Progress = progress }, cancellationToken);
                if (stamps is not null && before is not null)
                {
                    // The fit read the reference as stamped (or a later one): until it changes, calibrating again finds nothing.
                    stamps.Record(CalibrateJobId(model), stamps.CalibrateLine(before));
                }

                return fitted;
            },
            cancellationToken,
            progress);
        // A scheduled check that finds the reference unchanged is routine: Debug, so an idle host stays quiet.
        logger.Log(
            outcome.Refitted ? LogLevel.Information : LogLevel.Debug,
            "calibrate {Model}: {What} (reference {Hash}, {Fit})",
            model,
            outcome.Refitted ? "fitted" : "already fitted",
            outcome.Fingerprint.Length > 12 ? outcome.Fingerprint[..12] : outcome.Fingerprint,
            regression ? "direct loss estimation" : $"calibrated scores: {outcome.CalibrationApplied}");
    }

    /// <summary>
    /// Estimates the analysis files that arrived since the last run (calibrating first if needed), then evaluates the
    /// model's alerts, queueing each state change once in the outbox for the <c>notify</c> job.
    /// </summary>
    /// <param name="model">The model's name.</param>
    /// <param name="cancellationToken">Set by Hangfire on shutdown.</param>
    [DisplayName("estimate {0}")]
    [AutomaticRetry(Attempts = 3)]
    public void Estimate(string model, CancellationToken cancellationToken)
    {
        var progress = Progress("estimate " + model);
        var (outcome, alerts) = Run(model, "estimate", definition =>
        {
            // A large backlog is split into work items queued for any worker; this job takes its share and waits for the rest.
            Action<IReadOnlyList<string>>? handOff = jobs is null ? null : items => HandOff(model, items);
            var before = store.Stamp(definition);
            var estimated = store.Estimate(new EstimateRequest(definition) { HandOff = handOff, Progress = progress }, cancellationToken);
            var evaluated = store.EvaluateAlerts(definition, cancellationToken);
            if (stamps is not null && before is { Settled: true } && estimated.Waiting == 0 && store.Stamp(definition) is { } after)
            {
                // Complete: every file the folder held when stamped was read, none waits. Until the inputs or the state
                // change from what they are now, another run would find nothing new.
                stamps.Record(EstimateJobId(model), stamps.EstimateLine(before with { State = after.State }));
            }

            return (estimated, evaluated);
        }, cancellationToken, progress);
        metrics?.RowsProcessed("estimate", model, outcome.RowsProcessed);
        if (outcome.FilesProcessed.Count == 0 && outcome.RowsProcessed == 0 && outcome.WorkItems == 0 && alerts.Enqueued.Count == 0)
        {
            // Nothing new: no run was recorded (so there is no run id to name), and an idle host stays quiet.
            logger.LogDebug("estimate {Model}: nothing new", model);
            return;
        }

        logger.LogInformation(
            "estimate {Model}: run {RunId}, {Files} new file(s), {Rows} row(s), {Final} chunk(s) final, {Provisional} provisional, {Items} work item(s); {Queued} notification(s) queued",
            model,
            outcome.RunId,
            outcome.FilesProcessed.Count,
            outcome.RowsProcessed,
            outcome.ChunksFinalized,
            outcome.ChunksProvisional,
            outcome.WorkItems,
            alerts.Enqueued.Count);
    }

    /// <summary>
    /// Runs one work item of a split estimate run (queued by that run's <c>estimate</c> job): the rows and estimates of
    /// its chunks. It takes no model lock, so several workers share one model's backlog; an item another worker already
    /// holds or finished is skipped, and the planning job settles the run when every item is done.
    /// </summary>
    /// <param name="model">The model's name.</param>
    /// <param name="item">The work item's id.</param>
    /// <param name="cancellationToken">Set by Hangfire on shutdown; the item stays pending for another worker or the model's next run.</param>
    [DisplayName("estimate {0} {1}")]
    [AutomaticRetry(Attempts = 3)]
    public void EstimateWorkItem(string model, string item, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var succeeded = false;
        var progress = Progress($"estimate {model} {item}");
        try
        {
            var outcome = store.EstimateWorkItem(new WorkItemRequest(model, item) { Progress = progress }, cancellationToken);
            succeeded = true;
            if (outcome is null)
            {
                logger.LogInformation("estimate {Model} {Item}: nothing to do (done or taken by another worker)", model, item);
                return;
            }

            metrics?.RowsProcessed("estimate", model, outcome.Rows);
            logger.LogInformation("estimate {Model} {Item}: {Chunks} chunk(s), {Rows} row(s) estimated", model, item, outcome.Chunks, outcome.Rows);
        }
        catch (EstimatorDataException e)
        {
            throw new ModelJobException($"estimate {model} {item}: bad input: {e.Message}", e);
        }
        finally
        {
            progress.Flush();
            metrics?.JobFinished("estimate_item", model, Stopwatch.GetElapsedTime(started).TotalSeconds, succeeded);
        }
    }

    private JobProgressReporter Progress(string job) => JobProgressReporter.ForCurrentJob(job, logger, time ?? TimeProvider.System, config.ProgressLogInterval);

    private void HandOff(string model, IReadOnlyList<string> items)
    {
        foreach (var item in items)
        {
            jobs!.Enqueue<ModelJobs>(j => j.EstimateWorkItem(model, item, CancellationToken.None));
        }
    }

    /// <summary>
    /// Joins the labels that arrived since the last run to the analysis rows and records realized values, the ledger and
    /// the summary; then evaluates the alerts again, so realized values confirm or retract the decay flags.
    /// </summary>
    /// <param name="model">The model's name.</param>
    /// <param name="cancellationToken">Set by Hangfire on shutdown.</param>
    [DisplayName("reconcile {0}")]
    [AutomaticRetry(Attempts = 3)]
    public void Reconcile(string model, CancellationToken cancellationToken)
    {
        var (outcome, alerts) = Run(model, "reconcile", definition =>
        {
            var reconciled = store.Reconcile(definition, cancellationToken);
            return (reconciled, store.EvaluateAlerts(definition, cancellationToken));
        }, cancellationToken);
        metrics?.RowsProcessed("reconcile", model, outcome.LabelsRead);
        logger.Log(
            outcome.FilesProcessed.Count == 0 && alerts.Enqueued.Count == 0 ? LogLevel.Debug : LogLevel.Information,
            "reconcile {Model}: {Files} new label file(s), {Labels} label(s), {Chunks} chunk(s) updated, {Complete} chunk(s) fully labelled; {Queued} notification(s) queued",
            model,
            outcome.FilesProcessed.Count,
            outcome.LabelsRead,
            outcome.ChunksUpdated,
            outcome.Summary.ChunksComplete,
            alerts.Enqueued.Count);
    }

    private IDisposable AcquireModelLock(string model, CancellationToken cancellationToken)
    {
        // PostgreSQL: an advisory lock that dies with its session (a killed worker never blocks the model), and whose
        // wait ends when the job is cancelled (a stopping worker hands the job back instead of waiting); otherwise
        // Hangfire's lock (single process, in-memory storage).
        if (storage is PostgresStorage postgres)
        {
            return postgres.AcquireModelLock(model, LockTimeout, cancellationToken);
        }

        var connection = storage.GetConnection();
        try
        {
            return new HangfireLock(connection, connection.AcquireDistributedLock("estimator:model:" + model, LockTimeout));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private sealed class HangfireLock(IDisposable connection, IDisposable held) : IDisposable
    {
        public void Dispose()
        {
            held.Dispose();
            connection.Dispose();
        }
    }

    private T Run<T>(string model, string job, Func<ModelDefinition, T> action, CancellationToken cancellationToken, JobProgressReporter? progress = null)
    {
        var definition = config.FindModel(model)?.Definition
            ?? throw new ModelJobException($"{job} {model}: the model is not in the configuration ({config.ConfigFile}); remove this job or add the model");
        var started = Stopwatch.GetTimestamp();
        var succeeded = false;
        try
        {
            using var modelLock = AcquireModelLock(model, cancellationToken);
            var result = action(definition);
            succeeded = true;
            return result;
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (EstimatorDataException e)
        {
            throw new ModelJobException($"{job} {model}: bad input: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelJobException($"{job} {model}: file error: {e.Message}", e);
        }
        catch (Exception e) when (e is not ModelJobException)
        {
            throw new ModelJobException(string.Create(CultureInfo.InvariantCulture, $"{job} {model} failed: {e.GetType().Name}: {e.Message}"), e);
        }
        finally
        {
            progress?.Flush();
            metrics?.JobFinished(job, model, Stopwatch.GetElapsedTime(started).TotalSeconds, succeeded);
        }
    }
}

/// <summary>A model's job failed; the message names the job and the model and says why.</summary>
public sealed class ModelJobException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelJobException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public ModelJobException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
