namespace Estimator.Learning;

/// <summary>
/// Binary CBPE that stays right under covariate and prior shift: plain CBPE's fit, plus what the importance-weighted
/// and prior-shift corrected estimators need of the reference (see <see cref="FittedShiftAwareCbpe"/>).
/// </summary>
/// <param name="options">The options.</param>
public sealed class ShiftAwareCbpeCalculator(ShiftAwareCbpeOptions options)
    : Calculator<ShiftAwareCbpeOptions>(CalculatorKind.Cbpe, Validated(options)), ICalculator
{
    /// <inheritdoc cref="ICalculator.Fit"/>
    /// <exception cref="EstimatorDataException">The reference lacks a needed column or holds values out of range.</exception>
    public FittedShiftAwareCbpe Fit(ModelData reference, ComputeOptions compute)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(compute);
        var sorted = reference.SortedByTimestamp();
        var cbpe = Cbpe.Fit(sorted.ToPredictionSet(), Options.Cbpe, compute);
        ShiftReference? shift = null;
        if (Options.Estimator != ShiftEstimator.Cbpe)
        {
            shift = ShiftReference.Learn(sorted, Options.Features);
            if (!(shift.Prior > 0 && shift.Prior < 1))
            {
                throw new EstimatorDataException("the reference needs both classes to estimate under shift");
            }

            if (Options.Estimator == ShiftEstimator.Auto)
            {
                shift.MeasureNull(Options.Chunking, Options);
            }
        }

        return new FittedShiftAwareCbpe(cbpe, shift) { Options = Options, ReferenceRows = cbpe.ReferenceRows };
    }

    /// <inheritdoc />
    IFittedCalculator ICalculator.Fit(ModelData reference, ComputeOptions compute) => Fit(reference, compute);

    private static ShiftAwareCbpeOptions Validated(ShiftAwareCbpeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Cbpe);
        ArgumentNullException.ThrowIfNull(options.Features);
        if (options.Estimator is ShiftEstimator.Weighted or ShiftEstimator.Auto && options.Features.Count == 0)
        {
            throw new ArgumentException($"The {options.Estimator.Name()} estimator needs the model's input features.", nameof(options));
        }

        if (options.Features.Distinct(StringComparer.Ordinal).Count() != options.Features.Count)
        {
            throw new ArgumentException("A feature is listed twice.", nameof(options));
        }

        if (!(options.WeightClip > 1) || !(options.EvidenceLevel > 0) || !(options.PriorLikelihoodRatio >= 0))
        {
            throw new ArgumentException("The weight clip must exceed 1, the evidence level be positive and the prior likelihood-ratio level non-negative.", nameof(options));
        }

        return options;
    }
}
