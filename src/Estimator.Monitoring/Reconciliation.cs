using Parquet;
using Parquet.Schema;

namespace Estimator.Monitoring;

/// <summary>What a reconcile run did.</summary>
/// <param name="RunId">Identifier of the run.</param>
/// <param name="FilesProcessed">Label files read for the first time by this run.</param>
/// <param name="LabelsRead">Label rows read by this run.</param>
/// <param name="ChunksUpdated">Chunks whose realized values changed (their estimate and ledger files were rewritten).</param>
/// <param name="Summary">The model's reconciliation summary after this run.</param>
public sealed record ReconcileOutcome(string RunId, IReadOnlyList<string> FilesProcessed, long LabelsRead, int ChunksUpdated, ReconciliationSummary Summary)
{
    /// <summary>The label files set aside as unreadable (also in the model's <c>rejected.json</c>), not read again until they change.</summary>
    public IReadOnlyList<RejectedFile> Rejected { get; init; } = [];
}

/// <summary>How well the estimates of one metric matched the realized values, over chunks whose labels are complete.</summary>
/// <param name="Metric">The metric or component.</param>
/// <param name="Chunks">Chunks with complete labels.</param>
/// <param name="MeanAbsoluteError">Mean |estimated − realized|.</param>
/// <param name="Bias">Mean (estimated − realized): positive means the estimates were optimistic.</param>
/// <param name="Coverage">Share of chunks whose realized value fell inside the confidence band (≈ 99.7 % expected for ±3σ).</param>
/// <param name="MeanSamplingError">Mean sampling error, to judge the error against.</param>
public sealed record MetricReconciliation(string Metric, int Chunks, double MeanAbsoluteError, double Bias, double Coverage, double MeanSamplingError);

/// <summary>A model's reconciliation of estimates with labels, written to <c>reconciliation/summary.json</c>.</summary>
/// <param name="Model">The model.</param>
/// <param name="ReconciledAt">When.</param>
/// <param name="ChunksWithLabels">Analysis chunks with at least one label.</param>
/// <param name="ChunksComplete">Analysis chunks with every label in.</param>
/// <param name="Labels">Distinct labelled ids received.</param>
/// <param name="DuplicateIds">Label rows whose id had already arrived (the first label is kept).</param>
/// <param name="ConflictingDuplicates">Duplicates that disagree with the label kept.</param>
/// <param name="UnmatchedIds">Labelled ids that match no analysis row (yet).</param>
/// <param name="Metrics">Per metric: error, bias, coverage.</param>
/// <param name="Warnings">Signs that CBPE's assumptions no longer hold, in words.</param>
public sealed record ReconciliationSummary(
    string Model,
    DateTime ReconciledAt,
    int ChunksWithLabels,
    int ChunksComplete,
    long Labels,
    long DuplicateIds,
    long ConflictingDuplicates,
    long UnmatchedIds,
    IReadOnlyList<MetricReconciliation> Metrics,
    IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// Where each metric's realized values left the estimate's band on consecutive fully labelled chunks: the estimator's
    /// assumption looks violated (concept drift?). Active ones are also worded in <see cref="Warnings"/>.
    /// </summary>
    public IReadOnlyList<Slo.AssumptionViolation> AssumptionViolations { get; init; } = [];
}

