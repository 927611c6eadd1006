namespace Estimator.Monitoring;

/// <summary>What a calibrate run did.</summary>
/// <param name="Refitted">Whether the model was fitted now (first run, or the reference content or the options changed).</param>
/// <param name="Fingerprint">SHA-256 over the reference file's content and the estimation options; names the fitted model in the store.</param>
/// <param name="CalibrationApplied">Whether scores are calibrated.</param>
public sealed record CalibrationOutcome(bool Refitted, string Fingerprint, bool CalibrationApplied);

/// <summary>What an estimate run did.</summary>
/// <param name="RunId">Identifier of this run, written to every estimate row it produced; empty when there was nothing to do.</param>
/// <param name="FilesProcessed">Analysis files picked up by this run (new since the last run), in processing order.</param>
/// <param name="RowsProcessed">Analysis rows read by this run.</param>
/// <param name="ChunksFinalized">Chunks written as final by this run.</param>
/// <param name="ChunksProvisional">Chunks written as provisional (still filling, or period still open) by this run.</param>
public sealed record EstimateOutcome(string RunId, IReadOnlyList<string> FilesProcessed, long RowsProcessed, int ChunksFinalized, int ChunksProvisional)
{
    /// <summary>Work items the run was split into (1 when it was not split, 0 when there was nothing to do).</summary>
    public int WorkItems { get; init; }

    /// <summary>Analysis files this run set aside as unusable (each with its error); the run estimated the others around them.</summary>
    public IReadOnlyList<RejectedFile> Rejected { get; init; } = [];

    /// <summary>
    /// Analysis files the run left for a later one: not yet settled (still being written), or set aside before and
    /// unchanged (tried again once they change). While there are any, the next run is needed even if no file arrives.
    /// </summary>
    public int Waiting { get; init; }
}

/// <summary>
/// Runs a model's jobs against the store. <see cref="Calibrate(ModelDefinition, CancellationToken)"/> fits on the reference when it is new or changed and
/// persists the fitted model. <see cref="Estimate(ModelDefinition, CancellationToken)"/> picks up analysis files not yet processed and chunks the stream as
/// the core chunks a whole data set: size-based chunks continue across files, and a chunk still filling (or a period
/// still open) is estimated provisionally and replaced when complete. Both are idempotent and crash-safe: every file is
/// written to a temporary name and renamed into place, and the model's state is committed last, so a run killed at any
/// point leaves the store as it was or as a finished run would, and running again finishes the work.
/// </summary>
/// <remarks>
/// <para>Store layout under <c>&lt;store&gt;/&lt;model&gt;/</c>:</para>
/// <list type="bullet">
/// <item><c>estimates/reference.parquet</c> — the reference period's rows.</item>
/// <item><c>estimates/analysis/chunk-NNNNNN.parquet</c> — one file per analysis chunk (final or provisional), so each
/// chunk × metric is in exactly one file and a provisional chunk is replaced by one rename.</item>
/// <item><c>rows/chunk-NNNNNN-runRRRRRR.parquet</c> — the chunk's rows (id, timestamp, score, prediction; a regression
/// model's predicted value and input columns), to complete open chunks, merge late rows, join labels and re-estimate.</item>
/// <item><c>drift/reference.parquet</c>, <c>drift/chunk-NNNNNN.parquet</c> — a model's drift and data-quality rows (drift-file schema), when it measures its inputs.</item>
/// <item><c>fitted/&lt;fingerprint&gt;.json</c> — the fitted estimator, and the fitted drift and quality calculators; <c>state.json</c> — the open chunks, the latest
/// consumed files and the logs' committed lengths (<see cref="ModelState"/>); <c>chunks/</c> — the final chunks' log;
/// <c>consumed.jsonl</c>, <c>consumed.idx</c> — the older consumed files.</item>
/// </list>
/// <para>Rows are ordered by timestamp when there is one. Size chunks: rows that arrive later than the last final
/// chunk's end go to the open chunk (final chunks are never reshuffled) and are counted in the log. Period chunks: late
/// rows for a closed period rebuild the chunks from the stored rows. Number (and default) chunking depends on the total
/// row count, so every run re-forms all chunks from the stored rows.</para>
/// </remarks>
public sealed class ModelRunner
{
    private readonly StoreContext _context;
    private readonly ChunkFiles _files;
    private readonly ModelSummaries _summaries;
    private readonly WorkItems _workItems;
    private readonly FitRun _fit;
    private readonly EstimateRun _estimate;
    private readonly Reconciler _reconciler;
    private readonly AlertOutbox _outbox;
    private readonly AlertEvaluator _alerts;
    private readonly FittedSummaries _fittedSummaries;
    private readonly RemediationOutbox _remediation;
    private readonly RemediationPlanner _planner;

