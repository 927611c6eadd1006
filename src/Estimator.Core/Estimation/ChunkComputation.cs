using System.Buffers;
using Estimator.Metrics;

namespace Estimator.Estimation;

/// <summary>The per-chunk numbers before thresholds are applied: estimate, rows behind it, realized value.</summary>
internal readonly record struct ComponentValue(double Estimated, long Rows, double Realized);

/// <summary>Computes every component's estimate and realized value on each chunk of a period. No allocation per row.</summary>
internal static class ChunkComputation
{
    /// <summary>Component names of a metric, in output order.</summary>
    public static IEnumerable<(Metric Metric, int Component, string Name)> Components(IEnumerable<Metric> metrics)
    {
        foreach (var metric in metrics)
        {
            if (metric == Metric.ConfusionMatrix)
            {
                for (var k = 0; k < MetricNames.ConfusionMatrixComponents.Count; k++)
                {
                    yield return (metric, k, MetricNames.ConfusionMatrixComponents[k]);
                }
            }
            else
            {
                yield return (metric, 0, metric.ToName());
            }
        }
    }

    /// <summary>
    /// values[chunk][component]; realized is NaN when <paramref name="withRealized"/> is false or the data has no targets.
    /// Also returns each chunk's share of rows without a target (NaN without targets).
    /// </summary>
    public static (ComponentValue[][] Values, double[] TargetsMissingRate) Compute(
        PeriodData data,
        IReadOnlyList<Chunk> chunks,
        IReadOnlyList<(Metric Metric, int Component, string Name)> components,
        CbpeOptions options,
        bool withRealized)
    {
        var needsRanking = false;
        var needsCounts = false;
        foreach (var c in components)
        {
            needsRanking |= !c.Metric.RequiresPredictions();
            needsCounts |= c.Metric.RequiresPredictions();
        }

        var realized = withRealized && data.Targets is not null;
        var values = new ComponentValue[chunks.Count][];
        var missingRates = new double[chunks.Count];
        var longest = 0;
        foreach (var chunk in chunks)
        {
            longest = (int)Math.Max(longest, chunk.Rows);
        }

        var keyScratch = ArrayPool<double>.Shared.Rent(Math.Max(1, longest));
        var ranked = ArrayPool<double>.Shared.Rent(Math.Max(1, longest));
        var realizedTargets = realized && needsRanking ? ArrayPool<double>.Shared.Rent(Math.Max(1, longest)) : [];
        var realizedScores = realized && needsRanking ? ArrayPool<double>.Shared.Rent(Math.Max(1, longest)) : [];
        try
        {
            for (var c = 0; c < chunks.Count; c++)
            {
                var start = (int)chunks[c].StartIndex;
                var length = (int)chunks[c].Rows;
                var p = data.Probabilities.AsSpan(start, length);
                var s = data.Scores.AsSpan(start, length);
                var yHat = data.Predictions is null ? default : data.Predictions.AsSpan(start, length);
                var y = data.Targets is null ? default : data.Targets.AsSpan(start, length);

                var cm = needsCounts && data.Predictions is not null ? ExpectedConfusionMatrix.Compute(p, yHat) : default;
                var rankedCount = needsRanking ? EstimatedMetrics.RankByScoreDescending(p, s, keyScratch, ranked) : 0;
                var rankedSpan = ranked.AsSpan(0, rankedCount);

                var counts = realized && needsCounts && data.Predictions is not null ? LabelCounts.Compute(y, yHat) : default;
                var labelledScores = 0;
                if (realized && needsRanking)
                {
                    for (var i = 0; i < length; i++)
                    {
                        if (!double.IsNaN(y[i]) && !double.IsNaN(s[i]))
                        {
                            realizedTargets[labelledScores] = y[i];
                            realizedScores[labelledScores] = s[i];
                            labelledScores++;
                        }
                    }
                }

                if (data.Targets is null)
                {
                    missingRates[c] = double.NaN;
                }
                else
                {
                    var missing = 0;
                    foreach (var t in y)
                    {
                        missing += double.IsNaN(t) ? 1 : 0;
                    }

                    missingRates[c] = (double)missing / length;
                }

                var row = new ComponentValue[components.Count];
                for (var k = 0; k < components.Count; k++)
                {
                    var (metric, component, _) = components[k];
                    var estimated = Estimate(metric, component, cm, rankedSpan, options);
                    var rows = metric.RequiresPredictions() ? cm.Count : rankedCount;
                    var realizedValue = !realized
                        ? double.NaN
                        : metric.RequiresPredictions()
                            ? Realized(metric, component, counts, options)
                            : RealizedFromScores(metric, realizedTargets.AsSpan(0, labelledScores), realizedScores.AsSpan(0, labelledScores));
                    row[k] = new ComponentValue(estimated, rows, realizedValue);
                }

                values[c] = row;
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(keyScratch);
            ArrayPool<double>.Shared.Return(ranked);
            if (realizedTargets.Length > 0)
            {
                ArrayPool<double>.Shared.Return(realizedTargets);
                ArrayPool<double>.Shared.Return(realizedScores);
            }
        }

        return (values, missingRates);
    }

    private static double Estimate(Metric metric, int component, in ExpectedConfusionMatrix cm, ReadOnlySpan<double> ranked, CbpeOptions options) => metric switch
    {
        Metric.RocAuc => EstimatedMetrics.RocAucFromRanked(ranked),
        Metric.AveragePrecision => EstimatedMetrics.AveragePrecisionFromRanked(ranked),
        Metric.Precision => EstimatedMetrics.Precision(cm),
        Metric.Recall => EstimatedMetrics.Recall(cm),
        Metric.F1 => EstimatedMetrics.F1(cm),
        Metric.Accuracy => EstimatedMetrics.Accuracy(cm),
        Metric.Specificity => EstimatedMetrics.Specificity(cm),
        Metric.ConfusionMatrix => EstimatedMetrics.ConfusionMatrixComponent(cm, component, options.ConfusionMatrixNormalization),
        Metric.BusinessValue => EstimatedMetrics.BusinessValue(cm, options.BusinessValueMatrix!, options.NormalizeBusinessValuePerPrediction),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>Realized value of a label-based component from the chunk's actual confusion matrix.</summary>
    public static double Realized(Metric metric, int component, in LabelCounts counts, CbpeOptions options) => metric switch
    {
        Metric.ConfusionMatrix => RealizedMetrics.ConfusionMatrixComponent(counts, component, options.ConfusionMatrixNormalization),
        Metric.BusinessValue => counts.Count == 0 ? double.NaN : RealizedMetrics.BusinessValue(counts, options.BusinessValueMatrix!, options.NormalizeBusinessValuePerPrediction),
        _ => RealizedMetrics.FromCounts(metric, counts),
    };

    /// <summary>Realized ROC AUC or average precision on raw scores of the labelled rows.</summary>
    public static double RealizedFromScores(Metric metric, ReadOnlySpan<double> targets, ReadOnlySpan<double> scores) =>
        targets.IsEmpty
            ? double.NaN
            : metric == Metric.RocAuc ? RealizedMetrics.RocAuc(targets, scores) : RealizedMetrics.AveragePrecision(targets, scores);
}
