namespace Estimator.Estimation.Multiclass;

/// <summary>
/// The multiclass metrics read off a chunk's <see cref="MulticlassChunkStatistics"/>: estimated as NannyML's
/// <c>Multiclass*</c> metric classes (one-vs-rest from the expected sums, then the plain mean over classes), realized
/// as the scikit-learn calls NannyML makes (<c>average='macro'</c>, <c>labels</c> = the classes).
/// </summary>
internal static class MulticlassMetrics
{
    /// <summary>The estimate, the rows it rests on (for the sampling error) and the realized value of a component.</summary>
    public static (double Estimated, int Rows, double Realized) Value(MulticlassComponent component, MulticlassChunkStatistics s, ConfusionMatrixNormalization normalization)
    {
        var metric = component.Metric;
        if (metric == Metric.RocAuc)
        {
            return (
                s.ScoreRows == 0 ? double.NaN : Over(s.EstimatedRocAuc, component.ClassIndex),
                s.ScoreRows,
                s.RealizedScoreRows == 0 || !s.AllClassesObserved ? double.NaN : Over(s.RealizedRocAuc, component.ClassIndex));
        }

        if (metric == Metric.ConfusionMatrix)
        {
            return (ExpectedCell(s, component.Cell, normalization), s.EstimateRows, RealizedCell(s, component.Cell, normalization));
        }

        var estimated = s.EstimateRows == 0 ? double.NaN : Estimated(metric, s, component.ClassIndex);
        return (estimated, s.EstimateRows, Realized(metric, s, component.ClassIndex));
    }

    // A class's value, or the mean over classes (np.mean of K values: summed in class order).
    private static double Over(double[] perClass, int classIndex)
    {
        if (classIndex >= 0)
        {
            return perClass[classIndex];
        }

        double sum = 0;
        foreach (var v in perClass)
        {
            sum += v;
        }

        return sum / perClass.Length;
    }

    private static double Estimated(Metric metric, MulticlassChunkStatistics s, int classIndex)
    {
        if (metric == Metric.Accuracy)
        {
            // np.mean(max(y_pred_binarized * p)): the probability of the predicted class, averaged.
            return s.ExpectedCorrect / s.EstimateRows;
        }

        return ClassOrMean(metric, s, classIndex, EstimatedClass);
    }

    // The class's one-vs-rest value, or the mean over the classes (summed in class order, as np.mean of K values).
    private static double ClassOrMean(Metric metric, MulticlassChunkStatistics s, int classIndex, Func<Metric, MulticlassChunkStatistics, int, double> perClass)
    {
        if (classIndex >= 0)
        {
            return perClass(metric, s, classIndex);
        }

        double sum = 0;
        for (var c = 0; c < s.Classes; c++)
        {
            sum += perClass(metric, s, c);
        }

        return sum / s.Classes;
    }

    // NannyML's estimate_precision / recall / specificity / f1: 0 when the denominator is 0.
    private static double EstimatedClass(Metric metric, MulticlassChunkStatistics s, int c)
    {
        double tp = s.TruePositive[c], fp = s.FalsePositive[c], fn = s.FalseNegative[c], tn = s.TrueNegative[c];
        var (numerator, denominator) = metric switch
        {
            Metric.Precision => (tp, tp + fp),
            Metric.Recall => (tp, tp + fn),
            Metric.Specificity => (tn, tn + fp),
            Metric.F1 => (tp, tp + (0.5 * (fp + fn))),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a one-vs-rest metric."),
        };
        return denominator != 0 ? numerator / denominator : 0;
    }

    /// <summary>
    /// The realized value CBPE's own metric classes compute, from which NannyML's CBPE derives the thresholds: as
    /// <see cref="Value"/>'s, except that accuracy is NaN on a chunk with a single actual or predicted class.
    /// </summary>
    public static double RealizedForThresholds(MulticlassComponent component, MulticlassChunkStatistics s, ConfusionMatrixNormalization normalization) =>
        component.Metric == Metric.Accuracy && (s.DistinctTargets <= 1 || s.DistinctPredictions <= 1)
            ? double.NaN
            : Value(component, s, normalization).Realized;

