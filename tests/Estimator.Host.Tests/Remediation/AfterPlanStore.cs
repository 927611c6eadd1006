using System.Reflection;

namespace Estimator.Host.Tests.Remediation;

/// <summary>
/// A store that forwards every call to another and runs an action right after each
/// <see cref="IModelStore.PlanRemediation"/>: the moment between a delivery pass's plan and its delivery, where an estimate
/// run in another worker can write notifications.
/// </summary>
public class AfterPlanStore : DispatchProxy
{
    private IModelStore inner = null!;
    private Action afterPlan = null!;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public static IModelStore Wrap(IModelStore inner, Action afterPlan)
    {
        var store = Create<IModelStore, AfterPlanStore>();
        var proxy = (AfterPlanStore)(object)store;
        proxy.inner = inner;
        proxy.afterPlan = afterPlan;
        return store;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        object? result;
        try
        {
            result = targetMethod.Invoke(inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } cause)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            throw;
        }

        if (targetMethod.Name == nameof(IModelStore.PlanRemediation))
        {
            afterPlan();
        }

        return result;
    }
}
