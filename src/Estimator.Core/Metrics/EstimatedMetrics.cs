namespace Estimator.Metrics;

/// <summary>
/// CBPE's estimators (spec §3): metrics computed from calibrated probabilities instead of labels.
/// Pure functions over spans; inputs are a single chunk.
/// </summary>
public static class EstimatedMetrics
{
    /// <summary>TP / (TP + FP); 0 when the denominator is 0 (NannyML ≥ 0.12 rule).</summary>
    public static double Precision(in ExpectedConfusionMatrix cm) => Ratio(cm.TruePositive, cm.TruePositive + cm.FalsePositive, cm.Count);

    /// <summary>TP / (TP + FN); 0 when the denominator is 0.</summary>
    public static double Recall(in ExpectedConfusionMatrix cm) => Ratio(cm.TruePositive, cm.TruePositive + cm.FalseNegative, cm.Count);

    /// <summary>TN / (TN + FP); 0 when the denominator is 0.</summary>
    public static double Specificity(in ExpectedConfusionMatrix cm) => Ratio(cm.TrueNegative, cm.TrueNegative + cm.FalsePositive, cm.Count);

    /// <summary>TP / (TP + ½(FP + FN)); 0 when the denominator is 0.</summary>
    public static double F1(in ExpectedConfusionMatrix cm) => Ratio(cm.TruePositive, cm.TruePositive + (0.5 * (cm.FalsePositive + cm.FalseNegative)), cm.Count);

    /// <summary>(TP + TN) / n.</summary>
    public static double Accuracy(in ExpectedConfusionMatrix cm) => cm.Count == 0 ? double.NaN : (cm.TruePositive + cm.TrueNegative) / cm.Count;

    /// <summary>
    /// One confusion-matrix component (0 = true_positive, 1 = true_negative, 2 = false_positive, 3 = false_negative)
    /// under a normalisation. 'true' and 'pred' have no zero guard in NannyML: 0/0 gives NaN.
    /// </summary>
    public static double ConfusionMatrixComponent(in ExpectedConfusionMatrix cm, int component, ConfusionMatrixNormalization normalization)
    {
        if (cm.Count == 0)
        {
            return double.NaN;
        }

        var (cell, denominator) = ConfusionCell(cm.TruePositive, cm.TrueNegative, cm.FalsePositive, cm.FalseNegative, cm.Count, component, normalization);
        return cell / denominator;
    }

    /// <summary>A confusion-matrix cell (0 = TP, 1 = TN, 2 = FP, 3 = FN) and the denominator its normalisation divides it by.</summary>
    internal static (double Cell, double Denominator) ConfusionCell(double tp, double tn, double fp, double fn, double count, int component, ConfusionMatrixNormalization normalization)
    {
        var cell = component switch
        {
            0 => tp,
            1 => tn,
            2 => fp,
            3 => fn,
            _ => throw new ArgumentOutOfRangeException(nameof(component), component, "Components are 0..3."),
        };
        var denominator = normalization switch
        {
            ConfusionMatrixNormalization.None => 1,
            ConfusionMatrixNormalization.All => count,
            ConfusionMatrixNormalization.True => component is 0 or 3 ? tp + fn : tn + fp,
            ConfusionMatrixNormalization.Pred => component is 0 or 2 ? tp + fp : tn + fn,
            _ => throw new ArgumentOutOfRangeException(nameof(normalization), normalization, "Unknown normalisation."),
        };
        return (cell, denominator);
    }

    /// <summary>
    /// Business value: Σ M[actual][predicted] · C[actual][predicted] over the expected counts C; per prediction, each
    /// predicted-class column is first divided by its total (0 when empty), as NannyML's code does (spec §3.5).
    /// </summary>
    public static double BusinessValue(in ExpectedConfusionMatrix cm, BusinessValueMatrix matrix, bool perPrediction)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (cm.Count == 0)
        {
            return double.NaN;
        }

        var predictedNegative = (matrix.TrueNegative * cm.TrueNegative) + (matrix.FalseNegative * cm.FalseNegative);
        var predictedPositive = (matrix.FalsePositive * cm.FalsePositive) + (matrix.TruePositive * cm.TruePositive);
        if (!perPrediction)
        {
            return predictedNegative + predictedPositive;
        }

