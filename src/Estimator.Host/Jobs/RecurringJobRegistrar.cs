using Estimator.Host.Notifications;
using Hangfire;
using Hangfire.Storage;

namespace Estimator.Host.Jobs;

/// <summary>
/// At start-up, registers (or updates) the model scheduler (<c>models</c>, every second: it queues each model's
/// <c>calibrate</c> and <c>estimate</c> jobs on the model's cron, see <see cref="ModelTickJob"/>), the recurring
/// <c>reconcile &lt;model&gt;</c> job of models with a targets source, and the <c>notify</c> job on the delivery schedule;
/// removes per-model recurring jobs no longer wanted (they persist in PostgreSQL storage): those of models no longer
/// configured, and the recurring <c>calibrate</c>/<c>estimate</c> jobs of earlier versions.
/// </summary>
internal sealed class RecurringJobRegistrar(
    EstimatorConfig config,
    IRecurringJobManager manager,
    JobStorage storage,
    ILogger<RecurringJobRegistrar> logger) : IHostedService
{
    /// <summary>Attempts at registering before start-up fails (the storage may be restarting when a worker starts).</summary>
    internal const int Attempts = 8;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Registration is idempotent, so a storage that drops connections (a database restart) is simply retried with
        // backoff rather than taking the process down; a storage that stays unreachable still fails start-up.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Register(config, manager, storage, logger);
                return;
            }
            catch (Exception e) when (attempt < Attempts && e is not OperationCanceledException and not OutOfMemoryException)
            {
                var delay = TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1));
                logger.LogWarning("registering the recurring jobs failed ({Message}); retry {Attempt} of {Attempts} in {Delay}", e.Message, attempt, Attempts - 1, delay);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static void Register(EstimatorConfig config, IRecurringJobManager manager, JobStorage storage, ILogger logger)
    {
        var options = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        manager.AddOrUpdate<ModelTickJob>(ModelTickJob.JobId, job => job.Tick(CancellationToken.None), ModelTickJob.Schedule, options);
        foreach (var model in config.Models)
        {
            var name = model.Name;
            var cron = model.Schedule.Expression;
            logger.LogInformation("model {Model}: calibrate and estimate jobs scheduled '{Cron}' (UTC), when its inputs changed", name, cron);
            if (model.ReconcileSchedule is { } reconcile)
            {
                manager.AddOrUpdate<ModelJobs>(ModelJobs.ReconcileJobId(name), jobs => jobs.Reconcile(name, CancellationToken.None), reconcile.Expression, options);
                wanted.Add(ModelJobs.ReconcileJobId(name));
                logger.LogInformation("model {Model}: reconcile job scheduled '{Cron}' (UTC)", name, reconcile.Expression);
            }
        }

        manager.AddOrUpdate<NotifyJob>(NotifyJob.JobId, job => job.DeliverAsync(CancellationToken.None), config.Delivery.Schedule.Expression, options);
        logger.LogInformation("notify job scheduled '{Cron}' (UTC)", config.Delivery.Schedule.Expression);

        using var connection = storage.GetConnection();
        foreach (var job in connection.GetRecurringJobs())
        {
            var ours = job.Id.StartsWith("calibrate ", StringComparison.Ordinal) || job.Id.StartsWith("estimate ", StringComparison.Ordinal)
                || job.Id.StartsWith("reconcile ", StringComparison.Ordinal);
            if (ours && !wanted.Contains(job.Id))
            {
                manager.RemoveIfExists(job.Id);
                logger.LogInformation("removed recurring job '{Job}': its model is no longer configured, or the model scheduler queues it", job.Id);
            }
        }
    }
}
