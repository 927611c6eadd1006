
namespace Estimator.Estimation;

/// <summary>
/// One row of a result: the estimate of one metric (or confusion-matrix component) on one chunk, with its
/// sampling error, confidence bounds, thresholds, alert and, when labels exist, the realized value.
/// </summary>
/// <param name="Chunk">The chunk.</param>
/// <param name="Period">Reference or analysis.</param>
/// <param name="Metric">Metric or component name as NannyML spells it (<c>roc_auc</c>, <c>true_positive</c>, ...).</param>
/// <param name="Estimated">The CBPE estimate; NaN when it cannot be computed for this chunk.</param>
/// <param name="SamplingError">Standard error of the metric for a chunk of this size, from the reference.</param>
/// <param name="LowerConfidenceBound">max(lower limit, estimated − 3·sampling error).</param>
/// <param name="UpperConfidenceBound">min(upper limit, estimated + 3·sampling error).</param>
/// <param name="LowerThreshold">Lower alert threshold; null when that side is disabled (NaN if no reference chunk had a value).</param>
/// <param name="UpperThreshold">Upper alert threshold; null when that side is disabled.</param>
/// <param name="Alert">Whether the point estimate lies strictly outside the thresholds.</param>
/// <param name="Realized">The metric computed from the labels with raw scores; null when the chunk has no labels at all.</param>
/// <param name="TargetsMissingRate">Share of the chunk's rows without a label; null when the data carries no labels at all.</param>
public sealed record ChunkEstimate(
    Chunk Chunk,
    Period Period,
    string Metric,
    double Estimated,
    double SamplingError,
    double LowerConfidenceBound,
    double UpperConfidenceBound,
    double? LowerThreshold,
    double? UpperThreshold,
    bool Alert,
    double? Realized,
    double? TargetsMissingRate);
