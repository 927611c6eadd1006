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

    /// <summary>Throws unless <paramref name="options"/> lists at least one column, each once.</summary>
    /// <param name="options">The options a calculator was given (null is an error too).</param>
    /// <param name="calculator">The calculator's name for the message, e.g. "Reconstruction error".</param>
    /// <exception cref="ArgumentException">No columns, or a duplicate.</exception>
    public static void CheckColumns(ColumnCalculatorOptions options, string calculator)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Columns is null || options.Columns.Count == 0 || options.Columns.Distinct(StringComparer.Ordinal).Count() != options.Columns.Count)
        {
            throw new ArgumentException($"{calculator} needs at least one column, each listed once.", nameof(options));
        }
    }
}
