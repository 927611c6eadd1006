using System.Runtime.CompilerServices;

namespace Estimator.Learning;

/// <summary>
/// Registers this assembly's fitted calculators (DLE, the domain classifier, shift-aware CBPE) with
/// <see cref="CalculatorJson"/>, which lives in Core and cannot reference them. Runs when this assembly loads; a host
/// that reads fitted calculators before touching any type of this assembly calls <see cref="Register"/> itself (it is
/// idempotent).
/// </summary>
public static class LearningCalculators
{
    /// <summary>Registers the JSON readers of DLE, the domain classifier and shift-aware CBPE.</summary>
#pragma warning disable CA2255 // Registration at load is the point: Core cannot reference this assembly.
    [ModuleInitializer]
#pragma warning restore CA2255
    public static void Register()
    {
        FittedDle.Register();
        FittedDomainClassifier.Register();
        FittedShiftAwareCbpe.Register();
    }
}
