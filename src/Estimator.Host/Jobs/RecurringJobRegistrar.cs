using Estimator.Host.Configuration;
using Hangfire;
using Hangfire.Storage;

namespace Estimator.Host.Jobs;

/// <summary>
/// At start-up, registers (or updates) the recurring <c>calibrate &lt;model&gt;</c> and <c>estimate &lt;model&gt;</c>
/// jobs of every configured model on its cron, and removes those of models no longer configured (they persist in
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
        }

        using var connection = storage.GetConnection();
        foreach (var job in connection.GetRecurringJobs())
        {
            var ours = job.Id.StartsWith("calibrate ", StringComparison.Ordinal) || job.Id.StartsWith("estimate ", StringComparison.Ordinal);
            if (ours && !wanted.Contains(job.Id))
            {
                manager.RemoveIfExists(job.Id);
                logger.LogInformation("removed recurring job '{Job}': its model is no longer configured", job.Id);
            }
        }
    }
}
