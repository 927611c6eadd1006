namespace Estimator.Estimation;

/// <summary>Binary CBPE behind the calculator seam: <see cref="Cbpe.Fit(PredictionSet, CbpeOptions?, ComputeOptions)"/> on a <see cref="ModelData"/>.</summary>
/// <param name="options">The estimator's options; null for the defaults.</param>
public sealed class CbpeCalculator(CbpeOptions? options = null) : ICalculator
{
    /// <summary>The estimator's options.</summary>
    public CbpeOptions Options { get; } = options ?? new CbpeOptions();

    /// <inheritdoc />
    public CalculatorKind Kind => CalculatorKind.Cbpe;

    /// <inheritdoc />
    public Chunking Chunking => Options.Chunking;

    /// <inheritdoc />
    public IFittedCalculator Fit(ModelData reference, ComputeOptions compute)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return Cbpe.Fit(reference.ToPredictionSet(), Options, compute);
    }
}
