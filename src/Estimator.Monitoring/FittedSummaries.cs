using System.Collections.Concurrent;
using Estimator.Estimation.Multiclass;
using Microsoft.ML;
using Microsoft.ML.Trainers.FastTree;

namespace Estimator.Monitoring;

/// <summary>One error model of a fitted direct loss estimator: the loss it predicts, the metrics built on it, and its size.</summary>
/// <param name="Loss">The per-row loss it learned (<c>mae</c>, <c>mape</c>, <c>mse</c> or <c>msle</c>).</param>
/// <param name="Metrics">The estimated metrics that average it (e.g. <c>mse</c> and <c>rmse</c> for the squared error).</param>
/// <param name="Trees">Trees in its gradient-boosted ensemble.</param>
/// <param name="Leaves">Leaves of its largest tree.</param>
public sealed record ErrorModelSummary(string Loss, IReadOnlyList<string> Metrics, int Trees, int Leaves);

/// <summary>What the Models page says about a model's current fit.</summary>
/// <param name="Calculator">The fitted calculator's kind (<c>cbpe</c>, <c>multiclass_cbpe</c>, <c>dle</c>).</param>
/// <param name="Calibration">A classifier's calibration in words; null for a regression model.</param>
/// <param name="ErrorModels">A regression model's error models; empty for a classifier.</param>
public sealed record FittedSummary(string Calculator, string? Calibration, IReadOnlyList<ErrorModelSummary> ErrorModels);

/// <summary>
/// Summaries of the fitted models in the store, read from the fitted file once per model and fingerprint (a DLE's error
/// models are loaded with ML.NET to count their trees, which is too slow for every page request).
/// </summary>
internal sealed class FittedSummaries(StoreContext context)
{
    private readonly ConcurrentDictionary<string, (string Fingerprint, FittedSummary Summary)> _cache = new(StringComparer.Ordinal);

    /// <summary>The model's current fit, or null before its first fit.</summary>
    public FittedSummary? Read(string model)
    {
        var fingerprint = context.States.Load(context.Layout.StatePath(model)).Fingerprint;
        if (fingerprint is null || !File.Exists(context.Layout.FittedPath(model, fingerprint)))
        {
            return null;
        }

        if (_cache.TryGetValue(model, out var cached) && cached.Fingerprint == fingerprint)
        {
            return cached.Summary;
        }

        var fitted = context.Fitted.Load(model, fingerprint);
        var summary = fitted switch
        {
            FittedCbpe cbpe => new FittedSummary(fitted.Kind.Name(), cbpe.Calibration.Reason, []),
            FittedShiftAwareCbpe shift => new FittedSummary(fitted.Kind.Name(), shift.Cbpe.Calibration.Reason, []),
            FittedMulticlassCbpe multiclass => new FittedSummary(fitted.Kind.Name(), string.Join("; ", multiclass.Classes.Select((c, k) => $"{c}: {multiclass.Calibration[k].Reason}")), []),
            FittedDle dle => new FittedSummary(fitted.Kind.Name(), null, ErrorModels(dle, context.Layout.FittedPath(model, fingerprint))),
            _ => new FittedSummary(fitted.Kind.Name(), null, []),
        };
        _cache[model] = (fingerprint, summary);
        return summary;
    }

    // The fitted file keeps each error model as base64 of ML.NET's zip under "models", keyed by its loss.
    private static List<ErrorModelSummary> ErrorModels(FittedDle dle, string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var result = new List<ErrorModelSummary>();
        var context = new MLContext(0);
        foreach (var model in document.RootElement.GetProperty("models").EnumerateObject())
        {
            using var zip = new MemoryStream(Convert.FromBase64String(model.Value.GetString() ?? ""), writable: false);
            var transformer = context.Model.Load(zip, out _);
            var ensemble = ((IPredictionTransformer<FastTreeRegressionModelParameters>)transformer).Model.TrainedTreeEnsemble;
            var metrics = dle.Options.Metrics.Where(m => m.Loss().Name() == model.Name).Select(m => m.Name()).ToList();
            result.Add(new ErrorModelSummary(model.Name, metrics, ensemble.Trees.Count, ensemble.Trees.Count == 0 ? 0 : ensemble.Trees.Max(t => t.NumberOfLeaves)));
        }

        return result;
    }
}
