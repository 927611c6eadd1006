namespace Estimator.Calculators;

/// <summary>
/// A calculator before fitting: its options and the step that learns from the reference period. Every calculator —
/// performance estimation, drift, data quality — has this one lifecycle: <see cref="Fit"/> on reference rows →
/// an immutable <see cref="IFittedCalculator"/> (JSON round trip) → long-format rows per chunk.
/// </summary>
public interface ICalculator
{
    /// <summary>What the calculator measures.</summary>
    CalculatorKind Kind { get; }

    /// <summary>How reference and analysis rows are cut into chunks.</summary>
    Chunking Chunking { get; }

    /// <summary>Learns from the reference period: whatever the calculator needs, plus thresholds from the reference chunks.</summary>
    /// <param name="reference">The reference rows (with targets where the calculator needs them).</param>
    /// <param name="compute">Threads to use; results do not depend on it.</param>
    /// <exception cref="EstimatorDataException">The reference lacks a needed column or holds values out of range.</exception>
    IFittedCalculator Fit(ModelData reference, ComputeOptions compute);
}