        var negatives = cm.TrueNegative + cm.FalseNegative;
        var positives = cm.FalsePositive + cm.TruePositive;
        return (negatives == 0 ? 0 : predictedNegative / negatives) + (positives == 0 ? 0 : predictedPositive / positives);
    }

    /// <summary>
    /// Writes the calibrated probabilities of the rows that have both a raw score and a probability, ordered by raw
    /// score descending, into <paramref name="destination"/>; returns how many were written. This is the chunk's one
    /// sort, shared by <see cref="RocAucFromRanked"/> and <see cref="AveragePrecisionFromRanked"/>.
    /// </summary>
    /// <param name="probabilities">Calibrated probabilities of the chunk.</param>
    /// <param name="scores">Raw scores of the chunk.</param>
    /// <param name="keyScratch">Scratch of at least the chunk's length.</param>
    /// <param name="destination">Output of at least the chunk's length.</param>
    public static int RankByScoreDescending(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> scores, Span<double> keyScratch, Span<double> destination)
    {
        ColumnLength.Same(probabilities.Length, scores.Length, "Probabilities", nameof(scores));

        var n = 0;
        foreach (var (s, p) in new PresentPairs(scores, probabilities))
        {
            // Negated keys give a descending order from an ascending sort. Tied scores share one calibrated
            // probability (isotonic maps equal inputs to equal outputs), so the order inside a tie does not matter.
            keyScratch[n] = -s;
            destination[n] = p;
            n++;
        }

        keyScratch[..n].Sort(destination[..n]);
        return n;
    }

    /// <summary>
    /// Estimated ROC AUC (spec §3.6) from probabilities ranked by raw score descending: cumulative expected positives
    /// and negatives per row, rounded to 5 decimals as NannyML does, trapezoidal area; NaN if either total is 0.
    /// </summary>
    public static double RocAucFromRanked(ReadOnlySpan<double> rankedProbabilities)
    {
        var n = rankedProbabilities.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        // Totals first, computed exactly as the running sums below end, so TPR and FPR end at exactly 1.
        var total = RunningTotal(rankedProbabilities);
        var tpTotal = Math.Round(total, 5);
        var fpTotal = Math.Round(n - total, 5);
        if (tpTotal == 0 || fpTotal == 0)
        {
            return double.NaN;
        }

        double cumulative = 0, area = 0, previousTpr = 0, previousFpr = 0;
        for (var k = 0; k < n; k++)
        {
            cumulative += rankedProbabilities[k];
            var tpr = Math.Round(cumulative, 5) / tpTotal;
            var fpr = Math.Round(k + 1 - cumulative, 5) / fpTotal;
            area += (fpr - previousFpr) * (tpr + previousTpr) * 0.5;
            previousTpr = tpr;
            previousFpr = fpr;
        }

        return area;
    }

    /// <summary>
    /// Estimated average precision (spec §3.7) from probabilities ranked by raw score descending: one precision/recall
    /// step per row (ties not collapsed), cumulative expected positives rounded to 5 decimals; NaN if no expected positive.
    /// </summary>
    public static double AveragePrecisionFromRanked(ReadOnlySpan<double> rankedProbabilities)
    {
        var n = rankedProbabilities.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        var tpTotal = Math.Round(RunningTotal(rankedProbabilities), 5);
        if (tpTotal == 0)
        {
            return double.NaN;
        }

        double cumulative = 0, sum = 0, previousRecall = 0;
        for (var k = 0; k < n; k++)
        {
            cumulative += rankedProbabilities[k];
            var tp = Math.Round(cumulative, 5);
            var recall = tp / tpTotal;
            sum += (recall - previousRecall) * (tp / (k + 1));
            previousRecall = recall;
        }

        return sum;
    }

    /// <summary>The sum added left to right, as a running sum over the ranked rows ends (not a pairwise or vector sum).</summary>
    private static double RunningTotal(ReadOnlySpan<double> rankedProbabilities)
    {
        double total = 0;
        for (var i = 0; i < rankedProbabilities.Length; i++)
        {
            total += rankedProbabilities[i];
        }

        return total;
    }

    private static double Ratio(double numerator, double denominator, long count) =>
        count == 0 ? double.NaN : denominator == 0 ? 0 : numerator / denominator;
}