    /// <summary>Creates a runner over the store directory.</summary>
    /// <param name="storeDirectory">The store's root; created when missing.</param>
    /// <param name="time">The clock (for <c>estimated_at</c>, run ids and the settle time).</param>
    /// <param name="logger">Where warnings and progress go.</param>
    public ModelRunner(string storeDirectory, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(storeDirectory);
        StoreDirectory = Path.GetFullPath(storeDirectory);
        _context = new StoreContext(StoreDirectory, time ?? TimeProvider.System, logger);
        _files = new ChunkFiles(_context);
        _summaries = new ModelSummaries(_context);
        var formation = new ChunkFormation(_context, _files);
        _workItems = new WorkItems(_context, _files);
        _fit = new FitRun(_context, _files, formation, _workItems, _summaries, new InputFit(_context, _files, _summaries));
        _estimate = new EstimateRun(_context, _files, formation, _workItems, _fit, _summaries);
        _outbox = new AlertOutbox(_context);
        _reconciler = new Reconciler(_context, _files, _fit, _summaries, _outbox);
        _alerts = new AlertEvaluator(_context, _files, _outbox, _summaries, (model, chunks) => model.Inputs.Drift is null ? null : _files.ReadDrift(model.Name, chunks));
        _fittedSummaries = new FittedSummaries(_context);
        _remediation = new RemediationOutbox(_context);
        _planner = new RemediationPlanner(_context, _remediation, new RemediationLedger(_context));
    }

    /// <summary>The store's root directory.</summary>
    public string StoreDirectory { get; }

    /// <summary>An analysis file is picked up only once it has not been written to for this long (a producer may still be copying it).</summary>
    /// <value>Default: 2 seconds.</value>
    public TimeSpan FileSettleTime { get => _context.FileSettleTime; init => _context.FileSettleTime = value; }

    /// <summary>
    /// A run whose new or changed chunks hold more rows than this is split into work items of about this many rows (whole
    /// chunks), when the caller hands items off (see <see cref="Estimate(ModelDefinition, Action{IReadOnlyList{string}}?, CancellationToken)"/>);
    /// 0 or less never splits.
    /// </summary>
    /// <value>Default: 50,000 rows.</value>
    public int WorkItemRows { get => _context.WorkItemRows; init => _context.WorkItemRows = value; }

    /// <summary>How long a split run's planner leaves its handed-off items to other workers before it runs the ones nobody has started.</summary>
    /// <value>Default: zero (it starts at once).</value>
    public TimeSpan WorkItemGrace { get => _context.WorkItemGrace; init => _context.WorkItemGrace = value; }

    /// <summary>
    /// How long a delivered notification stays in the model's <c>outbox/sent/</c>; older ones are removed after a later
    /// delivery (except the newest of each alert and the newest firing one, which a resolve is routed by).
    /// </summary>
    /// <value>Default: 30 days.</value>
    public TimeSpan SentRetention { get => _outbox.Sent.Retention; init => _outbox.Sent.Retention = value; }

    /// <summary>How many delivered notifications a model's <c>outbox/sent/</c> keeps at most (the same exceptions as <see cref="SentRetention"/>).</summary>
    /// <value>Default: 1,000.</value>
    public int SentLimit { get => _outbox.Sent.Limit; init => _outbox.Sent.Limit = value; }

    /// <summary>
    /// Tells, when an evaluation queues a notification, that no channel will receive it (the host's routing: a model
    /// without channels, or a trigger whose severity no channel takes). Such a notification is recorded as delivered to
    /// <see cref="NoChannel"/> straight in <c>outbox/sent/</c>, in one atomic write, instead of waiting in
    /// <c>outbox/pending/</c> for a delivery pass that would only move it there; the file is the same either way.
    /// </summary>
    /// <value>Default: null (every notification waits in <c>outbox/pending/</c>).</value>
    public Func<AlertNotification, bool>? Unrouted { get => _context.Unrouted; init => _context.Unrouted = value; }