    private static double Realized(Metric metric, MulticlassChunkStatistics s, int classIndex)
    {
        if (!s.HasTargets || s.LabelledRows == 0)
        {
            return double.NaN;
        }

        if (metric == Metric.Accuracy)
        {
            // PerformanceCalculator's accuracy (the realized value NannyML reports for analysis chunks) has no check
            // on the number of distinct classes; CBPE's own does (RealizedForThresholds).
            long correct = 0;
            for (var c = 0; c < s.Classes; c++)
            {
                correct += s.Counts[(c * s.Classes) + c];
            }

            return (double)correct / s.LabelledRows;
        }

        // NannyML returns NaN when the labelled rows hold a single actual or a single predicted class.
        if (s.DistinctTargets <= 1 || s.DistinctPredictions <= 1)
        {
            return double.NaN;
        }

        return ClassOrMean(metric, s, classIndex, RealizedClass);
    }

    // scikit-learn's per-label precision / recall / F1 (zero_division → 0) and NannyML's specificity from
    // multilabel_confusion_matrix (0/0 → NaN, no guard).
    private static double RealizedClass(Metric metric, MulticlassChunkStatistics s, int c)
    {
        var k = s.Classes;
        long tp = s.Counts[(c * k) + c], actual = 0, predicted = 0;
        for (var j = 0; j < k; j++)
        {
            actual += s.Counts[(c * k) + j];
            predicted += s.Counts[(j * k) + c];
        }

        double precision = predicted == 0 ? 0 : (double)tp / predicted;
        double recall = actual == 0 ? 0 : (double)tp / actual;
        switch (metric)
        {
            case Metric.Precision:
                return precision;
            case Metric.Recall:
                return recall;
            case Metric.F1:
                {
                    // scikit-learn 1.2: (1 + β²)·P·R / (β²·P + R), a zero denominator replaced by 1.
                    var denominator = precision + recall;
                    return 2 * precision * recall / (denominator == 0 ? 1 : denominator);
                }

            case Metric.Specificity:
                {
                    var falsePositive = predicted - tp;
                    var trueNegative = s.LabelledRows - actual - falsePositive;
                    return (double)trueNegative / (trueNegative + falsePositive);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a one-vs-rest metric.");
        }
    }

    /// <summary>
    /// NannyML's <c>_get_multiclass_confusion_matrix_estimate</c>: the mean of p_i over rows predicted j, times n for
    /// counts, or divided by its row / column / grand total (no zero guard: 0/0 is NaN).
    /// </summary>
    private static double ExpectedCell(MulticlassChunkStatistics s, int cell, ConfusionMatrixNormalization normalization)
    {
        var n = s.EstimateRows;
        if (n == 0)
        {
            return double.NaN;
        }

        var k = s.Classes;
        var value = s.ExpectedCells[cell] / n;
        int i = cell / k, j = cell % k;
        double total = 0;
        switch (normalization)
        {
            case ConfusionMatrixNormalization.None:
                return value * n;
            case ConfusionMatrixNormalization.True:
                for (var c = 0; c < k; c++)
                {
                    total += s.ExpectedCells[(i * k) + c] / n;
                }

                break;
            case ConfusionMatrixNormalization.Pred:
                for (var c = 0; c < k; c++)
                {
                    total += s.ExpectedCells[(c * k) + j] / n;
                }

                break;
            default:
                foreach (var v in s.ExpectedCells)
                {
                    total += v / n;
                }

                break;
        }

        return value / total;
    }

    /// <summary>scikit-learn's <c>confusion_matrix(labels=classes, normalize=...)</c>: 0/0 becomes 0 (<c>nan_to_num</c>).</summary>
    private static double RealizedCell(MulticlassChunkStatistics s, int cell, ConfusionMatrixNormalization normalization)
    {
        if (!s.HasTargets || s.LabelledRows == 0 || s.DistinctTargets <= 1 || s.DistinctPredictions <= 1)
        {
            return double.NaN;
        }

        var k = s.Classes;
        double count = s.Counts[cell];
        int i = cell / k, j = cell % k;
        double total = 0;
        switch (normalization)
        {
            case ConfusionMatrixNormalization.None:
                return count;
            case ConfusionMatrixNormalization.True:
                for (var c = 0; c < k; c++)
                {
                    total += s.Counts[(i * k) + c];
                }

                break;
            case ConfusionMatrixNormalization.Pred:
                for (var c = 0; c < k; c++)
                {
                    total += s.Counts[(c * k) + j];
                }

                break;
            default:
                total = s.LabelledRows;
                break;
        }

        return total == 0 ? 0 : count / total;
    }
}
