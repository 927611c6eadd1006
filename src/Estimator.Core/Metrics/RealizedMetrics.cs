namespace Estimator.Metrics;

/// <summary>
/// Realized metrics: computed from actual labels, with scikit-learn's semantics as NannyML uses them.
/// Inputs are already free of missing values.
/// </summary>
public static class RealizedMetrics
{
    /// <summary>
    /// ROC AUC as scikit-learn's <c>roc_auc_score</c>: one ROC point per distinct score, so a tied positive/negative
    /// pair counts one half (the Mann–Whitney U with average ranks). NaN when only one class is present.
    /// </summary>
    /// <param name="targets">Actual labels, 0 or 1.</param>
    /// <param name="scores">Raw scores.</param>
    public static double RocAuc(ReadOnlySpan<double> targets, ReadOnlySpan<double> scores)
    {
        ColumnLength.Same(targets.Length, scores.Length, "Targets", nameof(scores));

        var n = scores.Length;
        if (n >= RadixRocAucRows && RocAucByClass(targets, scores) is { } byClass)
        {
            return byClass;
        }

        var keys = scores.ToArray();
        var labels = targets.ToArray();
        Array.Sort(keys, labels);

        double positives = 0;
        double positiveRankSum = 0;
        var i = 0;
        while (i < n)
        {
            var j = i;
            double tiePositives = 0;
            while (j < n && keys[j] == keys[i])
            {
                tiePositives += labels[j];
                j++;
            }

            // Ranks are 1-based; every row of a tie block gets the block's average rank.
            var averageRank = (i + 1 + j) / 2.0;
            positiveRankSum += tiePositives * averageRank;
            positives += tiePositives;
            i = j;
        }

        var negatives = n - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (positiveRankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }

    // Below this a comparison sort of the pairs is as quick as two radix sorts.
    private const int RadixRocAucRows = 512;

    /// <summary>
    /// <see cref="RocAuc"/> for 0/1 labels and scores without NaN: the positives' and the negatives' scores are sorted
    /// apart (keys-only radix sorts, much cheaper than co-sorting pairs) and merged, which meets the same tie blocks in
    /// the same order and so adds the same terms. Null when a label is not 0 or 1 or a score is NaN.
    /// </summary>
    private static double? RocAucByClass(ReadOnlySpan<double> targets, ReadOnlySpan<double> scores)
    {
        var n = scores.Length;
        var pool = System.Buffers.ArrayPool<double>.Shared;
        var positivesBuffer = pool.Rent(n);
        var negativesBuffer = pool.Rent(n);
        var scratch = pool.Rent(n);
        try
        {
            int p = 0, q = 0;
            for (var i = 0; i < n; i++)
            {
                var score = scores[i];
                var label = targets[i];
                if (double.IsNaN(score) || !(label == 0 || label == 1))
                {
                    return null;
                }

                if (label == 1)
                {
                    positivesBuffer[p++] = score;
                }
                else
                {
                    negativesBuffer[q++] = score;
                }
            }

            if (p == 0 || q == 0)
            {
                return double.NaN;
            }

            var positiveScores = positivesBuffer.AsSpan(0, p);
            var negativeScores = negativesBuffer.AsSpan(0, q);
            Numerics.RadixSort.Sort(positiveScores, scratch.AsSpan(0, p));
            Numerics.RadixSort.Sort(negativeScores, scratch.AsSpan(0, q));

            double positives = 0;
            double positiveRankSum = 0;
            int a = 0, b = 0, start = 0;
            while (a < p || b < q)
            {
                var value = a == p ? negativeScores[b] : b == q ? positiveScores[a] : Math.Min(positiveScores[a], negativeScores[b]);
                var block = 0;
                double tiePositives = 0;
                while (a < p && positiveScores[a] == value)
                {
                    tiePositives += 1;
                    a++;
                    block++;
                }

                while (b < q && negativeScores[b] == value)
                {
                    b++;
                    block++;
                }

                var end = start + block;
                var averageRank = (start + 1 + end) / 2.0;
                positiveRankSum += tiePositives * averageRank;
                positives += tiePositives;
                start = end;
            }

            var negatives = n - positives;
            return (positiveRankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
        }
        finally
        {
            pool.Return(positivesBuffer);
            pool.Return(negativesBuffer);
            pool.Return(scratch);
        }
    }

    /// <summary>
    /// Average precision as scikit-learn's <c>average_precision_score</c>: one precision/recall step per distinct score,
    /// Σ (R_k − R_{k−1})·P_k. NaN when there is no positive.
    /// </summary>
    /// <param name="targets">Actual labels, 0 or 1.</param>
    /// <param name="scores">Raw scores.</param>
    public static double AveragePrecision(ReadOnlySpan<double> targets, ReadOnlySpan<double> scores)
    {
        ColumnLength.Same(targets.Length, scores.Length, "Targets", nameof(scores));

        var n = scores.Length;
        var keys = new double[n];
        var labels = targets.ToArray();
        for (var i = 0; i < n; i++)
        {
            keys[i] = -scores[i];
        }

        Array.Sort(keys, labels);
        double positives = 0;
        foreach (var y in labels)
        {
            positives += y;
        }

        if (positives == 0)
        {
            return double.NaN;
        }

        double truePositives = 0, sum = 0, previousRecall = 0;
        var i0 = 0;
        while (i0 < n)
        {
            var j = i0;
            while (j < n && keys[j] == keys[i0])
            {
                truePositives += labels[j];
                j++;
            }

            var recall = truePositives / positives;
            sum += (recall - previousRecall) * (truePositives / j);
            previousRecall = recall;
            i0 = j;
        }

        return sum;
    }

    /// <summary>
    /// A label-based metric from actual and predicted labels with NannyML's realized semantics (spec §7):
    /// precision, recall and F1 are NaN unless both the targets and the predictions hold both classes; specificity is
    /// TN/(TN+FP) (NaN when no actual negative); accuracy is always defined for a non-empty chunk.
    /// </summary>
    /// <param name="metric">Precision, Recall, F1, Specificity or Accuracy.</param>
    /// <param name="counts">The chunk's label counts.</param>
    public static double FromCounts(Metric metric, in LabelCounts counts)
    {
        if (counts.Count == 0)
        {
            return double.NaN;
        }

        double tp = counts.TruePositive, fp = counts.FalsePositive, fn = counts.FalseNegative, tn = counts.TrueNegative;
        var bothClasses = tp + fn > 0 && tn + fp > 0 && tp + fp > 0 && tn + fn > 0;
        return metric switch
        {
            Metric.Precision => bothClasses ? tp / (tp + fp) : double.NaN,
            Metric.Recall => bothClasses ? tp / (tp + fn) : double.NaN,
            Metric.F1 => bothClasses ? 2 * tp / ((2 * tp) + fp + fn) : double.NaN,
            Metric.Specificity => tn + fp == 0 ? double.NaN : tn / (tn + fp),
            Metric.Accuracy => (tp + tn) / counts.Count,
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a label-count metric."),
        };
    }

    /// <summary>
    /// One confusion-matrix component (0 = TP, 1 = TN, 2 = FP, 3 = FN) as scikit-learn's <c>confusion_matrix</c>
    /// with <c>labels=[0, 1]</c> gives it; normalised cells with an empty denominator are 0 (scikit-learn's nan_to_num).
    /// </summary>
    public static double ConfusionMatrixComponent(in LabelCounts counts, int component, ConfusionMatrixNormalization normalization)
    {
        if (counts.Count == 0)
        {
            return double.NaN;
        }

        var (cell, denominator) = EstimatedMetrics.ConfusionCell(
            counts.TruePositive, counts.TrueNegative, counts.FalsePositive, counts.FalseNegative, counts.Count, component, normalization);
        return denominator == 0 ? 0 : cell / denominator;
    }

    /// <summary>Business value on actual counts (spec §3.5 on the realized confusion matrix).</summary>
    public static double BusinessValue(in LabelCounts counts, BusinessValueMatrix matrix, bool perPrediction)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var expected = new ExpectedConfusionMatrix(counts.TruePositive, counts.FalsePositive, counts.FalseNegative, counts.TrueNegative, counts.Count);
        return EstimatedMetrics.BusinessValue(expected, matrix, perPrediction);
    }
}
