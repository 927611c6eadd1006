using Estimator.Host.Configuration;
using Estimator.Host.Notifications;
using Hangfire;
using Hangfire.Storage;

namespace Estimator.Host.Jobs;

/// <summary>
/// At start-up, registers (or updates) the recurring <c>calibrate &lt;model&gt;</c> and <c>estimate &lt;model&gt;</c>
/// jobs of every configured model on its cron, <c>reconcile &lt;model&gt;</c> for models with a targets source, and the
/// <c>notify</c> job on the delivery schedule; removes those of models no longer configured (they persist in
/// PostgreSQL storage).
/// </summary>
internal sealed class RecurringJobRegistrar(
    EstimatorConfig config,
    IRecurringJobManager manager,
    JobStorage storage,
    ILogger<RecurringJobRegistrar> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Register(config, manager, storage, logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static void Register(EstimatorConfig config, IRecurringJobManager manager, JobStorage storage, ILogger logger)
    {
        var options = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in config.Models)
        {
            var name = model.Name;
            var cron = model.Schedule.Expression;
            manager.AddOrUpdate<ModelJobs>(ModelJobs.CalibrateJobId(name), jobs => jobs.Calibrate(name, CancellationToken.None), cron, options);
            manager.AddOrUpdate<ModelJobs>(ModelJobs.EstimateJobId(name), jobs => jobs.Estimate(name, CancellationToken.None), cron, options);
            wanted.Add(ModelJobs.CalibrateJobId(name));
            wanted.Add(ModelJobs.EstimateJobId(name));
            logger.LogInformation("model {Model}: calibrate and estimate jobs scheduled '{Cron}' (UTC)", name, cron);
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
                logger.LogInformation("removed recurring job '{Job}': its model is no longer configured", job.Id);
            }
        }
    }
}
