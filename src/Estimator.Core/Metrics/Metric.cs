namespace Estimator.Metrics;

/// <summary>A binary-classification metric that CBPE estimates per chunk.</summary>
public enum Metric
{
    /// <summary>Area under the ROC curve (<c>roc_auc</c>); needs only scores.</summary>
    RocAuc,

    /// <summary>TP / (TP + FP) (<c>precision</c>).</summary>
    Precision,

    /// <summary>TP / (TP + FN) (<c>recall</c>).</summary>
    Recall,

    /// <summary>Harmonic mean of precision and recall (<c>f1</c>).</summary>
    F1,

    /// <summary>(TP + TN) / n (<c>accuracy</c>).</summary>
    Accuracy,

    /// <summary>TN / (TN + FP) (<c>specificity</c>).</summary>
    Specificity,

    /// <summary>Average precision (<c>average_precision</c>); needs only scores.</summary>
    AveragePrecision,

    /// <summary>The four confusion-matrix cells (<c>confusion_matrix</c>), each reported as its own component.</summary>
    ConfusionMatrix,

    /// <summary>Value of the confusion matrix weighted by a business value matrix (<c>business_value</c>).</summary>
    BusinessValue,
}

/// <summary>Parses and prints metric names as NannyML spells them (<c>roc_auc</c>, <c>f1</c>, ...).</summary>
public static class MetricNames
{
    // In declaration order; All lists them in NannyML's order.
    private static readonly NameTable<Metric> Names = new(
        "roc_auc", "precision", "recall", "f1", "accuracy", "specificity", "average_precision", "confusion_matrix", "business_value");

    /// <summary>The metric names the engine accepts, in NannyML's order.</summary>
    public static IReadOnlyList<string> All { get; } =
        ["roc_auc", "f1", "average_precision", "precision", "recall", "specificity", "accuracy", "confusion_matrix", "business_value"];

    /// <summary>The confusion-matrix component names, in NannyML's column order.</summary>
    public static IReadOnlyList<string> ConfusionMatrixComponents { get; } =
        ["true_positive", "true_negative", "false_positive", "false_negative"];

    /// <summary>The snake_case name of a metric.</summary>
    public static string ToName(this Metric metric) => Names.NameOf(metric, nameof(metric), "Unknown metric.");

    /// <summary>Parses a snake_case metric name (case-insensitive, surrounding space ignored).</summary>
    public static bool TryParse(string? name, out Metric metric) => Names.TryParse(name, out metric);

    /// <summary>Parses a snake_case metric name or throws <see cref="ArgumentException"/> listing the known names.</summary>
    public static Metric Parse(string name) => TryParse(name, out var metric)
        ? metric
        : throw new ArgumentException($"Unknown metric '{name}'. Known metrics: {string.Join(", ", All)}.", nameof(name));

    /// <summary>Whether the metric needs the predicted label (<c>y_pred</c>); only ROC AUC and average precision do not.</summary>
    public static bool RequiresPredictions(this Metric metric) => metric is not (Metric.RocAuc or Metric.AveragePrecision);
}
