namespace Estimator.IO;

/// <summary>
/// One row of an estimate file (schema version 5): one metric on one chunk (for one class, on a multiclass model's per-class rows). Property order is the file's column order;
/// see <c>ESTIMATE_FILE_SCHEMA.md</c> and <see cref="EstimateFileWriter"/>.
/// </summary>
/// <param name="SchemaVersion"><c>schema_version</c> (int32): the file schema version, 5 (2, 3 or 4 when read from an older file).</param>
/// <param name="Model"><c>model</c> (string): the model's name.</param>
/// <param name="ChunkKey"><c>chunk_key</c> (string): NannyML's chunk key, e.g. <c>[0:4999]</c> or <c>2018-10</c>.</param>
/// <param name="ChunkIndex"><c>chunk_index</c> (int32): 0-based position of the chunk within its period.</param>
/// <param name="ChunkStartIndex"><c>chunk_start_index</c> (int64): first row of the chunk (0-based, inclusive).</param>
/// <param name="ChunkEndIndex"><c>chunk_end_index</c> (int64): last row of the chunk (inclusive).</param>
/// <param name="ChunkStartDate"><c>chunk_start_date</c> (UTC timestamp, nullable): start of the chunk; null without timestamps.</param>
/// <param name="ChunkEndDate"><c>chunk_end_date</c> (UTC timestamp, nullable): end of the chunk; null without timestamps.</param>
/// <param name="Period"><c>period</c> (string): <c>reference</c> or <c>analysis</c>.</param>
/// <param name="ChunkRows"><c>chunk_rows</c> (int64): rows in the chunk.</param>
/// <param name="Metric"><c>metric</c> (string): metric or component name (<c>roc_auc</c>, <c>true_positive</c>, ...).</param>
/// <param name="Estimated"><c>estimated</c> (double, nullable): the CBPE estimate; null when it could not be computed.</param>
/// <param name="SamplingError"><c>sampling_error</c> (double, nullable): standard error for a chunk of this size.</param>
/// <param name="LowerConfidenceBound"><c>lower_confidence_bound</c> (double, nullable).</param>
/// <param name="UpperConfidenceBound"><c>upper_confidence_bound</c> (double, nullable).</param>
/// <param name="LowerThreshold"><c>lower_threshold</c> (double, nullable): null when disabled or not computable.</param>
/// <param name="UpperThreshold"><c>upper_threshold</c> (double, nullable): null when disabled or not computable.</param>
/// <param name="Alert"><c>alert</c> (bool): whether the estimate lies outside the thresholds.</param>
/// <param name="Realized"><c>realized</c> (double, nullable): the metric from the labels; null without labels.</param>
/// <param name="TargetsMissingRate"><c>targets_missing_rate</c> (double, nullable): share of rows without a label; null without labels.</param>
/// <param name="Provisional"><c>provisional</c> (bool): true while the chunk is still filling (or its period still open) in the job host's store; it is replaced when complete.</param>
/// <param name="EstimatedAt"><c>estimated_at</c> (UTC timestamp, nullable): when the row was computed.</param>
/// <param name="RunId"><c>run_id</c> (string, nullable): the job run that computed the row; null outside the job host.</param>
/// <param name="Class"><c>class</c> (string, nullable): the class of a multiclass model's per-class (one-vs-rest) row; null on macro-averaged and binary rows, and in version-2 files.</param>
/// <param name="Estimator"><c>estimator</c> (string, nullable): the estimator behind a shift-aware estimate (<c>cbpe</c>, <c>weighted</c>, <c>prior</c>); null on plain CBPE rows, other calculators' rows and in older files.</param>
/// <param name="EffectiveSampleSize"><c>effective_sample_size</c> (double, nullable): Kish's effective sample size of the reference weights behind an importance-weighted estimate; null otherwise.</param>
/// <param name="DomainAuc"><c>domain_auc</c> (double, nullable): a shift-aware estimate's domain-classifier AUROC (chunk against reference); null where none was fitted.</param>
/// <param name="EstimatedPrior"><c>estimated_prior</c> (double, nullable): a shift-aware estimate's class prior re-estimated by EM; null where not estimated.</param>
/// <param name="PriorLikelihoodRatio"><c>prior_likelihood_ratio</c> (double, nullable): 2 × log-likelihood ratio of that prior against the reference's; null where not estimated.</param>
/// <param name="EstimatorReason"><c>estimator_reason</c> (string, nullable): why the chunk has its estimator, in words; null on rows that are not shift-aware and in older files.</param>
public sealed record EstimateRecord(
    int SchemaVersion,
    string Model,
    string ChunkKey,
    int ChunkIndex,
    long ChunkStartIndex,
    long ChunkEndIndex,
    DateTime? ChunkStartDate,
    DateTime? ChunkEndDate,
    string Period,
    long ChunkRows,
    string Metric,
    double? Estimated,
    double? SamplingError,
    double? LowerConfidenceBound,
    double? UpperConfidenceBound,
    double? LowerThreshold,
    double? UpperThreshold,
    bool Alert,
    double? Realized,
    double? TargetsMissingRate,
    bool Provisional,
    DateTime? EstimatedAt,
    string? RunId,
    string? Class = null,
    string? Estimator = null,
    double? EffectiveSampleSize = null,
    double? DomainAuc = null,
    double? EstimatedPrior = null,
    double? PriorLikelihoodRatio = null,
    string? EstimatorReason = null)
{
    /// <summary>The schema version this library writes.</summary>
    /// <remarks>
    /// Version 2 added <c>provisional</c>, <c>estimated_at</c> and <c>run_id</c> after the version-1 columns; version 3
    /// added <c>class</c> after them; version 4 <c>estimator</c> and <c>effective_sample_size</c>; version 5 the shift
    /// evidence (<c>domain_auc</c>, <c>estimated_prior</c>, <c>prior_likelihood_ratio</c>, <c>estimator_reason</c>).
    /// <see cref="EstimateFileReader"/> reads this version and versions 2, 3 and 4.
    /// </remarks>
    public const int CurrentSchemaVersion = 5;

    /// <summary>The record's values of the chunk columns every table file starts with.</summary>
    internal ChunkColumns.Values ChunkValues => new(SchemaVersion, Model, ChunkKey, ChunkIndex, ChunkStartIndex, ChunkEndIndex, ChunkStartDate, ChunkEndDate, Period, ChunkRows);

    /// <summary>The rows of a result as estimate-file records: NaN becomes null, dates become UTC.</summary>
    /// <param name="result">The result.</param>
    /// <param name="estimatedAt">When the result was computed (UTC), or null.</param>
    /// <param name="runId">The job run that computed it, or null.</param>
    /// <param name="provisional">Whether the analysis chunks are provisional (reference rows never are).</param>
    /// <exception cref="ArgumentException">A row is null or has no chunk.</exception>
    public static IReadOnlyList<EstimateRecord> FromResult(CalculatorResult result, DateTime? estimatedAt = null, string? runId = null, bool provisional = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        return FromRows(result.Model, result.Rows, estimatedAt, runId, provisional);
    }

    /// <summary>Chunk estimates as estimate-file records.</summary>
    /// <param name="model">The model's name.</param>
    /// <param name="rows">The rows.</param>
    /// <param name="estimatedAt">When they were computed (UTC), or null.</param>
    /// <param name="runId">The job run that computed them, or null.</param>
    /// <param name="provisional">Whether the analysis chunks among them are provisional.</param>
    /// <exception cref="ArgumentException">A row is null or has no chunk.</exception>
    public static IReadOnlyList<EstimateRecord> FromRows(string model, IReadOnlyList<ChunkEstimate> rows, DateTime? estimatedAt = null, string? runId = null, bool provisional = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        var records = new EstimateRecord[rows.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = FromRow(model, rows[i], i, ToUtc(estimatedAt), runId, provisional);
        }

        return records;
    }

    /// <summary>The string written to the <c>period</c> column.</summary>
    /// <param name="period">The period.</param>
    public static string PeriodName(Period period) => period switch
    {
        global::Estimator.Period.Reference => "reference",
        global::Estimator.Period.Analysis => "analysis",
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Unknown period."),
    };

    internal static EstimateRecord FromRow(string model, ChunkEstimate? row, int index, DateTime? estimatedAt, string? runId, bool provisional)
    {
        if (row is null)
        {
            throw new ArgumentException(FormattableString.Invariant($"Result row {index} is null."), nameof(row));
        }

        var chunk = row.Chunk ?? throw new ArgumentException(FormattableString.Invariant($"Result row {index} has no chunk."), nameof(row));
        return new EstimateRecord(
            CurrentSchemaVersion,
            model,
            chunk.Key,
            chunk.Index,
            chunk.StartIndex,
            chunk.EndIndex,
            ToUtc(chunk.StartDate),
            ToUtc(chunk.EndDate),
            PeriodName(row.Period),
            chunk.Rows,
            row.Metric,
            Value(row.Estimated),
            Value(row.SamplingError),
            Value(row.LowerConfidenceBound),
            Value(row.UpperConfidenceBound),
            Value(row.LowerThreshold),
            Value(row.UpperThreshold),
            row.Alert,
            Value(row.Realized),
            Value(row.TargetsMissingRate),
            provisional && row.Period == global::Estimator.Period.Analysis,
            estimatedAt,
            runId,
            row.Class,
            row.Estimator,
            Value(row.EffectiveSampleSize),
            Value(row.DomainAuc),
            Value(row.EstimatedPrior),
            Value(row.PriorLikelihoodRatio),
            row.EstimatorReason);
    }

    internal static double? Value(double? v) => v is double d && !double.IsNaN(d) ? d : null;

    internal static DateTime? ToUtc(DateTime? v) => v switch
    {
        null => null,
        { Kind: DateTimeKind.Utc } d => d,
        { Kind: DateTimeKind.Local } d => d.ToUniversalTime(),
        { } d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
    };
}
