namespace Estimator.Estimation;

/// <summary>
/// One row of any calculator's result: the value of one metric or method on one chunk (for one column or class where
/// it applies), with its sampling error, confidence bounds, thresholds, alert and, for performance estimates once
/// labels exist, the realized value. Performance rows hold the estimate in <see cref="Estimated"/>; drift and
/// quality rows hold the calculated value there.
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
    double? TargetsMissingRate)
{
    /// <summary>The calculator that produced the row.</summary>
    /// <value>Default: <see cref="CalculatorKind.Cbpe"/>.</value>
    public CalculatorKind Calculator { get; init; } = CalculatorKind.Cbpe;

    /// <summary>The input column the row is about (drift, quality); null for model-level rows.</summary>
    public string? Column { get; init; }

    /// <summary>The column's kind, <c>continuous</c> or <c>categorical</c>; null for model-level rows.</summary>
    public string? ColumnKind { get; init; }

    /// <summary>The class of a per-class (one-vs-rest) row of a multiclass model; null on macro-averaged rows.</summary>
    public string? Class { get; init; }

    /// <summary>
    /// The estimator behind a shift-aware estimate (<c>cbpe</c>, <c>weighted</c>, <c>prior</c>; see
    /// <see cref="Shift.ShiftEstimator"/>); null on rows of plain CBPE and of every other calculator.
    /// </summary>
    public string? Estimator { get; init; }

    /// <summary>Kish's effective sample size of the reference weights behind an importance-weighted estimate; null otherwise.</summary>
    public double? EffectiveSampleSize { get; init; }

    /// <summary>
    /// A shift-aware estimate's evidence: the domain classifier's AUROC of the chunk against the reference; null where
    /// the estimator did not fit one (plain CBPE, a forced <c>prior</c>) and on every other calculator's rows.
    /// </summary>
    public double? DomainAuc { get; init; }

    /// <summary>A shift-aware estimate's evidence: the chunk's class prior re-estimated by EM; null where not estimated.</summary>
    public double? EstimatedPrior { get; init; }

    /// <summary>A shift-aware estimate's evidence: 2 × the log-likelihood ratio of the re-estimated prior against the reference's; null where not estimated.</summary>
    public double? PriorLikelihoodRatio { get; init; }

    /// <summary>Why a shift-aware estimate has its estimator, in words (auto's rule and the numbers it read); null on other rows.</summary>
    public string? EstimatorReason { get; init; }

    /// <summary>The p-value of a statistical test (chi-square drift); null where the method has none.</summary>
    public double? PValue { get; init; }
}
