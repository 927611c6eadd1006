namespace Estimator.Calculators;

/// <summary>
/// The immutable outcome of a calculation: long format, one row per chunk × metric or method (× column, × class),
/// reference chunks first, then analysis chunks, each in chunk order.
/// </summary>
public class CalculatorResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="model">The model's name (free text; written to files' <c>model</c> column).</param>
    /// <param name="rows">The rows, in output order.</param>
    public CalculatorResult(string model, IReadOnlyList<ChunkEstimate> rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        Model = model;
        Rows = rows;
    }

    /// <summary>The model's name.</summary>
    public string Model { get; }

    /// <summary>All rows, reference first.</summary>
    public IReadOnlyList<ChunkEstimate> Rows { get; }
}
