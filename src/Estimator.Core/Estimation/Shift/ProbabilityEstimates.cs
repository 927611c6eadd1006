namespace Estimator.Estimation.Shift;

/// <summary>
/// CBPE's formulas (spec §3) on probabilities the caller supplies row by row — the weighted calibrator's, the
/// prior-adjusted ones, or the truth for the sampling floor — instead of the reference calibrator's. The ranking is by
/// raw score, as in CBPE, so the probabilities need only be a non-decreasing function of the score within the chunk.
/// </summary>
public sealed class ProbabilityEstimates
{
    private double[] _keys = [];
    private double[] _ranked = [];

    /// <summary>
    /// The estimate of every component on one chunk: <paramref name="estimates"/>[k] and the rows behind it
    /// <paramref name="rows"/>[k]. Rows with a NaN probability or score are left out of the ranking metrics, rows with a
    /// NaN probability or prediction out of the count metrics, as CBPE does.
    /// </summary>
    /// <param name="components">The components, in output order.</param>
    /// <param name="probabilities">The chunk's probabilities P(y = 1 | row).</param>
    /// <param name="scores">The chunk's raw scores (ranking).</param>
    /// <param name="predictions">The chunk's predicted labels; empty when no metric needs them.</param>
    /// <param name="options">Confusion-matrix normalization and business value.</param>
    /// <param name="estimates">One estimate per component.</param>
    /// <param name="rows">One row count per component.</param>
    public void Estimate(
        IReadOnlyList<(Metric Metric, int Component, string Name)> components,
        ReadOnlySpan<double> probabilities,
        ReadOnlySpan<double> scores,
        ReadOnlySpan<double> predictions,
        CbpeOptions options,
        Span<double> estimates,
        Span<long> rows)
    {
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(options);
        var needsRanking = false;
        var needsCounts = false;
        foreach (var component in components)
        {
            needsRanking |= !component.Metric.RequiresPredictions();
            needsCounts |= component.Metric.RequiresPredictions();
        }

        var ranked = 0;
        if (needsRanking)
        {
            if (_keys.Length < probabilities.Length)
            {
                _keys = new double[probabilities.Length];
                _ranked = new double[probabilities.Length];
            }

            ranked = EstimatedMetrics.RankByScoreDescending(probabilities, scores, _keys, _ranked);
        }

        var cm = needsCounts && predictions.Length == probabilities.Length ? ExpectedConfusionMatrix.Compute(probabilities, predictions) : default;
        var rankedSpan = _ranked.AsSpan(0, ranked);
        for (var k = 0; k < components.Count; k++)
        {
            var (metric, component, _) = components[k];
            estimates[k] = ChunkComputation.Estimate(metric, component, cm, rankedSpan, options);
            rows[k] = metric.RequiresPredictions() ? cm.Count : ranked;
        }
    }
}
