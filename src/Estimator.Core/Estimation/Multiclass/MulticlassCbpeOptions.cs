namespace Estimator.Estimation.Multiclass;

/// <summary>
/// How a multiclass CBPE estimator is fitted and how it estimates. Immutable; validated once by
/// <see cref="MulticlassCbpeCalculator.Fit(Calculators.ModelData, ComputeOptions)"/>.
/// </summary>
public sealed record MulticlassCbpeOptions : ConfidenceBasedOptions
{
    /// <summary>The metrics multiclass CBPE supports, in NannyML's order.</summary>
    public static IReadOnlyList<Metric> SupportedMetrics { get; } =
        [Metric.RocAuc, Metric.F1, Metric.Precision, Metric.Recall, Metric.Specificity, Metric.Accuracy, Metric.ConfusionMatrix];

    /// <summary>The metrics to estimate, in output order (macro averages over the classes, as NannyML).</summary>
    /// <value>Default: roc_auc, f1, precision, recall, specificity, accuracy (NannyML's multiclass tutorial).</value>
    public IReadOnlyList<Metric> Metrics { get; init; } =
        [Metric.RocAuc, Metric.F1, Metric.Precision, Metric.Recall, Metric.Specificity, Metric.Accuracy];

    /// <summary>
    /// Whether to write, beside each macro-averaged row, one one-vs-rest row per class (<see cref="ChunkEstimate.Class"/>
    /// set) for roc_auc, f1, precision, recall and specificity. NannyML has no such rows; see
    /// <see cref="MulticlassCbpeCalculator"/> for how their sampling errors and thresholds are made.
    /// </summary>
    /// <value>Default: false (NannyML's output: macro rows only).</value>
    public bool PerClassRows { get; init; }

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
