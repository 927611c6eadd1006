using Hangfire.Common;
using Hangfire.Server;

namespace Estimator.Host.Jobs;

/// <summary>
/// Exposes the job being performed (<see cref="Current"/>) to the code it runs, so a job can write its own parameters
/// (its progress) without a <see cref="PerformContext"/> argument: recurring jobs are registered by expression, and a
/// changed signature would orphan the runs already queued.
/// </summary>
/// <remarks>
/// Hangfire calls <see cref="OnPerforming"/>, the job method and <see cref="OnPerformed"/> one after another on the worker's
/// thread, and the job methods are synchronous, so a value set here is what the method sees.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class CurrentJobAttribute : JobFilterAttribute, IServerFilter
{
    private static readonly AsyncLocal<PerformContext?> Context = new();

    /// <summary>The job this thread is performing, or null outside a job (a job method called directly, e.g. by <c>estimator run</c>).</summary>
    public static PerformContext? Current => Context.Value;

    /// <inheritdoc />
    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context.Value = context;
    }

    /// <inheritdoc />
    public void OnPerformed(PerformedContext context) => Context.Value = null;
}
