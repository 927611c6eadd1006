using Estimator.IO;
using Estimator.Monitoring;

namespace Estimator.Host;

/// <summary>
/// What the host's jobs and the Models page need from the store. The host registers <see cref="ModelRunnerStore"/>
/// (the real <see cref="ModelRunner"/>); tests may register a double instead.
/// </summary>
public interface IModelStore
{
    /// <summary>Fits the model on its reference unless it is already fitted for this reference content.</summary>
    /// <param name="model">The model.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    CalibrationOutcome Calibrate(ModelDefinition model, CancellationToken cancellationToken);

    /// <summary>Estimates the analysis files that arrived since the last run.</summary>
    /// <param name="model">The model.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    EstimateOutcome Estimate(ModelDefinition model, CancellationToken cancellationToken);

    /// <summary>
    /// Estimates the analysis files that arrived since the last run; a large run is split into work items whose ids go to
    /// <paramref name="handOff"/> (to be queued for other workers), and the call returns once every item is done.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="handOff">Receives the ids of the items other workers may run with <see cref="EstimateWorkItem(string, string, CancellationToken)"/>.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    EstimateOutcome Estimate(ModelDefinition model, Action<IReadOnlyList<string>> handOff, CancellationToken cancellationToken);

    /// <summary>Runs one handed-off work item of a split estimate run; null when there was nothing left to do.</summary>
    /// <param name="model">The model's name.</param>
    /// <param name="item">The work item's id.</param>
    /// <param name="cancellationToken">Cancels the item.</param>
    WorkItemOutcome? EstimateWorkItem(string model, string item, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="Calibrate(ModelDefinition, CancellationToken)"/>, reporting progress to <paramref name="progress"/>.
    /// A store that cannot report progress calibrates without (the default).
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="progress">Receives progress on the calling thread.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    CalibrationOutcome Calibrate(ModelDefinition model, IProgress<RunProgress>? progress, CancellationToken cancellationToken) =>
        Calibrate(model, cancellationToken);

    /// <summary>
    /// As <see cref="Estimate(ModelDefinition, CancellationToken)"/> (<paramref name="handOff"/> null) or
    /// <see cref="Estimate(ModelDefinition, Action{IReadOnlyList{string}}, CancellationToken)"/>, reporting progress to
    /// <paramref name="progress"/>. A store that cannot report progress estimates without (the default).
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="handOff">Receives the ids of the items other workers may run; null keeps the run in this call.</param>
    /// <param name="progress">Receives progress on the calling thread.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    EstimateOutcome Estimate(ModelDefinition model, Action<IReadOnlyList<string>>? handOff, IProgress<RunProgress>? progress, CancellationToken cancellationToken) =>
        handOff is null ? Estimate(model, cancellationToken) : Estimate(model, handOff, cancellationToken);

    /// <summary>
    /// As <see cref="EstimateWorkItem(string, string, CancellationToken)"/>, reporting progress to <paramref name="progress"/>.
    /// A store that cannot report progress runs the item without (the default).
    /// </summary>
    /// <param name="model">The model's name.</param>
    /// <param name="item">The work item's id.</param>
    /// <param name="progress">Receives progress on the calling thread.</param>
    /// <param name="cancellationToken">Cancels the item.</param>
    WorkItemOutcome? EstimateWorkItem(string model, string item, IProgress<RunProgress>? progress, CancellationToken cancellationToken) =>
        EstimateWorkItem(model, item, cancellationToken);

    /// <summary>The model's current estimates (reference chunks, then analysis chunks in order).</summary>
    /// <param name="model">The model's name.</param>
    IReadOnlyList<EstimateRecord> ReadEstimates(string model);

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
}

/// <summary>The store as <see cref="ModelRunner"/> implements it.</summary>
/// <param name="runner">The runner over the configured store directory.</param>
public sealed class ModelRunnerStore(ModelRunner runner) : IModelStore
{
    /// <inheritdoc />
    public CalibrationOutcome Calibrate(ModelDefinition model, CancellationToken cancellationToken) => runner.Calibrate(model, cancellationToken);

    /// <inheritdoc />
    public EstimateOutcome Estimate(ModelDefinition model, CancellationToken cancellationToken) => runner.Estimate(model, cancellationToken);

    /// <inheritdoc />
    public EstimateOutcome Estimate(ModelDefinition model, Action<IReadOnlyList<string>> handOff, CancellationToken cancellationToken) => runner.Estimate(model, handOff, cancellationToken);

    /// <inheritdoc />
    public WorkItemOutcome? EstimateWorkItem(string model, string item, CancellationToken cancellationToken) => runner.EstimateWorkItem(model, item, cancellationToken);

    /// <inheritdoc />
    public CalibrationOutcome Calibrate(ModelDefinition model, IProgress<RunProgress>? progress, CancellationToken cancellationToken) => runner.Calibrate(model, progress, cancellationToken);

    /// <inheritdoc />
    public EstimateOutcome Estimate(ModelDefinition model, Action<IReadOnlyList<string>>? handOff, IProgress<RunProgress>? progress, CancellationToken cancellationToken) =>
        runner.Estimate(model, handOff, progress, cancellationToken);

    /// <inheritdoc />
    public WorkItemOutcome? EstimateWorkItem(string model, string item, IProgress<RunProgress>? progress, CancellationToken cancellationToken) =>
        runner.EstimateWorkItem(model, item, progress, cancellationToken);

    /// <inheritdoc />
    public IReadOnlyList<EstimateRecord> ReadEstimates(string model) => runner.ReadEstimates(model);

    /// <inheritdoc />
    public ReconcileOutcome Reconcile(ModelDefinition model, CancellationToken cancellationToken) => runner.Reconcile(model, cancellationToken);

    /// <inheritdoc />
    public AlertOutcome EvaluateAlerts(ModelDefinition model, CancellationToken cancellationToken) => runner.EvaluateAlerts(model, cancellationToken);

    /// <inheritdoc />
    public IReadOnlyList<AlertStatus> ReadAlertStatus(string model) => runner.ReadAlertStatus(model);

    /// <inheritdoc />
    public ReconciliationSummary? ReadReconciliationSummary(string model) => runner.ReadReconciliationSummary(model);

    /// <inheritdoc />
    public IReadOnlyList<AlertNotification> PendingNotifications(string model) => runner.PendingNotifications(model);

    /// <inheritdoc />
    public IReadOnlyList<AlertNotification> SentNotifications(string model) => runner.SentNotifications(model);

    /// <inheritdoc />
    public AlertNotification RecordDelivery(AlertNotification notification, string channel, bool complete) => runner.RecordDelivery(notification, channel, complete);
}
