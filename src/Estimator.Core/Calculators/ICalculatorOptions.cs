namespace Estimator.Calculators;

/// <summary>What the options of every calculator say: how reference and analysis rows are cut into chunks.</summary>
public interface ICalculatorOptions
{
    /// <summary>How reference and analysis rows are cut into chunks.</summary>
    Chunking Chunking { get; }
}
