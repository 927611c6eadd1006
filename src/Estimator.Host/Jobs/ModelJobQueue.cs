using System.Linq.Expressions;
using Hangfire;
using Hangfire.Storage;

namespace Estimator.Host.Jobs;

/// <summary>
/// Queues a model's <c>calibrate</c> or <c>estimate</c> job unless its previous run is still queued or running: the model
/// scheduler (<see cref="ModelTickJob"/>) and the online path (a chunk closed) both queue through it, so a model never has
/// two runs of one job waiting.
/// </summary>
internal static class ModelJobQueue
{
    /// <summary>Queues <paramref name="call"/> as job <paramref name="id"/>; returns 1 when queued, 0 when a run is still pending.</summary>
    /// <param name="connection">A connection to Hangfire's storage.</param>
    /// <param name="jobs">The job client.</param>
    /// <param name="id">The model job's id (<see cref="ModelJobs.EstimateJobId"/>, <see cref="ModelJobs.CalibrateJobId"/>).</param>
    /// <param name="call">The job.</param>
    public static int Enqueue(IStorageConnection connection, IBackgroundJobClient jobs, string id, Expression<Action<ModelJobs>> call)
    {
        if (SkipWhileQueuedAttribute.IsQueued(connection, id))
        {
            return 0;
        }

        SkipWhileQueuedAttribute.Remember(connection, id, jobs.Enqueue(call));
        return 1;
    }

    /// <summary>Queues the estimate job of <paramref name="model"/> now (the online path after it closed a chunk).</summary>
    /// <param name="storage">Hangfire's storage.</param>
    /// <param name="jobs">The job client.</param>
    /// <param name="model">The model's name.</param>
    public static void EnqueueEstimate(JobStorage storage, IBackgroundJobClient jobs, string model)
    {
        using var connection = storage.GetConnection();
        Enqueue(connection, jobs, ModelJobs.EstimateJobId(model), j => j.Estimate(model, CancellationToken.None));
    }
}
