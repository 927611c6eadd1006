namespace Estimator.Estimation;

/// <summary>
/// One output column of a metric, fitted: a metric has one component, the confusion matrix has four. Holds what the
/// fit learned for it: the sampling-error model, the metric's value limits and the alert thresholds.
/// </summary>
/// <param name="Metric">The metric.</param>
/// <param name="Component">0..3 for confusion-matrix cells (TP, TN, FP, FN); 0 otherwise.</param>
/// <param name="Name">The output name (<c>roc_auc</c>, <c>true_positive</c>, ...).</param>
/// <param name="SamplingError">The sampling-error model fitted on the reference.</param>
/// <param name="LowerLimit">Smallest possible value (confidence bounds and thresholds are clipped to it); null if unbounded.</param>
/// <param name="UpperLimit">Largest possible value; null if unbounded.</param>
/// <param name="LowerThreshold">Lower alert threshold; null when disabled.</param>
/// <param name="UpperThreshold">Upper alert threshold; null when disabled.</param>
public sealed record MetricComponent(
    Metric Metric,
    int Component,
    string Name,
    SamplingErrorModel SamplingError,
    double? LowerLimit,
    double? UpperLimit,
    double? LowerThreshold,
    double? UpperThreshold) : IFittedComponent;
