using Estimator.Estimation;

namespace Estimator.Host;

/// <summary>
/// What the host's jobs and the Models page need from the store. The host registers <see cref="ModelRunnerStore"/>
/// (the real <see cref="ModelRunner"/>); tests may register a double instead.
/// </summary>
public interface IModelStore
{
    /// <summary>Fits the model on its reference unless it is already fitted for this reference content.</summary>
    /// <param name="request">The model, and where progress goes.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    CalibrationOutcome Calibrate(CalibrateRequest request, CancellationToken cancellationToken);

    /// <summary>The model's fitted estimator (fitting it first when needed), or null when the store cannot give one (a test double).</summary>
    /// <param name="model">The model.</param>
    /// <param name="cancellationToken">Cancels the fit.</param>
    Calculators.IFittedCalculator? Fitted(ModelDefinition model, CancellationToken cancellationToken) => null;

    /// <summary>
    /// Estimates the analysis files that arrived since the last run. With <see cref="EstimateRequest.HandOff"/>, a large
    /// run is split into work items whose ids go to it (to be queued for other workers), and the call returns once every
    /// item is done.
    /// </summary>
    /// <param name="request">The model, the hand-off and where progress goes.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    EstimateOutcome Estimate(EstimateRequest request, CancellationToken cancellationToken);

    /// <summary>Runs one handed-off work item of a split estimate run; null when there was nothing left to do.</summary>
    /// <param name="request">The model, the item and where progress goes.</param>
    /// <param name="cancellationToken">Cancels the item.</param>
    WorkItemOutcome? EstimateWorkItem(WorkItemRequest request, CancellationToken cancellationToken);

    /// <summary>The model's current estimates (reference chunks, then analysis chunks in order).</summary>
    /// <param name="model">The model's name.</param>
    IReadOnlyList<EstimateRecord> ReadEstimates(string model);

    /// <summary>The latest final analysis chunk's records, one per metric (what <c>/metrics</c> reports).</summary>
    /// <param name="model">The model's name.</param>
    IReadOnlyList<EstimateRecord> ReadLatestEstimates(string model) =>
        [.. ReadEstimates(model).Where(r => r.Period == "analysis" && !r.Provisional).GroupBy(r => r.Metric).Select(g => g.MaxBy(r => r.ChunkIndex)!)];

    /// <summary>
    /// The model's stored drift and data-quality rows (drift-file schema): the reference chunks', then every analysis
    /// chunk's in chunk order; empty for a model without <c>drift</c> or <c>quality</c>.
    /// </summary>
    /// <param name="model">The model's name.</param>
    IReadOnlyList<ChunkEstimate> ReadDrift(string model) => [];

    /// <summary>The stored drift and data-quality rows of the given analysis chunks, in chunk order.</summary>
    /// <param name="model">The model's name.</param>
    /// <param name="chunkIndices">The chunks' indices.</param>
    IReadOnlyList<ChunkEstimate> ReadDrift(string model, IReadOnlyCollection<int> chunkIndices) =>
        [.. ReadDrift(model).Where(r => r.Period == Period.Analysis && chunkIndices.Contains(r.Chunk.Index))];

    /// <summary>The latest final analysis chunk's drift and quality values (what <c>/metrics</c> reports).</summary>
    /// <param name="model">The model's name.</param>
    IReadOnlyList<DriftValue> ReadLatestDrift(string model) => [];

    /// <summary>Joins labels that arrived since the last run and records realized values, the ledger and the summary.</summary>
    /// <param name="model">The model (with a targets source and id column).</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    ReconcileOutcome Reconcile(ModelDefinition model, CancellationToken cancellationToken);

    /// <summary>Evaluates the model's objectives and thresholds and queues each alert state change once in the outbox.</summary>
    /// <param name="model">The model.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    AlertOutcome EvaluateAlerts(ModelDefinition model, CancellationToken cancellationToken);

    /// <summary>The alerts' states as of the last evaluation.</summary>
    /// <param name="model">The model's name.</param>
    IReadOnlyList<AlertStatus> ReadAlertStatus(string model);

    /// <summary>Analysis and label files set aside as unusable, with their errors.</summary>
    /// <param name="model">The model's name.</param>
    IReadOnlyList<RejectedFile> ReadRejected(string model) => [];

    /// <summary>The model's current fit in words (a classifier's calibration, a regression model's error models), or null before its first fit.</summary>
    /// <param name="model">The model's name.</param>
    FittedSummary? ReadFittedSummary(string model) => null;

    /// <summary>The last reconciliation summary, or null.</summary>
    /// <param name="model">The model's name.</param>
    ReconciliationSummary? ReadReconciliationSummary(string model);

    /// <summary>Notifications waiting for delivery, oldest first.</summary>
    /// <param name="model">The model's name.</param>
    IReadOnlyList<AlertNotification> PendingNotifications(string model);

    /// <summary>Notifications delivered to every channel they were routed to.</summary>
    /// <param name="model">The model's name.</param>
    IReadOnlyList<AlertNotification> SentNotifications(string model);

    /// <summary>Records a delivery to <paramref name="channel"/>; moves the notification to <c>sent/</c> when <paramref name="complete"/>.</summary>
    /// <param name="notification">The notification as last read or recorded.</param>
    /// <param name="channel">The channel's name.</param>
    /// <param name="complete">Whether every routed channel now has it.</param>
    AlertNotification RecordDelivery(AlertNotification notification, string channel, bool complete);

    /// <summary>
    /// The stamp of what the model's estimate run depends on, taken now; null when file stamps cannot tell (the default:
    /// the scheduler then runs the model at every due time).
    /// </summary>
    /// <param name="model">The model.</param>
    InputStamp? Stamp(ModelDefinition model) => null;

