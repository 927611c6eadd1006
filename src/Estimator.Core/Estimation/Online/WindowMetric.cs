namespace Estimator.Estimation.Online;

/// <summary>
/// One component's estimate over a sliding window, as a chunk's row holds it (NannyML CBPE semantics): the window is
/// one chunk, so the values, band and thresholds are the <see cref="ChunkEstimate"/> row the batch engine would write.
/// </summary>
/// <param name="Row">The window's row: value, sampling error, band, thresholds and alert.</param>
/// <param name="Metric">The metric the component belongs to.</param>
/// <param name="Rows">The rows behind the estimate.</param>
public sealed record WindowMetric(ChunkEstimate Row, Metric Metric, long Rows)
{
    /// <summary>The output name (<c>roc_auc</c>, <c>true_positive</c>, ...).</summary>
    public string Name => Row.Metric;

    /// <summary>The estimate; NaN when the window is empty or the metric is undefined on it.</summary>
    public double Estimated => Row.Estimated;

    /// <summary>The sampling error for the window's size.</summary>
    public double SamplingError => Row.SamplingError;

    /// <summary>max(lower limit, estimate − 3·SE).</summary>
    public double LowerConfidenceBound => Row.LowerConfidenceBound;

    /// <summary>min(upper limit, estimate + 3·SE).</summary>
    public double UpperConfidenceBound => Row.UpperConfidenceBound;

    /// <summary>The reference's lower alert threshold, or null.</summary>
    public double? LowerThreshold => Row.LowerThreshold;

    /// <summary>The reference's upper alert threshold, or null.</summary>
    public double? UpperThreshold => Row.UpperThreshold;

    /// <summary>Whether the estimate lies outside the thresholds.</summary>
    public bool Alert => Row.Alert;
}
