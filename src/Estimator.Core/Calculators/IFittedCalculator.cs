namespace Estimator.Calculators;

/// <summary>
/// A fitted calculator: immutable, serialisable (<see cref="ToJson"/>, read back with
/// <see cref="CalculatorJson.FromJson"/>), turning chunks of analysis rows into long-format rows. The store, the
/// host, the command line, files, plots and <c>/metrics</c> consume this interface and the rows, not the calculator
/// types, so a new calculator is added in one place.
/// </summary>
public interface IFittedCalculator
{
    /// <summary>What the calculator measures.</summary>
    CalculatorKind Kind { get; }

    /// <summary>How rows are cut into chunks.</summary>
    Chunking Chunking { get; }

    /// <summary>The reference chunks' rows, computed at fit time (thresholds come from them).</summary>
    IReadOnlyList<ChunkEstimate> ReferenceRows { get; }

    /// <summary>
    /// Chunks <paramref name="analysis"/> (sorted by timestamp when it has one) and computes every chunk; the result
    /// holds <see cref="ReferenceRows"/> first, then the analysis rows in chunk order.
    /// </summary>
    /// <param name="analysis">The analysis rows.</param>
    /// <param name="model">The model's name written to the result.</param>
    /// <param name="compute">Threads to use; the result is identical whatever it is.</param>
    /// <exception cref="EstimatorDataException">The analysis lacks a needed column or holds values out of range.</exception>
    CalculatorResult Calculate(ModelData analysis, string model, ComputeOptions compute);

    /// <summary>
    /// Computes one analysis chunk the caller formed (the store forms chunks across files, the online window from
    /// posted rows): <paramref name="rows"/> are the chunk's rows in chunk order; <paramref name="chunk"/> is written
    /// to the rows as it is.
    /// </summary>
    /// <param name="rows">The chunk's rows.</param>
    /// <param name="chunk">The chunk's descriptor; its row count must equal the rows given.</param>
    /// <exception cref="EstimatorDataException">The rows lack a needed column or hold values out of range.</exception>
    IReadOnlyList<ChunkEstimate> CalculateChunk(ModelData rows, Chunk chunk);

    /// <summary>The JSON form: an object whose <c>kind</c> member names the calculator (see <see cref="CalculatorJson"/>).</summary>
    string ToJson();
}