    /// <summary>
    /// Folds <paramref name="pending"/> into the model's incidents and queues one remediation action per incident and
    /// rule once the incident reaches the rule's severity; returns the actions queued now. Called before those
    /// notifications are delivered, with the list the delivery then uses (a notification written in between waits for
    /// the next pass, so none leaves the outbox unfolded).
    /// </summary>
    /// <param name="model">The model's name.</param>
    /// <param name="rules">The model's remediation rules.</param>
    /// <param name="pending">The model's pending notifications, as read for this delivery pass.</param>
    IReadOnlyList<RemediationAction> PlanRemediation(string model, IReadOnlyList<RemediationRule> rules, IReadOnlyList<AlertNotification> pending) => [];

    /// <summary>The model's remediation actions in <paramref name="box"/> (<c>pending</c> or <c>sent</c>), oldest incident first.</summary>
    /// <param name="model">The model's name.</param>
    /// <param name="box"><c>pending</c> or <c>sent</c>.</param>
    IReadOnlyList<RemediationAction> RemediationActions(string model, string box) => [];

    /// <summary>Whether a pending action was sent already (a crash between its delivery steps); its pending copy is then removed.</summary>
    /// <param name="action">The action.</param>
    bool RemediationSent(RemediationAction action) => false;

    /// <summary>Records a delivery pass of an action: sent when <paramref name="failure"/> is null, else failed (it stays pending).</summary>
    /// <param name="action">The action as last read.</param>
    /// <param name="failure">Why the target did not accept it, or null when it did.</param>
    RemediationAction RecordRemediation(RemediationAction action, string? failure) => throw new NotSupportedException("this store keeps no remediation actions");
}

/// <summary>The store as <see cref="ModelRunner"/> implements it.</summary>
/// <param name="runner">The runner over the configured store directory.</param>
public sealed class ModelRunnerStore(ModelRunner runner) : IModelStore
{
    /// <inheritdoc />
    public CalibrationOutcome Calibrate(CalibrateRequest request, CancellationToken cancellationToken) => runner.Calibrate(request, cancellationToken);

    /// <inheritdoc />
    public Calculators.IFittedCalculator? Fitted(ModelDefinition model, CancellationToken cancellationToken) => runner.Fitted(model, cancellationToken);

    /// <inheritdoc />
    public EstimateOutcome Estimate(EstimateRequest request, CancellationToken cancellationToken) => runner.Estimate(request, cancellationToken);

    /// <inheritdoc />
    public WorkItemOutcome? EstimateWorkItem(WorkItemRequest request, CancellationToken cancellationToken) => runner.EstimateWorkItem(request, cancellationToken);

    /// <inheritdoc />
    public IReadOnlyList<EstimateRecord> ReadEstimates(string model) => runner.ReadEstimates(model);

    /// <inheritdoc />
    public IReadOnlyList<EstimateRecord> ReadLatestEstimates(string model) => runner.ReadLatestEstimates(model);

    /// <inheritdoc />
    public IReadOnlyList<ChunkEstimate> ReadDrift(string model) => runner.ReadDrift(model);

    /// <inheritdoc />
    public IReadOnlyList<ChunkEstimate> ReadDrift(string model, IReadOnlyCollection<int> chunkIndices) => runner.ReadDrift(model, chunkIndices);

    /// <inheritdoc />
    public IReadOnlyList<DriftValue> ReadLatestDrift(string model) => runner.ReadLatestDrift(model);

    /// <inheritdoc />
    public ReconcileOutcome Reconcile(ModelDefinition model, CancellationToken cancellationToken) => runner.Reconcile(model, cancellationToken);

    /// <inheritdoc />
    public AlertOutcome EvaluateAlerts(ModelDefinition model, CancellationToken cancellationToken) => runner.EvaluateAlerts(model, cancellationToken);

    /// <inheritdoc />
    public IReadOnlyList<AlertStatus> ReadAlertStatus(string model) => runner.ReadAlertStatus(model);

    /// <inheritdoc />
    public ReconciliationSummary? ReadReconciliationSummary(string model) => runner.ReadReconciliationSummary(model);

    /// <inheritdoc />
    public IReadOnlyList<RejectedFile> ReadRejected(string model) => runner.ReadRejected(model);

    /// <inheritdoc />
    public FittedSummary? ReadFittedSummary(string model) => runner.ReadFittedSummary(model);

    /// <inheritdoc />
    public IReadOnlyList<AlertNotification> PendingNotifications(string model) => runner.PendingNotifications(model);

    /// <inheritdoc />
    public IReadOnlyList<AlertNotification> SentNotifications(string model) => runner.SentNotifications(model);

    /// <inheritdoc />
    public AlertNotification RecordDelivery(AlertNotification notification, string channel, bool complete) => runner.RecordDelivery(notification, channel, complete);

    /// <inheritdoc />
    public InputStamp? Stamp(ModelDefinition model) => runner.Stamp(model);

    /// <inheritdoc />
    public IReadOnlyList<RemediationAction> PlanRemediation(string model, IReadOnlyList<RemediationRule> rules, IReadOnlyList<AlertNotification> pending) => runner.PlanRemediation(model, rules, pending);

    /// <inheritdoc />
    public IReadOnlyList<RemediationAction> RemediationActions(string model, string box) => runner.RemediationActions(model, box);

    /// <inheritdoc />
    public bool RemediationSent(RemediationAction action) => runner.RemediationSent(action);

    /// <inheritdoc />
    public RemediationAction RecordRemediation(RemediationAction action, string? failure) => runner.RecordRemediation(action, failure);
}
