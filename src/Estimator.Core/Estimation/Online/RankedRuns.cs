namespace Estimator.Estimation.Online;

/// <summary>
/// ROC AUC and average precision from probabilities ranked descending, given as runs of equal values (value, count).
/// Each row is still one step, so every running sum and rounding is the one <see cref="Metrics.EstimatedMetrics.RocAucFromRanked"/>
/// and <see cref="Metrics.EstimatedMetrics.AveragePrecisionFromRanked"/> take over the expanded array: the results are
/// the same doubles, without materialising or sorting the rows.
/// </summary>
internal static class RankedRuns
{
    /// <summary>Estimated ROC AUC (spec §3.6): NannyML's 5-decimal rounding of the cumulative sums, trapezoidal area.</summary>
    public static double RocAuc(ReadOnlySpan<double> values, ReadOnlySpan<int> counts)
    {
        var (n, total) = Totals(values, counts);
        if (n == 0)
        {
            return double.NaN;
        }

        var tpTotal = Math.Round(total, 5);
        var fpTotal = Math.Round(n - total, 5);
        if (tpTotal == 0 || fpTotal == 0)
        {
            return double.NaN;
        }

        double cumulative = 0, area = 0, previousTpr = 0, previousFpr = 0;
        var k = 0;
        for (var r = 0; r < values.Length; r++)
        {
            var p = values[r];
            for (var c = counts[r]; c > 0; c--)
            {
                cumulative += p;
                var tpr = Math.Round(cumulative, 5) / tpTotal;
                var fpr = Math.Round(k + 1 - cumulative, 5) / fpTotal;
                area += (fpr - previousFpr) * (tpr + previousTpr) * 0.5;
                previousTpr = tpr;
                previousFpr = fpr;
                k++;
            }
        }

        return area;
    }

    /// <summary>Estimated average precision (spec §3.7): one precision/recall step per row.</summary>
    public static double AveragePrecision(ReadOnlySpan<double> values, ReadOnlySpan<int> counts)
    {
        var (n, total) = Totals(values, counts);
        if (n == 0)
        {
            return double.NaN;
        }

        var tpTotal = Math.Round(total, 5);
        if (tpTotal == 0)
        {
            return double.NaN;
        }

        double cumulative = 0, sum = 0, previousRecall = 0;
        var k = 0;
        for (var r = 0; r < values.Length; r++)
        {
            var p = values[r];
            for (var c = counts[r]; c > 0; c--)
            {
                cumulative += p;
                var tp = Math.Round(cumulative, 5);
                var recall = tp / tpTotal;
                sum += (recall - previousRecall) * (tp / (k + 1));
                previousRecall = recall;
                k++;
            }
        }

        return sum;
    }

    /// <summary>The row count and the left-to-right sum of the expanded rows (as the reference's running total ends).</summary>
    private static (long Rows, double Total) Totals(ReadOnlySpan<double> values, ReadOnlySpan<int> counts)
    {
        long n = 0;
        double total = 0;
        for (var r = 0; r < values.Length; r++)
        {
            var p = values[r];
            for (var c = counts[r]; c > 0; c--)
            {
                total += p;
            }

            n += counts[r];
        }

        return (n, total);
    }
}
