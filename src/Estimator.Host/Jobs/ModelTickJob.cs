using System.ComponentModel;
using System.Diagnostics;
using Estimator.Host.Metrics;
using Hangfire;

namespace Estimator.Host.Jobs;

/// <summary>
/// The model scheduler: one recurring job (<c>models</c>, every second) that finds the models whose schedule fell due
/// since its last run and queues their <c>calibrate</c> and <c>estimate</c> jobs, only when the model's inputs changed
/// since its last complete run (<see cref="RunStamps"/>: reference, analysis folder, online inbox and committed state,
/// as file stamps); the online path also queues a model's estimate job itself when it closes a chunk (<see cref="ModelJobQueue"/>). Per-model recurring jobs cost Hangfire a job creation, a queue round trip and a run per model and tick
/// whether or not a file arrived; with thousands of models that was most of an idle host's work. A model whose stamp
/// cannot tell (see <see cref="Monitoring.InputStamp"/>) is queued at every due time, as before. A model's job is not
/// queued again while its previous run is still queued or running.
/// </summary>
/// <param name="config">The configuration.</param>
/// <param name="store">The store (for the stamps).</param>
/// <param name="stamps">The recorded stamps.</param>
/// <param name="storage">Hangfire's storage.</param>
/// <param name="jobs">Queues the models' jobs.</param>
/// <param name="time">The clock.</param>
/// <param name="metrics">Job counters.</param>
/// <param name="logger">The logger.</param>
[SkipWhileQueued]
public sealed class ModelTickJob(EstimatorConfig config, IModelStore store, RunStamps stamps, JobStorage storage, IBackgroundJobClient jobs, TimeProvider time, HostMetrics metrics, ILogger<ModelTickJob> logger)
{
    /// <summary>The recurring job's id.</summary>
    public const string JobId = "models";

    /// <summary>Its schedule: every second, so a seconds-field model schedule fires on time.</summary>
    public const string Schedule = "* * * * * *";

    /// <summary>Queues the jobs of the models that fell due and whose inputs changed.</summary>
    /// <param name="cancellationToken">Set by Hangfire on shutdown.</param>
    [DisplayName("models")]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public void Tick(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var succeeded = false;
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            using var connection = storage.GetConnection();
            var last = RunStamps.LastTick(connection);
            // Read at the first due model: most ticks find none due, and the hash holds two lines per model.
            Dictionary<string, string>? recorded = null;
            int due = 0, queued = 0;
            foreach (var model in config.Models)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // The first run on a storage takes every model as due, so a new host looks at every model at once.
                if (last is DateTime after && !(model.Schedule.NextAfter(after) <= now))
                {
                    continue;
                }

                due++;
                var name = model.Name;
                var stamp = store.Stamp(model.Definition);
                recorded ??= RunStamps.All(connection);
                if (stamp is null || recorded.GetValueOrDefault(ModelJobs.CalibrateJobId(name)) != stamps.CalibrateLine(stamp))
                {
                    queued += ModelJobQueue.Enqueue(connection, jobs, ModelJobs.CalibrateJobId(name), j => j.Calibrate(name, CancellationToken.None));
                }

                if (stamp is null || recorded.GetValueOrDefault(ModelJobs.EstimateJobId(name)) != stamps.EstimateLine(stamp))
                {
                    queued += ModelJobQueue.Enqueue(connection, jobs, ModelJobs.EstimateJobId(name), j => j.Estimate(name, CancellationToken.None));
                }
            }

            RunStamps.SetLastTick(connection, now);
            logger.Log(queued > 0 ? LogLevel.Information : LogLevel.Debug, "models: {Due} due, {Queued} job(s) queued", due, queued);
            succeeded = true;
        }
        finally
        {
            metrics.JobFinished(JobId, "", Stopwatch.GetElapsedTime(started).TotalSeconds, succeeded);
        }
    }
}
