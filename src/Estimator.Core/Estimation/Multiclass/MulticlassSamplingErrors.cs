namespace Estimator.Estimation.Multiclass;

/// <summary>
/// Fits the sampling-error models of NannyML's <c>sampling_error/multiclass_classification.py</c> on the reference:
/// per class the variance of the one-vs-rest per-row contributions and the share of rows that contribute.
/// </summary>
internal static class MulticlassSamplingErrors
{
    /// <summary>NannyML's empirical factor on the macro ROC AUC's error (<c>auroc_sampling_error</c>).</summary>
    public const double RocAucFactor = 1.2;

    /// <summary>
    /// Per class (v_k, f_k) of ROC AUC: <see cref="SamplingError.ForRocAuc"/> on the class's binarised targets and raw
    /// scores — NannyML's per-class <c>_get_class_components</c> is the binary component (σ² of the positives'
    /// normalised ranks, numpy's tie order, minority class as positive).
    /// </summary>
    /// <param name="targets">Class index per row; rows with a target and every score, in reference order.</param>
    /// <param name="scores">Raw scores per class of those rows.</param>
    /// <param name="k">The class.</param>
    public static (double Variance, double Fraction) RocAuc(int[] targets, double[] scores, int k)
    {
        var binary = new double[targets.Length];
        for (var i = 0; i < binary.Length; i++)
        {
            binary[i] = targets[i] == k ? 1 : 0;
        }

        var model = SamplingError.ForRocAuc(binary, scores);
        return (model.Sigma * model.Sigma, model.Fraction);
    }

    /// <summary>
    /// Per class (v_k, f_k) of a label metric from the reference's actual K × K counts (rows with a target and a
    /// prediction): v_k = q(1 − q), numpy's <c>np.var</c> of a 0/1 vector with a share q of ones (NaN when empty).
    /// </summary>
    /// <param name="metric">Precision, recall, specificity or F1.</param>
    /// <param name="counts">Cell true × K + predicted.</param>
    /// <param name="classes">K.</param>
    /// <param name="k">The class.</param>
    public static (double Variance, double Fraction) Label(Metric metric, long[] counts, int classes, int k)
    {
        long n = 0, tp = counts[(k * classes) + k], actual = 0, predicted = 0;
        for (var j = 0; j < classes; j++)
        {
            actual += counts[(k * classes) + j];
            predicted += counts[(j * classes) + k];
        }

        foreach (var c in counts)
        {
            n += c;
        }

        long fp = predicted - tp, fn = actual - tp, tn = n - actual - fp;
        var (ones, length, relevant) = metric switch
        {
            // TP ones, FP zeros; fraction = predicted k.
            Metric.Precision => (tp, tp + fp, tp + fp),

            // TP ones, FN zeros; fraction = actual k.
            Metric.Recall => (tp, tp + fn, tp + fn),

            // TN ones, FP zeros.
            Metric.Specificity => (tn, tn + fp, tn + fp),

            // TP ones, FN and FP zeros (no scaling, unlike the binary F1 component).
            Metric.F1 => (tp, tp + fn + fp, tp + fn + fp),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a one-vs-rest metric."),
        };
        return (BernoulliVariance(ones, length), (double)relevant / n);
    }

    /// <summary>Accuracy: σ² of the row-is-correct indicator over the reference (SE = σ / √n).</summary>
    public static double Accuracy(long[] counts, int classes)
    {
        long n = 0, correct = 0;
        for (var c = 0; c < counts.Length; c++)
        {
            n += counts[c];
            correct += c / classes == c % classes ? counts[c] : 0;
        }

        return BernoulliVariance(correct, n);
    }

    /// <summary>
    /// A confusion-matrix cell: σ² of a vector with the cell's count of ones among N (counts, 'all'), the true class's
    /// total ('true') or the predicted class's total ('pred'), and the share of rows that total is.
    /// </summary>
    public static MulticlassSamplingError Cell(long[] counts, int classes, int cell, ConfusionMatrixNormalization normalization)
    {
        long n = 0, trueTotal = 0, predictedTotal = 0;
        int i = cell / classes, j = cell % classes;
        for (var c = 0; c < counts.Length; c++)
        {
            n += counts[c];
            trueTotal += c / classes == i ? counts[c] : 0;
            predictedTotal += c % classes == j ? counts[c] : 0;
        }

        var count = counts[cell];
        return normalization switch
        {
            ConfusionMatrixNormalization.None => new([BernoulliVariance(count, n)], [1], GrowsWithChunkSize: true),
            ConfusionMatrixNormalization.All => new([BernoulliVariance(count, n)], [1]),
            ConfusionMatrixNormalization.True => new([BernoulliVariance(count, trueTotal)], [(double)trueTotal / n]),
            _ => new([BernoulliVariance(count, predictedTotal)], [(double)predictedTotal / n]),
        };
    }

    private static double BernoulliVariance(long ones, long length)
    {
        if (length == 0)
        {
            return double.NaN;
        }

        var q = (double)ones / length;
        return q * (1 - q);
    }
}
