namespace Estimator.Calculators;

/// <summary>
/// What the options of every calculator over a model's input columns (drift, data quality, the domain classifier) say:
/// which columns, and how reference and analysis are chunked.
/// </summary>
public abstract record ColumnCalculatorOptions : ICalculatorOptions
{
    private protected ColumnCalculatorOptions()
    {
    }

    /// <summary>The input columns, in output order; numeric ones are continuous, text and boolean ones categorical unless an option says otherwise.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>How reference and analysis are chunked.</summary>
    /// <value>Default: <see cref="Chunking.Default"/> (NannyML's ten chunks).</value>
    public Chunking Chunking { get; init; } = Chunking.Default;
}
