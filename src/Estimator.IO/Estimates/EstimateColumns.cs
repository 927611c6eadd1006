namespace Estimator.IO;

/// <summary>The estimate file's column names, in order (schema version 3; version 2 lacks the last, <c>class</c>).</summary>
internal static class EstimateColumns
{
    public const string SchemaVersion = "schema_version";
    public const string Model = "model";
    public const string ChunkKey = "chunk_key";
    public const string ChunkIndex = "chunk_index";
    public const string ChunkStartIndex = "chunk_start_index";
    public const string ChunkEndIndex = "chunk_end_index";
    public const string ChunkStartDate = "chunk_start_date";
    public const string ChunkEndDate = "chunk_end_date";
    public const string Period = "period";
    public const string ChunkRows = "chunk_rows";
    public const string Metric = "metric";
    public const string Estimated = "estimated";
    public const string SamplingError = "sampling_error";
    public const string LowerConfidenceBound = "lower_confidence_bound";
    public const string UpperConfidenceBound = "upper_confidence_bound";
    public const string LowerThreshold = "lower_threshold";
    public const string UpperThreshold = "upper_threshold";
    public const string Alert = "alert";
    public const string Realized = "realized";
    public const string TargetsMissingRate = "targets_missing_rate";
    public const string Provisional = "provisional";
    public const string EstimatedAt = "estimated_at";
    public const string RunId = "run_id";
    public const string Class = "class";

    public const string Estimator = "estimator";

    public const string EffectiveSampleSize = "effective_sample_size";

    public const string DomainAuc = "domain_auc";

    public const string EstimatedPrior = "estimated_prior";

    public const string PriorLikelihoodRatio = "prior_likelihood_ratio";

    public const string EstimatorReason = "estimator_reason";

    public static IReadOnlyList<string> All { get; } =
    [
        SchemaVersion, Model, ChunkKey, ChunkIndex, ChunkStartIndex, ChunkEndIndex, ChunkStartDate, ChunkEndDate, Period,
        ChunkRows, Metric, Estimated, SamplingError, LowerConfidenceBound, UpperConfidenceBound, LowerThreshold,
        UpperThreshold, Alert, Realized, TargetsMissingRate, Provisional, EstimatedAt, RunId, Class, Estimator, EffectiveSampleSize,
        DomainAuc, EstimatedPrior, PriorLikelihoodRatio, EstimatorReason,
    ];

    /// <summary>
    /// The estimate and its band, the six double columns after <see cref="Metric"/> (null where NaN), in file order, with
    /// each one's value in a record.
    /// </summary>
    public static IReadOnlyList<(string Name, Func<EstimateRecord, double?> Value)> Band { get; } =
    [
        (Estimated, static r => r.Estimated),
        (SamplingError, static r => r.SamplingError),
        (LowerConfidenceBound, static r => r.LowerConfidenceBound),
        (UpperConfidenceBound, static r => r.UpperConfidenceBound),
        (LowerThreshold, static r => r.LowerThreshold),
        (UpperThreshold, static r => r.UpperThreshold),
    ];

    /// <summary>The columns of a version-4 file: <see cref="All"/> without the evidence columns (<c>domain_auc</c> … <c>estimator_reason</c>).</summary>
    public static IReadOnlyList<string> Version4 { get; } = [.. All.Take(26)];

    /// <summary>The columns of a version-3 file: version 4 without <c>estimator</c> and <c>effective_sample_size</c>.</summary>
    public static IReadOnlyList<string> Version3 { get; } = [.. All.Take(24)];

    /// <summary>The columns of a version-2 file: version 3 without <c>class</c>.</summary>
    public static IReadOnlyList<string> Version2 { get; } = [.. All.Take(23)];
}
