namespace Estimator.Drift;

/// <summary>
/// One input column's drift behind a performance alert: how it drifted in the alerting chunks, by the method that
/// showed it most (see <see cref="RootCause"/>). What an on-call engineer reads first when the estimate drops.
/// </summary>
/// <param name="Column">The input column.</param>
/// <param name="ColumnKind"><c>continuous</c> or <c>categorical</c>.</param>
/// <param name="Method">The univariate drift method that showed the drift most (NannyML's name).</param>
/// <param name="Value">The method's value in the latest alerting chunk; null when it could not be computed there.</param>
/// <param name="PValue">Its p-value there (chi2), else null.</param>
/// <param name="LowerThreshold">The method's lower threshold, if any.</param>
/// <param name="UpperThreshold">The method's upper threshold, if any.</param>
/// <param name="Alert">Whether the method alerted in the latest alerting chunk.</param>
/// <param name="AlertingChunks">In how many of the alerting chunks any method alerted on this column.</param>
/// <param name="Chunks">How many alerting chunks had drift values for the column.</param>
/// <param name="Exceedance">
/// The mean over those chunks of how far the method's value went past its threshold, as a ratio (1 at the threshold,
/// see <see cref="RootCause.Exceedance"/>): the strength the ranking orders by after <paramref name="AlertingChunks"/>
/// and <paramref name="Importance"/>.
/// </param>
/// <param name="Importance">
/// Where a domain classifier is fitted: the column's mean share of its trees' split gain over the alerting chunks (how
/// much the classifier told those chunks from the reference by this column); null otherwise.
/// </param>
public sealed record DriftEvidence(
    string Column,
    string? ColumnKind,
    string Method,
    double? Value,
    double? PValue,
    double? LowerThreshold,
    double? UpperThreshold,
    bool Alert,
    int AlertingChunks,
    int Chunks,
    double Exceedance,
    double? Importance = null);
