namespace Estimator.Learning;

/// <summary>
/// ROC AUC of scores against 0/1 labels with ties counted half (scikit-learn's <c>roc_auc_score</c>, the trapezoidal
/// area, equals the Mann–Whitney statistic with average ranks).
/// </summary>
internal static class Auroc
{
    /// <summary>The AUROC; null when only one class is present (scikit-learn raises there).</summary>
    public static double? Of(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        Array.Sort(keys, order);
        double positives = 0;
        double rankSum = 0;
        var start = 0;
        while (start < order.Length)
        {
            var end = start + 1;
            while (end < order.Length && keys[end] == keys[start])
            {
                end++;
            }

            // Ranks start + 1 .. end share their average.
            var averageRank = (start + 1 + end) / 2.0;
            for (var k = start; k < end; k++)
            {
                if (labels[order[k]])
                {
                    positives++;
                    rankSum += averageRank;
                }
            }

            start = end;
        }

        var negatives = order.Length - positives;
        return positives == 0 || negatives == 0 ? null : (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }
}