    /// <summary>The channel name under which a notification routed to no channel is recorded as delivered.</summary>
    public const string NoChannel = "(none)";

    /// <summary>
    /// The stamp of what <paramref name="model"/>'s estimate run depends on (reference, analysis folder, committed state),
    /// taken now; null when file stamps cannot tell (the model is then run every time).
    /// </summary>
    /// <param name="model">The model.</param>
    public InputStamp? Stamp(ModelDefinition model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return InputStamp.Of(model, _context.Layout.StatePath(StoreLayout.CheckedName(model.Name)), _context.Time.GetUtcNow().UtcDateTime);
    }

    /// <summary>Called just before an estimate run commits its state (tests use it to simulate a crash there).</summary>
    internal Action<string>? BeforeCommit { get => _context.BeforeCommit; init => _context.BeforeCommit = value; }

    /// <summary>Whether <paramref name="name"/> is a safe model name (<see cref="ModelNames"/>: the configuration checks the same rule).</summary>
    public static bool IsSafeName(string? name) => ModelNames.IsValid(name);

    /// <summary>Fits the model on its reference unless the fitted model for this reference content and these options is stored.</summary>
    /// <exception cref="EstimatorDataException">The reference is missing or holds bad data; the store is unchanged.</exception>
    public CalibrationOutcome Calibrate(ModelDefinition model, CancellationToken cancellationToken = default) => Calibrate(model, null, cancellationToken);

    /// <summary>
    /// Fits the model on its reference unless the fitted model for this reference content and these options is stored,
    /// reporting the fit (and the re-estimation of stored chunks it causes) to <paramref name="progress"/>.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="progress">Receives progress on the calling thread; nothing is reported when the model is already fitted.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="EstimatorDataException">The reference is missing or holds bad data; the store is unchanged.</exception>
    public CalibrationOutcome Calibrate(ModelDefinition model, IProgress<RunProgress>? progress, CancellationToken cancellationToken = default) =>
        FitUnderLock(model, progress, cancellationToken).Outcome;

    /// <summary>Estimates the analysis files that arrived since the last run (calibrating first when needed), all in this call.</summary>
    /// <exception cref="EstimatorDataException">A new analysis file is missing columns or holds bad data; nothing of this run is committed.</exception>
    public EstimateOutcome Estimate(ModelDefinition model, CancellationToken cancellationToken = default) => Estimate(model, null, cancellationToken);

    /// <summary>
    /// Estimates the analysis files that arrived since the last run (calibrating first when needed). When
    /// <paramref name="handOff"/> is given and the run's new or changed chunks hold more than <see cref="WorkItemRows"/>
    /// rows, the run is split into work items of contiguous chunks: this call estimates the first, commits the plan
    /// (chunk list and pending items, the items' rows in segment files) and passes the other items' ids to
    /// <paramref name="handOff"/>, so other workers can run them with <see cref="EstimateWorkItem(string, string, CancellationToken)"/>; it then works
    /// through whichever items nobody has taken, waits for the rest and settles the run. Either way the store ends as one
    /// undivided run would leave it.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="handOff">Receives the ids of the work items other workers may take (e.g. to enqueue a job per item); null keeps the run in this call.</param>
    /// <param name="cancellationToken">Cancels the run; a cancelled split run's items stay pending and the model's next run finishes them.</param>
    /// <exception cref="EstimatorDataException">A new analysis file is missing columns or holds bad data; nothing of this run is committed.</exception>
    public EstimateOutcome Estimate(ModelDefinition model, Action<IReadOnlyList<string>>? handOff, CancellationToken cancellationToken = default) =>
        Estimate(model, handOff, null, cancellationToken);

    /// <summary>
    /// As <see cref="Estimate(ModelDefinition, Action{IReadOnlyList{string}}?, CancellationToken)"/>, reporting progress
    /// after each file read and each chunk written: fitting (when the reference is new or changed), reading files,
    /// estimating chunks, settling work items (a split run), done. A run with nothing to do reports nothing.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="handOff">Receives the ids of the work items other workers may take; null keeps the run in this call.</param>
    /// <param name="progress">Receives progress on the calling thread (keep it cheap: it is called once per file and chunk).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="EstimatorDataException">A new analysis file is missing columns or holds bad data; nothing of this run is committed.</exception>
    public EstimateOutcome Estimate(ModelDefinition model, Action<IReadOnlyList<string>>? handOff, IProgress<RunProgress>? progress, CancellationToken cancellationToken = default) =>
        _estimate.Run(model, handOff, progress, cancellationToken);