/// <summary>One row of the reconciliation ledger: a chunk × metric with its estimate and realized value.</summary>
/// <param name="Model">The model.</param>
/// <param name="ChunkKey">The chunk's key.</param>
/// <param name="ChunkIndex">The chunk's index.</param>
/// <param name="ChunkStartDate">Chunk start.</param>
/// <param name="ChunkEndDate">Chunk end.</param>
/// <param name="ChunkRows">Rows in the chunk.</param>
/// <param name="Provisional">Whether the chunk is still filling.</param>
/// <param name="Metric">Metric or component.</param>
/// <param name="Estimated">The estimate.</param>
/// <param name="LowerConfidenceBound">Lower band.</param>
/// <param name="UpperConfidenceBound">Upper band.</param>
/// <param name="Realized">Realized value on the labelled rows.</param>
/// <param name="Error">Estimated − realized.</param>
/// <param name="InsideBand">Whether the realized value lies inside the band.</param>
/// <param name="TargetsMissingRate">Share of the chunk's rows still without a label.</param>
/// <param name="LabelledRows">Rows with a label.</param>
/// <param name="LabelsArrivedAt">When the chunk's latest label arrived.</param>
/// <param name="ReconciledAt">When this row was computed.</param>
/// <param name="RunId">The reconcile run.</param>
public sealed record LedgerRecord(
    string Model,
    string ChunkKey,
    int ChunkIndex,
    DateTime? ChunkStartDate,
    DateTime? ChunkEndDate,
    long ChunkRows,
    bool Provisional,
    string Metric,
    double? Estimated,
    double? LowerConfidenceBound,
    double? UpperConfidenceBound,
    double? Realized,
    double? Error,
    bool? InsideBand,
    double TargetsMissingRate,
    long LabelledRows,
    DateTime? LabelsArrivedAt,
    DateTime ReconciledAt,
    string RunId)
{
    /// <summary>
    /// The chunk's input columns whose univariate drift alerted, strongest first (<see cref="Drift.RootCause"/>),
    /// comma-separated: beside realized performance, whether the inputs moved. Empty when none did; null for a model
    /// without drift monitoring.
    /// </summary>
    public string? DriftColumns { get; init; }

    /// <summary>
    /// Whether the chunk lies in a run where this metric's realized values left the band on consecutive fully labelled
    /// chunks (<see cref="Slo.AssumptionCheck"/>): the estimator's assumption looks violated there. Null in ledgers
    /// written before the column existed.
    /// </summary>
    public bool? AssumptionViolated { get; init; }

    private static readonly ParquetSchema Schema = new(
        new DataField<string>("model", false),
        new DataField<string>("chunk_key", false),
        new DataField<int>("chunk_index", false),
        new DateTimeDataField("chunk_start_date", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        new DateTimeDataField("chunk_end_date", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        new DataField<long>("chunk_rows", false),
        new DataField<bool>("provisional", false),
        new DataField<string>("metric", false),
        new DataField<double?>("estimated", true),
        new DataField<double?>("lower_confidence_bound", true),
        new DataField<double?>("upper_confidence_bound", true),
        new DataField<double?>("realized", true),
        new DataField<double?>("error", true),
        new DataField<bool?>("inside_band", true),
        new DataField<double>("targets_missing_rate", false),
        new DataField<long>("labelled_rows", false),
        new DateTimeDataField("labels_arrived_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        new DateTimeDataField("reconciled_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false),
        new DataField<string>("run_id", false),
        new DataField<string>("drift_columns", true),
        new DataField<bool?>("assumption_violated", true));

    /// <summary>Writes ledger rows as Parquet, atomically.</summary>
    public static void Write(IReadOnlyList<LedgerRecord> records, string path) =>
        AtomicFile.Write(path, stream => WriteAsync(records, stream).GetAwaiter().GetResult());

    /// <summary>Reads a ledger file written by <see cref="Write"/>.</summary>
    public static IReadOnlyList<LedgerRecord> Read(string path) => ReadAsync(path).GetAwaiter().GetResult();

    private static async Task WriteAsync(IReadOnlyList<LedgerRecord> r, Stream stream)
    {
        var f = Schema.GetDataFields();
        var writer = await ParquetWriter.CreateAsync(Schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            using var g = writer.CreateRowGroup();
            await g.WriteAsync(f[0], r.Select(x => x.Model).ToArray()).ConfigureAwait(false);
            await g.WriteAsync(f[1], r.Select(x => x.ChunkKey).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<int>(f[2], r.Select(x => x.ChunkIndex).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<DateTime>(f[3], r.Select(x => x.ChunkStartDate).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<DateTime>(f[4], r.Select(x => x.ChunkEndDate).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<long>(f[5], r.Select(x => x.ChunkRows).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<bool>(f[6], r.Select(x => x.Provisional).ToArray()).ConfigureAwait(false);
            await g.WriteAsync(f[7], r.Select(x => x.Metric).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<double>(f[8], r.Select(x => x.Estimated).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<double>(f[9], r.Select(x => x.LowerConfidenceBound).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<double>(f[10], r.Select(x => x.UpperConfidenceBound).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<double>(f[11], r.Select(x => x.Realized).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<double>(f[12], r.Select(x => x.Error).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<bool>(f[13], r.Select(x => x.InsideBand).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<double>(f[14], r.Select(x => x.TargetsMissingRate).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<long>(f[15], r.Select(x => x.LabelledRows).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<DateTime>(f[16], r.Select(x => x.LabelsArrivedAt).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<DateTime>(f[17], r.Select(x => x.ReconciledAt).ToArray()).ConfigureAwait(false);
            await g.WriteAsync(f[18], r.Select(x => x.RunId).ToArray()).ConfigureAwait(false);
            await g.WriteAsync(f[19], r.Select(x => x.DriftColumns).ToArray()).ConfigureAwait(false);
            await g.WriteAsync<bool>(f[20], r.Select(x => x.AssumptionViolated).ToArray()).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<LedgerRecord>> ReadAsync(string path)
    {
        var records = new List<LedgerRecord>();
        await ParquetInput.ReadRowGroupsAsync(path, async (g, f, n) =>
        {
            var model = await ParquetInput.ReadStringsAsync(g, f[0], n).ConfigureAwait(false);
            var key = await ParquetInput.ReadStringsAsync(g, f[1], n).ConfigureAwait(false);
            var index = await ParquetInput.ReadRequiredAsync<int>(g, f[2], n).ConfigureAwait(false);
            var start = await ParquetInput.ReadNullableAsync<DateTime>(g, f[3], n).ConfigureAwait(false);
            var end = await ParquetInput.ReadNullableAsync<DateTime>(g, f[4], n).ConfigureAwait(false);
            var rows = await ParquetInput.ReadRequiredAsync<long>(g, f[5], n).ConfigureAwait(false);
            var provisional = await ParquetInput.ReadRequiredAsync<bool>(g, f[6], n).ConfigureAwait(false);
            var metric = await ParquetInput.ReadStringsAsync(g, f[7], n).ConfigureAwait(false);
            var estimated = await ParquetInput.ReadNullableAsync<double>(g, f[8], n).ConfigureAwait(false);
            var lower = await ParquetInput.ReadNullableAsync<double>(g, f[9], n).ConfigureAwait(false);
            var upper = await ParquetInput.ReadNullableAsync<double>(g, f[10], n).ConfigureAwait(false);
            var realized = await ParquetInput.ReadNullableAsync<double>(g, f[11], n).ConfigureAwait(false);
            var error = await ParquetInput.ReadNullableAsync<double>(g, f[12], n).ConfigureAwait(false);
            var inside = await ParquetInput.ReadNullableAsync<bool>(g, f[13], n).ConfigureAwait(false);
            var missing = await ParquetInput.ReadRequiredAsync<double>(g, f[14], n).ConfigureAwait(false);
            var labelled = await ParquetInput.ReadRequiredAsync<long>(g, f[15], n).ConfigureAwait(false);
            var arrived = await ParquetInput.ReadNullableAsync<DateTime>(g, f[16], n).ConfigureAwait(false);
            var reconciled = await ParquetInput.ReadRequiredAsync<DateTime>(g, f[17], n).ConfigureAwait(false);
            var run = await ParquetInput.ReadStringsAsync(g, f[18], n).ConfigureAwait(false);

            // Ledgers written before drift_columns existed have 19 columns.
            var drift = f.Length > 19 ? await ParquetInput.ReadStringsAsync(g, f[19], n).ConfigureAwait(false) : new string?[n];
            var violated = f.Length > 20 ? await ParquetInput.ReadNullableAsync<bool>(g, f[20], n).ConfigureAwait(false) : new bool?[n];
            for (var i = 0; i < n; i++)
            {
                records.Add(new LedgerRecord(
                    model[i]!, key[i]!, index[i], Utc(start[i]), Utc(end[i]), rows[i], provisional[i], metric[i]!, estimated[i], lower[i], upper[i],
                    realized[i], error[i], inside[i], missing[i], labelled[i], Utc(arrived[i]), DateTime.SpecifyKind(reconciled[i], DateTimeKind.Utc), run[i]!)
                {
                    DriftColumns = drift[i],
                    AssumptionViolated = violated[i],
                });
            }
        }).ConfigureAwait(false);

        return records;

        static DateTime? Utc(DateTime? d) => d is DateTime v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
    }
}

/// <summary>A label file the model has read.</summary>
/// <param name="Path">Full path.</param>
/// <param name="Length">Length when read.</param>
/// <param name="LastWriteUtc">Last write time when read.</param>
/// <param name="FirstSeenUtc">When the store first read it: the labels' arrival time.</param>
/// <param name="Rows">Label rows in it.</param>
internal sealed record LabelFile(string Path, long Length, DateTime LastWriteUtc, DateTime FirstSeenUtc, long Rows);

/// <summary>A model's committed reconciliation state.</summary>
/// <param name="FormatVersion">Format of this file.</param>
/// <param name="Files">Label files read, in order.</param>
/// <param name="LabelsFile">The current label index file under <c>labels/</c>.</param>
/// <param name="Runs">Reconcile runs committed.</param>
/// <param name="DuplicateIds">Label rows whose id had already arrived.</param>
/// <param name="ConflictingDuplicates">Duplicates disagreeing with the label kept.</param>
/// <param name="LabelledPerChunk">Labelled rows per chunk index at the last run.</param>
internal sealed record ReconcileState(
    int FormatVersion,
    IReadOnlyList<LabelFile> Files,
    string? LabelsFile,
    long Runs,
    long DuplicateIds,
    long ConflictingDuplicates,
    IReadOnlyDictionary<int, long> LabelledPerChunk)
{
    /// <summary>Per chunk index, the metrics whose ledger rows were marked as violating the assumption at the last run (comma-separated).</summary>
    public IReadOnlyDictionary<int, string> ViolatedPerChunk { get; init; } = new Dictionary<int, string>();

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static ReconcileState Empty { get; } = new(1, [], null, 0, 0, 0, new Dictionary<int, long>());

    public static ReconcileState Load(string path)
    {
        if (!File.Exists(path))
        {
            return Empty;
        }

        try
        {
            return JsonSerializer.Deserialize<ReconcileState>(File.ReadAllText(path), Json) ?? Empty;
        }
        catch (JsonException e)
        {
            throw new EstimatorDataException($"the store's reconciliation state is unreadable: {e.Message}", path, innerException: e);
        }
    }

    public void Save(string path) => AtomicFile.WriteText(path, JsonSerializer.Serialize(this, Json));

    public static string SerializeSummary(ReconciliationSummary summary) => JsonSerializer.Serialize(summary, Json);

    public static ReconciliationSummary? ReadSummary(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<ReconciliationSummary>(File.ReadAllText(path), Json) : null;
}
