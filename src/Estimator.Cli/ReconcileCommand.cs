using Estimator.Host;
using Estimator.Host.Configuration;
using Estimator.Monitoring;

namespace Estimator.Cli;

/// <summary>
/// <c>estimator reconcile</c>: joins the labels that arrived to the stored estimates of every (or one) configured model
/// with a targets source, evaluates the alerts again (realized values confirm or retract flags), prints the summary and exits.
/// </summary>
internal static class ReconcileCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr) => ConfigLoading.ModelsCommand(
        "reconcile",
        "Join newly arrived labels to the estimates and print the reconciliation summary (MAE, bias, band coverage, warnings).",
        "Reconcile only this model (default: every model with targets).",
        stdout,
        stderr,
        Run);

    /// <summary>Reconciles the models in configuration order; a failing model does not stop the others.</summary>
    /// <returns>0 when every model reconciled, 2 for bad input (or a --model without targets or unknown), 1 for other failures.</returns>
    internal static int Run(EstimatorConfig config, IModelStore store, string? only, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (only is not null && config.FindModel(only) is { } named && named.Definition.Targets is null)
        {
            stderr.WriteLine($"error: --model: '{only}' has no targets source to reconcile with (configure targets and id_column)");
            return EstimatorCli.BadInput;
        }

        var models = config.Models.Where(m => (only is null || m.Name == only) && m.Definition.Targets is not null).ToList();
        if (models.Count == 0)
        {
            stderr.WriteLine(only is null
                ? $"error: no model in {config.ConfigFile} has a targets source"
                : $"error: --model: no model '{only}' in {config.ConfigFile}; models: {string.Join(", ", config.Models.Select(m => m.Name))}");
            return EstimatorCli.BadInput;
        }

        return ConfigLoading.ForEachModel(models, stderr, m =>
        {
            var outcome = store.Reconcile(m.Definition, cancellationToken);
            var alerts = store.EvaluateAlerts(m.Definition, cancellationToken);
            Print(m.Name, outcome, alerts, stdout);
        }, cancellationToken);
    }

    private static void Print(string model, ReconcileOutcome outcome, AlertOutcome alerts, TextWriter stdout)
    {
        var s = outcome.Summary;
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(c, $"{model}: reconcile: {outcome.FilesProcessed.Count} new label file(s), {outcome.LabelsRead} label row(s), {outcome.ChunksUpdated} chunk(s) updated"));
        stdout.WriteLine(string.Create(c, $"{model}: chunks with labels: {s.ChunksWithLabels}, complete: {s.ChunksComplete}; labels: {s.Labels}, duplicate ids: {s.DuplicateIds} ({s.ConflictingDuplicates} conflicting), unmatched ids: {s.UnmatchedIds}"));
        if (s.Metrics.Count > 0)
        {
            stdout.WriteLine($"{model}: {"metric",-20} {"chunks",6} {"MAE",10} {"bias",10} {"coverage",9}");
            foreach (var m in s.Metrics)
            {
                stdout.WriteLine(string.Create(c, $"{model}: {m.Metric,-20} {m.Chunks,6} {m.MeanAbsoluteError,10:0.000000} {m.Bias,10:+0.000000;-0.000000;0.000000} {m.Coverage,9:P1}"));
            }
        }

        var judged = alerts.Flags.Where(f => f.Verdict is "confirmed" or "retracted").ToList();
        if (judged.Count > 0)
        {
            stdout.WriteLine(string.Create(c, $"{model}: decay flags: {judged.Count(f => f.Verdict == "confirmed")} confirmed, {judged.Count(f => f.Verdict == "retracted")} retracted by realized values"));
        }

        foreach (var warning in s.Warnings)
        {
            stdout.WriteLine($"{model}: warning: {warning}");
        }
    }
}
