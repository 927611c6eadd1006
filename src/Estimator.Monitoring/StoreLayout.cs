namespace Estimator.Monitoring;

/// <summary>
/// Where each of a model's files lives under the store's root: the one place that names them, so the runs, the
/// reconciliation, the alerting and the summary agree on the layout described on <see cref="ModelRunner"/>.
/// </summary>
/// <param name="root">The store's root directory (absolute).</param>
internal sealed class StoreLayout(string root)
{
    public string Root { get; } = root;

    public string ModelDirectory(string model) => Path.Combine(Root, model);

    public string StatePath(string model) => Path.Combine(ModelDirectory(model), "state.json");

    public string RejectedPath(string model) => Path.Combine(ModelDirectory(model), "rejected.json");

    public string LockPath(string model) => Path.Combine(ModelDirectory(model), ".lock");

    public string FittedPath(string model, string fingerprint) => Path.Combine(ModelDirectory(model), "fitted", fingerprint + ".json");

    public string ReferenceEstimatesPath(string model) => Path.Combine(ModelDirectory(model), "estimates", "reference.parquet");

    public string AnalysisEstimatesDirectory(string model) => Path.Combine(ModelDirectory(model), "estimates", "analysis");

    public string AnalysisEstimatesPath(string model, int index) =>
        Path.Combine(AnalysisEstimatesDirectory(model), string.Create(CultureInfo.InvariantCulture, $"chunk-{index:D6}.parquet"));

    public string DriftDirectory(string model) => Path.Combine(ModelDirectory(model), "drift");

    public string DriftReferencePath(string model) => Path.Combine(DriftDirectory(model), "reference.parquet");

    public string DriftPath(string model, int index) =>
        Path.Combine(DriftDirectory(model), string.Create(CultureInfo.InvariantCulture, $"chunk-{index:D6}.parquet"));

    public string RowsDirectory(string model) => Path.Combine(ModelDirectory(model), "rows");

    public string RowsPath(string model, ChunkState chunk) => Path.Combine(RowsDirectory(model), chunk.RowsFile);

    public static string RowsFileName(int index, long run) => string.Create(CultureInfo.InvariantCulture, $"chunk-{index:D6}-run{run:D6}.parquet");

    public string PendingDirectory(string model) => Path.Combine(ModelDirectory(model), "pending");

    public string SegmentPath(string model, string item) => Path.Combine(PendingDirectory(model), item + ".parquet");

    public string DonePath(string model, string item) => Path.Combine(PendingDirectory(model), item + ".done");

    public string ItemLockPath(string model, string item) => Path.Combine(PendingDirectory(model), item + ".lock");

    public string ReconciliationDirectory(string model) => Path.Combine(ModelDirectory(model), "reconciliation");

    public string ReconcileStatePath(string model) => Path.Combine(ReconciliationDirectory(model), "state.json");

    public string ReconciliationSummaryPath(string model) => Path.Combine(ReconciliationDirectory(model), "summary.json");

    public string LedgerPath(string model, int index) =>
        Path.Combine(ReconciliationDirectory(model), string.Create(CultureInfo.InvariantCulture, $"chunk-{index:D6}.parquet"));

    public string LabelsDirectory(string model) => Path.Combine(ModelDirectory(model), "labels");

    public string AlertsDirectory(string model) => Path.Combine(ModelDirectory(model), "alerts");

    public string OutboxPath(string model, string box, string id) => Path.Combine(ModelDirectory(model), "outbox", box, id + ".json");

    public string OutboxDirectory(string model, string box) => Path.Combine(ModelDirectory(model), "outbox", box);

    public string RemediationDirectory(string model, string box) => Path.Combine(ModelDirectory(model), "remediation", box);

    public string RemediationPath(string model, string box, string id) => Path.Combine(RemediationDirectory(model, box), id + ".json");

    public string IncidentsPath(string model) => Path.Combine(ModelDirectory(model), "remediation", "incidents.json");

    public string SummaryPath(string model) => Path.Combine(ModelDirectory(model), "summary.json");

    /// <summary>Run ids sort by time and sequence: <c>yyyyMMddTHHmmssZ-NNNNNN</c>.</summary>
    public static string RunId(long sequence, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{sequence:D6}");

    /// <summary>The model name, checked for the public read methods (a programming error when unsafe).</summary>
    public static string CheckedName(string model) =>
        ModelNames.IsValid(model) ? model : throw new ArgumentException($"'{model}' is not a safe model name.", nameof(model));
}
