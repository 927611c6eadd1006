namespace Estimator.Learning;

/// <summary>
/// Why a chunk got its estimator: the domain classifier's separation of chunk and reference against its null spread,
/// how well a pure prior shift explains the chunk compared with the classifier's density ratio, and how far the
/// importance weights move the estimates compared with their own noise. Values not computed are NaN.
/// </summary>
/// <param name="ChunkIndex">The analysis chunk.</param>
/// <param name="Estimator">The estimator whose values the chunk's rows carry.</param>
/// <param name="DomainAuc">AUROC of the domain classifier (chunk vs reference).</param>
/// <param name="NullAucThreshold">The AUROC above which the chunk counts as shifted: the reference chunks' mean + level × spread.</param>
/// <param name="Prior">The chunk's class prior re-estimated by EM.</param>
/// <param name="ReferencePrior">The reference's positive rate.</param>
/// <param name="PriorLikelihoodRatio">2 × log-likelihood ratio of the re-estimated prior against the reference's.</param>
/// <param name="CovariateLogLikelihood">Σ over the chunk's rows of the log density ratio the domain classifier gives.</param>
/// <param name="PriorLogLikelihood">Σ over the chunk's rows of the log density ratio a pure prior shift gives.</param>
/// <param name="WeightingShift">The largest |weighted − plain| estimate over the metrics, in standard errors of a sample of the effective size.</param>
/// <param name="EffectiveSampleSize">Kish's effective size of the reference weights.</param>
/// <param name="Reason">The choice in words.</param>
public sealed record ShiftEvidence(
    int ChunkIndex,
    ShiftEstimator Estimator,
    double DomainAuc,
    double NullAucThreshold,
    double Prior,
    double ReferencePrior,
    double PriorLikelihoodRatio,
    double CovariateLogLikelihood,
    double PriorLogLikelihood,
    double WeightingShift,
    double EffectiveSampleSize,
    string Reason);