    /// <summary>
    /// The model's fitted estimator for its current reference and options, fitting it first when needed (as a calibrate
    /// run does); the online path estimates its window with it.
    /// </summary>
    /// <exception cref="EstimatorDataException">The reference is missing or holds bad data.</exception>
    public IFittedCalculator Fitted(ModelDefinition model, CancellationToken cancellationToken = default) =>
        FitUnderLock(model, null, cancellationToken).Fitted;

    /// <summary>A calibrate run as a request (see <see cref="Calibrate(ModelDefinition, IProgress{RunProgress}?, CancellationToken)"/>).</summary>
    public CalibrationOutcome Calibrate(CalibrateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Calibrate(request.Model, request.Progress, cancellationToken);
    }

    /// <summary>An estimate run as a request (see <see cref="Estimate(ModelDefinition, Action{IReadOnlyList{string}}?, IProgress{RunProgress}?, CancellationToken)"/>).</summary>
    public EstimateOutcome Estimate(EstimateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _estimate.Run(request.Model, request.HandOff, request.Progress, cancellationToken);
    }

    /// <summary>A work item as a request (see <see cref="EstimateWorkItem(string, string, IProgress{RunProgress}?, CancellationToken)"/>).</summary>
    public WorkItemOutcome? EstimateWorkItem(WorkItemRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return EstimateWorkItem(request.Model, request.Item, request.Progress, cancellationToken);
    }

    /// <summary>The model's analysis files set aside as unusable, with their errors (tried again once a file changes).</summary>
    public IReadOnlyList<RejectedFile> ReadRejected(string model) =>
        RejectedFiles.Load(_context.Layout.RejectedPath(StoreLayout.CheckedName(model)));

    /// <summary>The model's current fit in words (calibration, or a regression model's error models), or null before its first fit.</summary>
    public FittedSummary? ReadFittedSummary(string model) => _fittedSummaries.Read(StoreLayout.CheckedName(model));

    /// <summary>The model's current estimates: reference rows, then analysis chunks in order; each chunk × metric once.</summary>
    public IReadOnlyList<EstimateRecord> ReadEstimates(string model) => _files.ReadEstimates(StoreLayout.CheckedName(model));

    /// <summary>
    /// The latest final analysis chunk's records, one per metric (what <c>/metrics</c> reports): from the model's summary
    /// when it is current, so a scrape reads one small file, else from the estimate files.
    /// </summary>
    public IReadOnlyList<EstimateRecord> ReadLatestEstimates(string model)
    {
        var name = StoreLayout.CheckedName(model);
        if (_summaries.Load(name) is { } summary && File.Exists(_context.Layout.StatePath(name))
            && File.GetLastWriteTimeUtc(_context.Layout.SummaryPath(name)) >= File.GetLastWriteTimeUtc(_context.Layout.StatePath(name)))
        {
            return [.. summary.Metrics.Select(m => m.Latest)];
        }

        return [.. _files.ReadEstimates(name).Where(r => r.Period == "analysis" && !r.Provisional).GroupBy(r => r.Metric).Select(g => g.MaxBy(r => r.ChunkIndex)!)];
    }

    /// <summary>
    /// The model's stored drift and data-quality rows (drift-file schema, see <c>DRIFT_FILE_SCHEMA.md</c>): the
    /// reference chunks', then every analysis chunk's in chunk order (provisional chunks included); empty for a model
    /// that measures none.
    /// </summary>
    /// <param name="model">The model's name.</param>
    public IReadOnlyList<ChunkEstimate> ReadDrift(string model) => _files.ReadDrift(StoreLayout.CheckedName(model), null);

    /// <summary>The stored drift and data-quality rows of the given analysis chunks, in chunk order (a chunk without a drift file gives none).</summary>
    /// <param name="model">The model's name.</param>
    /// <param name="chunkIndices">The chunks' indices.</param>
    public IReadOnlyList<ChunkEstimate> ReadDrift(string model, IReadOnlyCollection<int> chunkIndices)
    {
        ArgumentNullException.ThrowIfNull(chunkIndices);
        return _files.ReadDrift(StoreLayout.CheckedName(model), chunkIndices);
    }

