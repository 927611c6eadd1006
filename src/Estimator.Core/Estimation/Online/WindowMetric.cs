namespace Estimator.Estimation.Online;

/// <summary>One component's estimate over a sliding window, as a chunk's row holds it (NannyML CBPE semantics).</summary>
/// <param name="Name">The output name (<c>roc_auc</c>, <c>true_positive</c>, ...).</param>
/// <param name="Metric">The metric the component belongs to.</param>
/// <param name="Estimated">The estimate; NaN when the window is empty or the metric is undefined on it.</param>
/// <param name="SamplingError">The sampling error for the window's size.</param>
/// <param name="LowerConfidenceBound">max(lower limit, estimate − 3·SE).</param>
/// <param name="UpperConfidenceBound">min(upper limit, estimate + 3·SE).</param>
/// <param name="LowerThreshold">The reference's lower alert threshold, or null.</param>
/// <param name="UpperThreshold">The reference's upper alert threshold, or null.</param>
/// <param name="Alert">Whether the estimate lies outside the thresholds.</param>
/// <param name="Rows">The rows behind the estimate.</param>
public sealed record WindowMetric(
    string Name,
    Metric Metric,
    double Estimated,
    double SamplingError,
    double LowerConfidenceBound,
    double UpperConfidenceBound,
    double? LowerThreshold,
    double? UpperThreshold,
    bool Alert,
    long Rows);
