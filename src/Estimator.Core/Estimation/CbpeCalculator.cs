namespace Estimator.Estimation;

/// <summary>Binary CBPE behind the calculator seam: <see cref="Cbpe.Fit(PredictionSet, CbpeOptions?, ComputeOptions)"/> on a <see cref="ModelData"/>.</summary>
/// <param name="options">The estimator's options; null for the defaults.</param>
public sealed class CbpeCalculator(CbpeOptions? options = null)
    : Calculator<CbpeOptions>(CalculatorKind.Cbpe, options ?? new CbpeOptions()), ICalculator
{
    /// <inheritdoc />
    public IFittedCalculator Fit(ModelData reference, ComputeOptions compute)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return Cbpe.Fit(reference.ToPredictionSet(), Options, compute);
    }
}
