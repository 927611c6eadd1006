using System.Net;
using Estimator.Estimation.Shift;
using Estimator.Learning;

namespace Estimator.Host.Dashboard;

/// <summary>
/// A shift-aware model's estimator on the Models page: which estimator the latest analysis chunk got and its effective
/// sample size, and a note when <c>auto</c> left plain CBPE on any of the chunks shown (which, and for which estimator),
/// read from the <c>estimator</c>, <c>effective_sample_size</c> and <c>estimator_reason</c> columns of the store's estimate files.
/// </summary>
internal static class EstimatorChoiceRenderer
{
    /// <summary>What the model is estimated with, for the "Problem" line: the estimator, the domain classifier and the features.</summary>
    public static string Describe(ModelDefinition model)
    {
        var features = model.Features.Count == 0 ? "" : " on " + string.Join(", ", model.Features.Select(f => $"<code>{Encode(f)}</code>"));
        return model.Estimator == ShiftEstimator.Prior
            ? "binary classifier, estimated with prior-shift corrected CBPE (estimator <strong>prior</strong>)"
            : Invariant($"binary classifier, estimated with shift-aware CBPE (estimator <strong>{model.Estimator.Name()}</strong>, {model.DomainClassifier.Name()} domain classifier{features})");
    }

    /// <summary>The latest chunk's estimator and ESS, and the chunks of <paramref name="shown"/> that auto moved off plain CBPE; nothing for a plain model.</summary>
    /// <param name="html">The page.</param>
    /// <param name="model">The model.</param>
    /// <param name="shown">The chunks the table shows, latest first, each with its rows.</param>
    public static void Render(StringBuilder html, ModelDefinition model, IReadOnlyList<IGrouping<int, EstimateRecord>> shown)
    {
        if (!model.IsShiftAware() || shown.Count == 0 || shown[0].First().Estimator is not { } latest)
        {
            return;
        }

        var ess = shown[0].First().EffectiveSampleSize is double n ? Invariant($", effective sample size {n:0}") : "";
        var why = shown[0].First().EstimatorReason is { } reason ? Invariant($" Why: {Encode(reason)}.") : "";
        html.Append(Invariant($"<p class=\"estimator-choice\" data-estimator=\"{Encode(latest)}\">Latest chunk <code>{Encode(shown[0].First().ChunkKey)}</code> estimated with <strong>{Encode(latest)}</strong>{ess}.{why}</p>"));
        if (model.Estimator != ShiftEstimator.Auto)
        {
            return;
        }

        var switched = shown.Select(g => g.First()).Where(r => r.Estimator is { } e && e != ShiftEstimator.Cbpe.Name()).Reverse().ToList();
        if (switched.Count > 0)
        {
            var which = string.Join(", ", switched.Select(r => Invariant($"<code>{Encode(r.ChunkKey)}</code> {Encode(r.Estimator!)}")));
            html.Append(Invariant($"<div class=\"alert alert-info estimator-switched\" data-chunks=\"{switched.Count}\">auto switched away from cbpe on {switched.Count} of the latest {shown.Count} chunk(s): {which}. The evidence (domain-classifier AUC, the weighted calibration's move, the prior's likelihood ratio) said the reference calibration no longer holds there.</div>"));
        }
    }

    /// <summary>A table cell with the chunk's estimator (and ESS when weighted), its reason as the cell's tooltip.</summary>
    public static string Cell(EstimateRecord first)
    {
        var ess = first.EffectiveSampleSize is double n ? Invariant($"<br/><small class=\"text-muted\">ESS {n:0}</small>") : "";
        var title = first.EstimatorReason is { } reason ? Invariant($" title=\"{Encode(reason)}\"") : "";
        return Invariant($"<td class=\"estimator-chunk-estimator\"{title}>{Encode(first.Estimator ?? "")}{ess}</td>");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
