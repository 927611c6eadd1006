using Estimator.Estimation.Online;
using Estimator.Estimation.Shift;
using Estimator.Learning;
using Estimator.Metrics;
using Estimator.Monitoring.Online;

namespace Estimator.Host.Online;

/// <summary>
/// A shift-aware model's window estimated as one chunk by its fitted calculator, exactly as the store or
/// <c>estimator estimate</c> estimates a chunk of those rows: the domain classifier is fitted again on reference vs
/// window (weighted, auto), the prior re-estimated (prior, auto). Not incremental: the cost is a refit per estimate.
/// </summary>
internal static class ShiftWindowEstimate
{
    /// <summary>The window's metrics, the estimator behind them, the effective sample size (weighted only) and why that estimator.</summary>
    /// <param name="fitted">The model's fitted shift-aware calculator.</param>
    /// <param name="rows">The window's rows, in arrival order.</param>
    /// <param name="predictions">Whether the model has a prediction column.</param>
    /// <param name="capacity">N (for the empty window's metrics).</param>
    public static (IReadOnlyList<WindowMetric> Metrics, string Estimator, double? EffectiveSampleSize, string? Reason) Of(FittedShiftAwareCbpe fitted, OnlineRows rows, bool predictions, int capacity)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            // Nothing to tell from the reference yet: plain CBPE's empty window (NaN values, the reference's thresholds).
            return (new SlidingWindowCbpe(fitted.Cbpe, capacity).Estimate(), fitted.Options.Estimator.Name(), null, null);
        }

        // The chunk's rows in the order the store and the command line chunk them (by timestamp, stably).
        var data = rows.ToModelData(predictions).SortedByTimestamp();
        var last = data.Count - 1;
        var chunk = new Chunk(FormattableString.Invariant($"[0:{last}]"), 0, 0, last, data.Timestamps?[0], data.Timestamps?[last]);
        var estimates = fitted.CalculateChunk(data, chunk);
        var components = fitted.Cbpe.Components;
        var labelled = data.Predictions is { } p ? CountLabelled(p) : data.Count;
        var metrics = new WindowMetric[components.Count];
        for (var k = 0; k < components.Count; k++)
        {
            var metric = components[k].Metric;
            metrics[k] = new WindowMetric(estimates[k], metric, metric.RequiresPredictions() ? labelled : data.Count);
        }

        return (metrics, estimates[0].Estimator ?? fitted.Options.Estimator.Name(), estimates[0].EffectiveSampleSize, estimates[0].EstimatorReason);
    }

    private static long CountLabelled(double[] predictions)
    {
        long n = 0;
        foreach (var p in predictions)
        {
            n += double.IsNaN(p) ? 0 : 1;
        }

        return n;
    }
}
