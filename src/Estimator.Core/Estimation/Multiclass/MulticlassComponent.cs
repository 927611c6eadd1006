namespace Estimator.Estimation.Multiclass;

/// <summary>
/// One output row kind of multiclass CBPE, fitted: a macro-averaged metric, a class's one-vs-rest metric, or one cell
/// of the K × K confusion matrix; with what the fit learned for it (sampling-error model, value limits, thresholds).
/// </summary>
/// <param name="Metric">The metric.</param>
/// <param name="Name">The output name: the metric's (<c>roc_auc</c>, ...) or, for a confusion-matrix cell, NannyML's <c>true_{a}_pred_{b}</c>.</param>
/// <param name="Class">The class of a one-vs-rest row; null on macro rows and confusion-matrix cells.</param>
/// <param name="ClassIndex">Index of <paramref name="Class"/> among the fitted classes; −1 when none.</param>
/// <param name="Cell">Confusion-matrix cell as true × K + predicted; −1 for other metrics.</param>
/// <param name="SamplingError">The sampling-error model fitted on the reference.</param>
/// <param name="LowerLimit">Smallest possible value (bounds and thresholds are clipped to it); null if unbounded.</param>
/// <param name="UpperLimit">Largest possible value; null if unbounded.</param>
/// <param name="LowerThreshold">Lower alert threshold; null when disabled.</param>
/// <param name="UpperThreshold">Upper alert threshold; null when disabled.</param>
public sealed record MulticlassComponent(
    Metric Metric,
    string Name,
    string? Class,
    int ClassIndex,
    int Cell,
    MulticlassSamplingError SamplingError,
    double? LowerLimit,
    double? UpperLimit,
    double? LowerThreshold,
    double? UpperThreshold) : IFittedComponent;
