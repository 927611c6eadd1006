using Estimator.Thresholds;

namespace Estimator.Estimation;

/// <summary>
/// What the options of binary (<see cref="CbpeOptions"/>) and multiclass (<see cref="Multiclass.MulticlassCbpeOptions"/>)
/// confidence-based performance estimation share: chunking, calibration, thresholds and the confusion matrix's
/// normalisation. Immutable.
/// </summary>
public abstract record ConfidenceBasedOptions : ICalculatorOptions
{
    /// <summary>How reference and analysis are split into chunks.</summary>
    /// <value>Default: <see cref="Estimator.Chunking.Default"/> (ten chunks).</value>
    public Chunking Chunking { get; init; } = Chunking.Default;

    /// <summary>Whether to calibrate scores (isotonic; for multiclass, each class's one-vs-rest) before estimating.</summary>
    /// <value>Default: <see cref="CalibrationMode.Auto"/>: when NannyML's needs-calibration check says so (per class for multiclass).</value>
    public CalibrationMode Calibration { get; init; } = CalibrationMode.Auto;

    /// <summary>Threshold rule per metric; metrics not listed use <see cref="DefaultThreshold"/>.</summary>
    /// <value>Default: empty.</value>
    public IReadOnlyDictionary<Metric, Threshold> Thresholds { get; init; } = new Dictionary<Metric, Threshold>();

    /// <summary>Threshold rule for metrics without an entry in <see cref="Thresholds"/>.</summary>
    /// <value>Default: mean ± 3σ of the realized reference-chunk values.</value>
    public Threshold DefaultThreshold { get; init; } = Threshold.Default;

    /// <summary>How the confusion matrix (2 × 2, or K × K for multiclass) is normalised.</summary>
    /// <value>Default: <see cref="ConfusionMatrixNormalization.None"/> (expected counts).</value>
    public ConfusionMatrixNormalization ConfusionMatrixNormalization { get; init; } = ConfusionMatrixNormalization.None;

    /// <summary>The threshold rule that applies to <paramref name="metric"/>.</summary>
    /// <param name="metric">The metric.</param>
    public Threshold ThresholdFor(Metric metric) => Thresholds.TryGetValue(metric, out var t) ? t : DefaultThreshold;

    /// <summary>
    /// <paramref name="target"/> with these options' chunking, calibration mode, thresholds and confusion-matrix
    /// normalisation (what every confidence-based estimator shares); its metrics and own options stay.
    /// </summary>
    public T CopySharedTo<T>(T target)
        where T : ConfidenceBasedOptions
    {
        ArgumentNullException.ThrowIfNull(target);
        return (T)((ConfidenceBasedOptions)target with
        {
            Chunking = Chunking,
            Calibration = Calibration,
            Thresholds = Thresholds,
            DefaultThreshold = DefaultThreshold,
            ConfusionMatrixNormalization = ConfusionMatrixNormalization,
        });
    }
}
