using Estimator.Calculators;
using Estimator.Calibration;
using Estimator.Metrics;
using Estimator.Thresholds;

namespace Estimator.Estimation.Multiclass;

/// <summary>
/// How a multiclass CBPE estimator is fitted and how it estimates. Immutable; validated once by
/// <see cref="MulticlassCbpeCalculator.Fit(Calculators.ModelData, ComputeOptions)"/>.
/// </summary>
public sealed record MulticlassCbpeOptions : ICalculatorOptions
{
    /// <summary>The metrics multiclass CBPE supports, in NannyML's order.</summary>
    public static IReadOnlyList<Metric> SupportedMetrics { get; } =
        [Metric.RocAuc, Metric.F1, Metric.Precision, Metric.Recall, Metric.Specificity, Metric.Accuracy, Metric.ConfusionMatrix];

    /// <summary>The metrics to estimate, in output order (macro averages over the classes, as NannyML).</summary>
    /// <value>Default: roc_auc, f1, precision, recall, specificity, accuracy (NannyML's multiclass tutorial).</value>
    public IReadOnlyList<Metric> Metrics { get; init; } =
        [Metric.RocAuc, Metric.F1, Metric.Precision, Metric.Recall, Metric.Specificity, Metric.Accuracy];

    /// <summary>How reference and analysis are split into chunks.</summary>
    /// <value>Default: <see cref="Estimator.Chunking.Default"/> (ten chunks).</value>
    public Chunking Chunking { get; init; } = Chunking.Default;

    /// <summary>Whether each class's scores are calibrated (isotonic, one-vs-rest) before estimating.</summary>
    /// <value>Default: <see cref="CalibrationMode.Auto"/>: per class, when NannyML's needs-calibration check says so.</value>
    public CalibrationMode Calibration { get; init; } = CalibrationMode.Auto;

    /// <summary>Threshold rule per metric; metrics not listed use <see cref="DefaultThreshold"/>.</summary>
    /// <value>Default: empty.</value>
    public IReadOnlyDictionary<Metric, Threshold> Thresholds { get; init; } = new Dictionary<Metric, Threshold>();

    /// <summary>Threshold rule for metrics without an entry in <see cref="Thresholds"/>.</summary>
    /// <value>Default: mean ± 3σ of the realized reference-chunk values.</value>
    public Threshold DefaultThreshold { get; init; } = Threshold.Default;

    /// <summary>How the K × K confusion matrix is normalised.</summary>
    /// <value>Default: <see cref="ConfusionMatrixNormalization.None"/> (expected counts).</value>
    public ConfusionMatrixNormalization ConfusionMatrixNormalization { get; init; } = ConfusionMatrixNormalization.None;

    /// <summary>
    /// Whether to write, beside each macro-averaged row, one one-vs-rest row per class (<see cref="ChunkEstimate.Class"/>
    /// set) for roc_auc, f1, precision, recall and specificity. NannyML has no such rows; see
    /// <see cref="MulticlassCbpeCalculator"/> for how their sampling errors and thresholds are made.
    /// </summary>
    /// <value>Default: false (NannyML's output: macro rows only).</value>
    public bool PerClassRows { get; init; }

    /// <summary>The threshold rule that applies to <paramref name="metric"/>.</summary>
    /// <param name="metric">The metric.</param>
    public Threshold ThresholdFor(Metric metric) => Thresholds.TryGetValue(metric, out var t) ? t : DefaultThreshold;

    /// <summary>Checks the options once.</summary>
    /// <exception cref="ArgumentException">No metric, a metric twice, or one multiclass CBPE does not estimate.</exception>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Metrics);
        ArgumentNullException.ThrowIfNull(Chunking);
        ArgumentNullException.ThrowIfNull(Thresholds);
        ArgumentNullException.ThrowIfNull(DefaultThreshold);
        if (Metrics.Count == 0)
        {
            throw new ArgumentException("At least one metric is needed.", nameof(Metrics));
        }

        var seen = new HashSet<Metric>();
        foreach (var metric in Metrics)
        {
            if (!seen.Add(metric))
            {
                throw new ArgumentException($"The metric '{metric.ToName()}' is listed twice.", nameof(Metrics));
            }

            if (!SupportedMetrics.Contains(metric))
            {
                throw new ArgumentException(
                    $"Multiclass CBPE does not estimate '{metric.ToName()}'; use {string.Join(", ", SupportedMetrics.Select(m => m.ToName()))}.",
                    nameof(Metrics));
            }
        }
    }
}
