namespace Estimator.Estimation;

/// <summary>
/// What a fitted CBPE component, binary (<see cref="MetricComponent"/>) or multiclass
/// (<see cref="Multiclass.MulticlassComponent"/>), brings to a chunk's row: its output name, the metric's value limits
/// and the alert thresholds. <see cref="FittedComponentExtensions"/> turns an estimate into bounds and an alert.
/// </summary>
public interface IFittedComponent
{
    /// <summary>The output name.</summary>
    string Name { get; }

    /// <summary>Smallest possible value (confidence bounds and thresholds are clipped to it); null if unbounded.</summary>
    double? LowerLimit { get; }

    /// <summary>Largest possible value; null if unbounded.</summary>
    double? UpperLimit { get; }

    /// <summary>Lower alert threshold; null when disabled.</summary>
    double? LowerThreshold { get; }

    /// <summary>Upper alert threshold; null when disabled.</summary>
    double? UpperThreshold { get; }
}
