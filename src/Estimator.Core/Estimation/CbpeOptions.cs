namespace Estimator.Estimation;

/// <summary>How a CBPE estimator is fitted and how it estimates. Immutable; validated once by <see cref="Cbpe.Fit(PredictionSet, CbpeOptions?)"/>.</summary>
public sealed record CbpeOptions : ConfidenceBasedOptions
{
    /// <summary>The metrics to estimate, in output order.</summary>
    /// <value>Default: roc_auc, precision, recall, f1, accuracy, specificity.</value>
    public IReadOnlyList<Metric> Metrics { get; init; } =
        [Metric.RocAuc, Metric.Precision, Metric.Recall, Metric.F1, Metric.Accuracy, Metric.Specificity];

    /// <summary>The business value matrix, required when <see cref="Metric.BusinessValue"/> is requested.</summary>
    /// <value>Default: null.</value>
    public BusinessValueMatrix? BusinessValueMatrix { get; init; }

    /// <summary>Whether business value is normalised per prediction (sum over predicted classes of the mean value per prediction).</summary>
    /// <value>Default: false (total value of the chunk).</value>
    public bool NormalizeBusinessValuePerPrediction { get; init; }
}

/// <summary>How confusion-matrix cells are normalised.</summary>
public enum ConfusionMatrixNormalization
{
    /// <summary>Expected counts.</summary>
    None,

    /// <summary>Divided by the number of rows.</summary>
    All,

    /// <summary>Divided by the actual-class total (TP/(TP+FN), TN/(TN+FP), FP/(TN+FP), FN/(TP+FN)).</summary>
    True,

    /// <summary>Divided by the predicted-class total (TP/(TP+FP), TN/(TN+FN), FP/(TP+FP), FN/(TN+FN)).</summary>
    Pred,
}

/// <summary>Value of each confusion-matrix cell for the business value metric, indexed [actual][predicted].</summary>
/// <param name="TrueNegative">Value of a true negative (actual 0, predicted 0).</param>
/// <param name="FalsePositive">Value of a false positive (actual 0, predicted 1).</param>
/// <param name="FalseNegative">Value of a false negative (actual 1, predicted 0).</param>
/// <param name="TruePositive">Value of a true positive (actual 1, predicted 1).</param>
public sealed record BusinessValueMatrix(double TrueNegative, double FalsePositive, double FalseNegative, double TruePositive)
{
    /// <summary>Value of cell [actual][predicted], each 0 or 1.</summary>
    public double this[int actual, int predicted] => (actual, predicted) switch
    {
        (0, 0) => TrueNegative,
        (0, 1) => FalsePositive,
        (1, 0) => FalseNegative,
        (1, 1) => TruePositive,
        _ => throw new ArgumentOutOfRangeException(nameof(actual), "Cells are indexed by 0 and 1."),
    };
}