    /// <summary>
    /// The latest final analysis chunk's drift and quality values (what <c>/metrics</c> reports): from the model's
    /// summary when it is current, else from that chunk's drift file.
    /// </summary>
    /// <param name="model">The model's name.</param>
    public IReadOnlyList<DriftValue> ReadLatestDrift(string model)
    {
        var name = StoreLayout.CheckedName(model);
        var statePath = _context.Layout.StatePath(name);
        if (!File.Exists(statePath))
        {
            return [];
        }

        if (_summaries.Load(name) is { Drift: { } drift } && File.GetLastWriteTimeUtc(_context.Layout.SummaryPath(name)) >= File.GetLastWriteTimeUtc(statePath))
        {
            return drift;
        }

        var state = _context.States.Load(statePath);
        var latest = _context.ChunkLog.ReadAll(name, state).LastOrDefault(c => c.Visible && c.Final);
        return state.InputFingerprint is null || latest is null ? [] : [.. _files.ReadDrift(name, [latest.Index]).Select(DriftValue.From)];
    }

    /// <summary>
    /// Runs one work item handed off by <see cref="Estimate(ModelDefinition, Action{IReadOnlyList{string}}?, CancellationToken)"/>:
    /// writes its chunks' rows and estimates. Does not take the model's lock, so items of one run proceed in parallel.
    /// </summary>
    /// <param name="model">The model's name.</param>
    /// <param name="item">The item's id as handed off (<c>runNNNNNN-itemNNN</c>).</param>
    /// <param name="cancellationToken">Cancels the item; it stays pending and is run again by another worker or the model's next run.</param>
    /// <returns>What the item did; null when it was already done, another worker is running it, or its run was settled.</returns>
    /// <exception cref="EstimatorDataException">The model name or item id is malformed, or the item's stored rows are unreadable.</exception>
    public WorkItemOutcome? EstimateWorkItem(string model, string item, CancellationToken cancellationToken = default) =>
        EstimateWorkItem(model, item, null, cancellationToken);

    /// <summary>
    /// As <see cref="EstimateWorkItem(string, string, CancellationToken)"/>, reporting progress (estimating, then done)
    /// after each chunk written; an item with nothing to do reports nothing.
    /// </summary>
    /// <param name="model">The model's name.</param>
    /// <param name="item">The item's id as handed off (<c>runNNNNNN-itemNNN</c>).</param>
    /// <param name="progress">Receives progress on the calling thread, with <see cref="RunProgress.Item"/> set.</param>
    /// <param name="cancellationToken">Cancels the item; it stays pending and is run again by another worker or the model's next run.</param>
    /// <returns>What the item did; null when it was already done, another worker is running it, or its run was settled.</returns>
    /// <exception cref="EstimatorDataException">The model name or item id is malformed, or the item's stored rows are unreadable.</exception>
    public WorkItemOutcome? EstimateWorkItem(string model, string item, IProgress<RunProgress>? progress, CancellationToken cancellationToken = default)
    {
        var name = StoreLayout.CheckedName(model);
        var tracker = new RunTracker(name, progress, _context.Time, item);
        var outcome = _workItems.Run(name, item, wait: false, cancellationToken, tracker.ChunkWritten, (chunks, rows) =>
        {
            tracker.RowsRead = rows;
            tracker.TotalChunks = chunks;
            tracker.Enter(RunPhase.Estimating);
        });
        tracker.Finish();
        return outcome;
    }

    /// <summary>
    /// Reads label files that arrived since the last run, joins all labels to the analysis rows by id (rows without a
    /// label stay pending, never dropped), and for every chunk whose labels changed rewrites its estimate file with the
    /// realized values and its ledger file (<c>reconciliation/chunk-NNNNNN.parquet</c>); then writes the model's summary
    /// (<c>reconciliation/summary.json</c>). A repeated id is counted (the first label is kept), never silently used twice.
    /// </summary>
    /// <exception cref="EstimatorDataException">The model has no targets source or id column, or a label file holds bad data; nothing of this run is committed.</exception>
    public ReconcileOutcome Reconcile(ModelDefinition model, CancellationToken cancellationToken = default) => _reconciler.Run(model, cancellationToken);

    /// <summary>The model's reconciliation ledger: every chunk × metric with labels, in chunk order.</summary>
    public IReadOnlyList<LedgerRecord> ReadLedger(string model) => _reconciler.ReadLedger(model);

