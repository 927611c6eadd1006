using System.Collections.Concurrent;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Monitoring;

namespace Estimator.Host.Tests;

/// <summary>
/// TEST DOUBLE for <see cref="IModelStore"/>, standing in for <see cref="ModelRunner"/> until its implementation lands.
/// <see cref="Estimate(EstimateRequest, CancellationToken)"/> writes a known estimate file, <c>&lt;store&gt;/&lt;model&gt;/estimates/known.parquet</c>:
/// the engine's estimate of the whole car-loan analysis (what the demo's five seed files hold); <see cref="ReadEstimates"/>
/// reads every estimate file under the model's folder. Models named in <see cref="Failing"/> throw bad-input errors.
/// </summary>
internal sealed class FakeModelStore(string storeDirectory) : IModelStore
{
    public ConcurrentBag<string> Failing { get; } = [];

    /// <summary>Models whose estimate finds nothing new: no run is recorded, so the outcome has no run id.</summary>
    public ConcurrentBag<string> NothingNew { get; } = [];

    public ConcurrentQueue<string> Calls { get; } = new();

    public CalibrationOutcome Calibrate(CalibrateRequest request, CancellationToken cancellationToken)
    {
        var model = request.Model;
        Calls.Enqueue("calibrate " + model.Name);
        ThrowIfFailing(model);
        return new CalibrationOutcome(false, "fake", true);
    }

    public EstimateOutcome Estimate(EstimateRequest request, CancellationToken cancellationToken)
    {
        var model = request.Model;
        Calls.Enqueue("estimate " + model.Name);
        ThrowIfFailing(model);
        var target = Path.Combine(storeDirectory, model.Name, "estimates", "known.parquet");
        if (!File.Exists(target))
        {
            var reference = PredictionFileReader.Read(model.Reference, model.Columns with { Id = null }, requireTargets: true, requirePredictions: true);
            var analysis = PredictionFileReader.Read(TestData.CarLoanAnalysis, model.Columns with { YTrue = null }, requireTargets: false, requirePredictions: true);
            var result = Cbpe.Fit(reference.Set, model.Options).Estimate(analysis.Set, model.Name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            EstimateFileWriter.Write(result, target);
        }

        return new EstimateOutcome(NothingNew.Contains(model.Name) ? "" : "fake-run", [], 0, 0, 0);
    }

    public WorkItemOutcome? EstimateWorkItem(WorkItemRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the double never splits a run");

    public IReadOnlyList<EstimateRecord> ReadEstimates(string model)
    {
        var directory = Path.Combine(storeDirectory, model, "estimates");
        return Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).SelectMany(EstimateFileReader.Read)]
            : [];
    }

    public ReconcileOutcome Reconcile(ModelDefinition model, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the double does not reconcile");

    public AlertOutcome EvaluateAlerts(ModelDefinition model, CancellationToken cancellationToken)
    {
        Calls.Enqueue("alerts " + model.Name);
        return new AlertOutcome([], [], []);
    }

    public IReadOnlyList<AlertStatus> ReadAlertStatus(string model) => [];

    public ReconciliationSummary? ReadReconciliationSummary(string model) => null;

    public IReadOnlyList<AlertNotification> PendingNotifications(string model) => [];

    public IReadOnlyList<AlertNotification> SentNotifications(string model) => [];

    public AlertNotification RecordDelivery(AlertNotification notification, string channel, bool complete) => notification;

    private void ThrowIfFailing(ModelDefinition model)
    {
        if (Failing.Contains(model.Name))
        {
            throw new EstimatorDataException("column 'y_pred_proba' is missing", model.Analysis, "y_pred_proba");
        }
    }
}
