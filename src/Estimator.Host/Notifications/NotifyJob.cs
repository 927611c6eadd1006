using System.ComponentModel;
using System.Diagnostics;
using Estimator.Host.Metrics;
using Hangfire;

namespace Estimator.Host.Notifications;

/// <summary>
/// The recurring <c>notify</c> job: one delivery pass over every model's outbox (remediation actions, then notifications). Never runs twice at once (a
/// distributed lock, also across hosts sharing PostgreSQL storage); not retried by Hangfire, since the next run retries
/// whatever is still pending.
/// </summary>
/// <param name="dispatcher">The dispatcher.</param>
/// <param name="metrics">Job counters.</param>
/// <param name="logger">The logger.</param>
public sealed class NotifyJob(NotificationDispatcher dispatcher, HostMetrics metrics, ILogger<NotifyJob> logger)
{
    /// <summary>The recurring job's id.</summary>
    public const string JobId = "notify";

    /// <summary>Delivers the pending notifications.</summary>
    /// <param name="cancellationToken">Set by Hangfire on shutdown.</param>
    [DisplayName("notify")]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task DeliverAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var succeeded = false;
        try
        {
            var outcome = await dispatcher.DeliverAsync(cancellationToken).ConfigureAwait(false);
            if (outcome.Delivered + outcome.Failed + outcome.ActionsSent + outcome.ActionsFailed > 0)
            {
                logger.LogInformation(
                    "notify: {Delivered} delivered, {Failed} failed, {Pending} still pending; remediation: {ActionsSent} sent, {ActionsFailed} failed",
                    outcome.Delivered, outcome.Failed, outcome.Pending, outcome.ActionsSent, outcome.ActionsFailed);
            }

            succeeded = true;
        }
        finally
        {
            metrics.JobFinished("notify", "", Stopwatch.GetElapsedTime(started).TotalSeconds, succeeded);
        }
    }
}