    /// <summary>The model's last reconciliation summary, or null before the first reconcile run.</summary>
    public ReconciliationSummary? ReadReconciliationSummary(string model) => _reconciler.ReadSummary(model);

    /// <summary>
    /// Evaluates the model's objectives and reference thresholds over its final analysis chunks, queues a notification
    /// for every alert state change not queued before (<c>outbox/pending/</c>), and writes the current states
    /// (<c>alerts/current.json</c>), per-chunk flags (<c>alerts/flags.json</c>) and the model's summary
    /// (<c>summary.json</c>). Provisional chunks never alert. Only the chunks that became final since the last
    /// evaluation are read (see <see cref="ModelSummary"/>); when nothing was committed since this runner last evaluated
    /// the same definition, the last outcome is returned (with nothing enqueued).
    /// </summary>
    public AlertOutcome EvaluateAlerts(ModelDefinition model, CancellationToken cancellationToken = default) => _alerts.Evaluate(model, cancellationToken);

    /// <summary>The alerts' current states as of the last evaluation (empty before the first).</summary>
    public IReadOnlyList<AlertStatus> ReadAlertStatus(string model) => _outbox.ReadCurrent(model);

    /// <summary>Notifications of the model waiting for delivery, oldest first.</summary>
    public IReadOnlyList<AlertNotification> PendingNotifications(string model) => _outbox.Read(model, "pending");

    /// <summary>Notifications of the model delivered to every channel they were routed to.</summary>
    public IReadOnlyList<AlertNotification> SentNotifications(string model) => _outbox.Read(model, "sent");

    /// <summary>
    /// Records a delivery: the notification's <see cref="AlertNotification.Delivered"/> gains the channel; once
    /// <paramref name="complete"/>, it moves from <c>pending/</c> to <c>sent/</c>. Each step is one atomic file operation,
    /// so after a crash a channel already recorded is never sent to again.
    /// </summary>
    public AlertNotification RecordDelivery(AlertNotification notification, string channel, bool complete) => _outbox.RecordDelivery(notification, channel, complete);

    /// <summary>
    /// Folds the model's pending notifications into its incidents and queues one remediation action per incident and
    /// target once the incident reaches the target's severity (<c>remediation/pending/</c>); returns the actions queued
    /// now. Call it before delivering the notifications (a notification that left the outbox is never folded).
    /// </summary>
    public IReadOnlyList<RemediationAction> PlanRemediation(string model, IReadOnlyList<RemediationRule> rules) => _planner.Plan(model, rules, PendingNotifications(model));

    /// <summary>
    /// <see cref="PlanRemediation(string, IReadOnlyList{RemediationRule})"/> over <paramref name="pending"/>, the pending
    /// notifications the caller read and will deliver next: only those may leave the outbox after this plan, so a
    /// notification written meanwhile (an estimate run in another worker) waits for the next plan instead of being
    /// delivered unfolded.
    /// </summary>
    public IReadOnlyList<RemediationAction> PlanRemediation(string model, IReadOnlyList<RemediationRule> rules, IReadOnlyList<AlertNotification> pending) => _planner.Plan(model, rules, pending);

    /// <summary>The model's remediation actions in <paramref name="box"/> (<c>pending</c> or <c>sent</c>), oldest incident first.</summary>
    public IReadOnlyList<RemediationAction> RemediationActions(string model, string box) => _remediation.Read(model, box);

    /// <summary>Whether the action was sent already (after a crash between its delivery steps).</summary>
    public bool RemediationSent(RemediationAction action) => _remediation.WasSent(action);

    /// <summary>Records a delivery pass of an action: sent when <paramref name="error"/> is null, else failed (it stays pending).</summary>
    public RemediationAction RecordRemediation(RemediationAction action, string? error) => _remediation.Record(action, error);

    /// <summary>A calibrate run under the model's lock (fits unless the fitted model is stored), tracked to its end.</summary>
    private FitResult FitUnderLock(ModelDefinition model, IProgress<RunProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var _ = _context.Locks.Acquire(model.Name, cancellationToken);
        var tracker = new RunTracker(model.Name, progress, _context.Time);
        var result = _fit.RunLocked(model, tracker, cancellationToken);
        tracker.Finish();
        return result;
    }
}
