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

        context.Canceled = IsQueued(context.Connection, recurringJobId);
    }

    /// <summary>Whether the last run enqueued under <paramref name="id"/> is still queued or running.</summary>
    /// <param name="connection">A storage connection.</param>
    /// <param name="id">The recurring job's id (or the id the model scheduler enqueues a model's job under).</param>
    internal static bool IsQueued(IStorageConnection connection, string id)
    {
        var entries = connection.GetAllEntriesFromHash(Key(id));
        if (entries is null || !entries.TryGetValue(Field, out var last) || string.IsNullOrEmpty(last))
        {
            return false;
        }

        var state = connection.GetStateData(last)?.Name;
        return state == EnqueuedState.StateName || state == ProcessingState.StateName;
    }

    /// <summary>Remembers <paramref name="jobId"/> as the last run enqueued under <paramref name="id"/>.</summary>
    /// <param name="connection">A storage connection.</param>
    /// <param name="id">The id the job was enqueued under.</param>
    /// <param name="jobId">The background job's id.</param>
    internal static void Remember(IStorageConnection connection, string id, string jobId)
    {
        using var transaction = connection.CreateWriteTransaction();
        transaction.SetRangeInHash(Key(id), [new KeyValuePair<string, string>(Field, jobId)]);
        transaction.Commit();
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
