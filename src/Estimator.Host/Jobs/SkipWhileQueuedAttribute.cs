using Hangfire.Client;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace Estimator.Host.Jobs;

/// <summary>
/// A recurring job whose previous run is still waiting in the queue or running is not enqueued again. Hangfire enqueues
/// a recurring job at every tick of its cron whether or not the last one ran, so when a tick's work (1,000 models × 2
/// jobs every 5 s) takes longer than the tick, the queue grows without bound and a new file waits behind an ever longer
/// backlog of runs that have nothing to do. A run still queued will see whatever the skipped one would have (each run
/// picks up every file that arrived), so nothing is lost; a run already going picks up the rest at the next tick.
/// </summary>
/// <remarks>
/// The id of the last enqueued run is kept per recurring job in the storage (a hash), and its current state is looked
/// up when the next run would be created, so a run that was deleted, expired or lost with its storage never blocks the
/// recurring job.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class SkipWhileQueuedAttribute : JobFilterAttribute, IClientFilter, IApplyStateFilter
{
    private const string Field = "job";

    /// <summary>The storage key holding the last enqueued run of a recurring job.</summary>
    /// <param name="recurringJobId">The recurring job's id.</param>
    public static string Key(string recurringJobId) => "estimator:last-run:" + recurringJobId;

    /// <inheritdoc />
    public void OnCreating(CreatingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var recurringJobId = context.GetJobParameter<string>("RecurringJobId");
        if (string.IsNullOrEmpty(recurringJobId))
        {
            return;
        }

        var entries = context.Connection.GetAllEntriesFromHash(Key(recurringJobId));
        if (entries is null || !entries.TryGetValue(Field, out var last) || string.IsNullOrEmpty(last))
        {
            return;
        }

        var state = context.Connection.GetStateData(last)?.Name;
        context.Canceled = state == EnqueuedState.StateName || state == ProcessingState.StateName;
    }

    /// <inheritdoc />
    public void OnCreated(CreatedContext context)
    {
    }

    /// <inheritdoc />
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transaction);
        if (context.NewState is not EnqueuedState)
        {
            return;
        }

        var recurringJobId = context.GetJobParameter<string>("RecurringJobId", allowStale: true);
        if (!string.IsNullOrEmpty(recurringJobId))
        {
            transaction.SetRangeInHash(Key(recurringJobId), [new KeyValuePair<string, string>(Field, context.BackgroundJob.Id)]);
        }
    }

    /// <inheritdoc />
    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
