namespace Estimator.Calculators;

/// <summary>What a calculator measures. A closed set; its snake_case name is what files, JSON and URLs carry.</summary>
public enum CalculatorKind
{
    /// <summary>Binary confidence-based performance estimation (<c>cbpe</c>).</summary>
    Cbpe,

    /// <summary>Multiclass CBPE, one-vs-rest per class (<c>multiclass_cbpe</c>).</summary>
    MulticlassCbpe,

    /// <summary>Direct loss estimation for regression models (<c>dle</c>).</summary>
    DirectLossEstimation,

    /// <summary>Per-column drift of the inputs (<c>univariate_drift</c>).</summary>
    UnivariateDrift,

    /// <summary>Multivariate drift: PCA reconstruction error (<c>reconstruction_error</c>).</summary>
    ReconstructionError,

    /// <summary>Multivariate drift: a classifier separating reference from analysis (<c>domain_classifier</c>).</summary>
    DomainClassifier,

    /// <summary>Data quality: share of missing values per column (<c>missing_values</c>).</summary>
    MissingValues,

    /// <summary>Data quality: share of categories not seen in the reference (<c>unseen_values</c>).</summary>
    UnseenValues,

    /// <summary>Data quality: share of numeric values outside the reference range (<c>range_violations</c>).</summary>
    RangeViolations,

    /// <summary>Data quality: mean, median, standard deviation and row count per column (<c>summary_statistics</c>).</summary>
    SummaryStatistics,
}

/// <summary>Names of <see cref="CalculatorKind"/> values, and parsing them back (once, at the edges).</summary>
public static class CalculatorKinds
{
    private static readonly NameTable<CalculatorKind> Names = new(
        "cbpe", "multiclass_cbpe", "dle", "univariate_drift", "reconstruction_error", "domain_classifier", "missing_values",
        "unseen_values", "range_violations", "summary_statistics");

    /// <summary>The kind's snake_case name (<c>cbpe</c>, <c>univariate_drift</c>, ...).</summary>
    /// <param name="kind">The kind.</param>
    public static string Name(this CalculatorKind kind) => Names.NameOf(kind, nameof(kind), "Unknown calculator kind.");

    /// <summary>Whether the kind estimates model performance (as opposed to measuring the inputs).</summary>
    /// <param name="kind">The kind.</param>
    public static bool IsPerformance(this CalculatorKind kind) =>
        kind is CalculatorKind.Cbpe or CalculatorKind.MulticlassCbpe or CalculatorKind.DirectLossEstimation;

    /// <summary>Parses a kind's name (case-insensitive).</summary>
    /// <param name="text">The name.</param>
    /// <param name="kind">The kind, when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? text, out CalculatorKind kind) => Names.TryParse(text, out kind);

    /// <summary>Parses a kind's name (case-insensitive).</summary>
    /// <param name="text">The name.</param>
    /// <exception cref="FormatException">The name is not a calculator kind; the message lists the known ones.</exception>
    public static CalculatorKind Parse(string text) => TryParse(text, out var kind)
        ? kind
        : throw new FormatException($"'{text}' is not a calculator; use one of {Names}");
}
