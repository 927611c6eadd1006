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
        if (targets.Length != scores.Length)
        {
            throw new ArgumentException("Targets and scores differ in length.", nameof(scores));
        }

        var n = scores.Length;
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
}
