using Estimator.Host;
using Estimator.Host.Configuration;

namespace Estimator.Cli;

/// <summary><c>estimator run</c>: calibrate, estimate and evaluate alerts of every (or one) configured model once, without Hangfire, and exit.</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr) => ConfigLoading.ModelsCommand(
        "run",
        "Calibrate and estimate every configured model once (or only --model), then exit; for cron-style use.",
        "Run only this model (default: every model).",
        stdout,
        stderr,
        Run);

    /// <summary>Runs the models in configuration order; a failing model does not stop the others.</summary>
    /// <returns>0 when every model ran, 2 when a model had bad input (or --model names none), 1 for any other failure.</returns>
    internal static int Run(EstimatorConfig config, IModelStore store, string? only, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var models = config.Models.Where(m => only is null || m.Name == only).ToList();
        if (models.Count == 0)
        {
            stderr.WriteLine($"error: --model: no model '{only}' in {config.ConfigFile}; models: {string.Join(", ", config.Models.Select(m => m.Name))}");
            return EstimatorCli.BadInput;
        }

        return ConfigLoading.ForEachModel(models, stderr, m =>
        {
            var calibration = store.Calibrate(new Monitoring.CalibrateRequest(m.Definition), cancellationToken);
            // A regression model has no scores to calibrate: its fit is DLE's error models.
            var fit = m.Definition.IsRegression() ? "direct loss estimation" : $"calibrated scores: {(calibration.CalibrationApplied ? "yes" : "no")}";
            stdout.WriteLine($"{m.Name}: calibrate: {(calibration.Refitted ? "fitted" : "already fitted")}, {fit}");
            var estimate = store.Estimate(new Monitoring.EstimateRequest(m.Definition), cancellationToken);
            // A run that found nothing new records no run (and has no run id to print).
            stdout.WriteLine(string.IsNullOrEmpty(estimate.RunId)
                ? $"{m.Name}: estimate: nothing new"
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"{m.Name}: estimate: run {estimate.RunId}, {estimate.FilesProcessed.Count} new file(s), {estimate.RowsProcessed} row(s), {estimate.ChunksFinalized} chunk(s) final, {estimate.ChunksProvisional} provisional"));
            var alerts = store.EvaluateAlerts(m.Definition, cancellationToken);
            var firing = alerts.Current.Where(a => a.State == "firing").Select(a => $"{a.Metric} {a.Rule} {a.Severity}").ToList();
            stdout.WriteLine($"{m.Name}: alerts: {alerts.Enqueued.Count} state change(s) queued for notification; firing: {(firing.Count == 0 ? "none" : string.Join(", ", firing))}");
        }, cancellationToken);
    }
}
