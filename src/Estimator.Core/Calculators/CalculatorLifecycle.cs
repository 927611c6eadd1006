namespace Estimator.Calculators;

/// <summary>
/// The steps the column calculators (univariate drift, data quality, reconstruction error) share around their own
/// measures: the checks a fit or a calculation starts with, and a calculation's frame (analysis sorted by timestamp,
/// split into the fitted chunking, reference rows first).
/// </summary>
internal static class CalculatorLifecycle
{
    /// <summary>Checks a fit's arguments.</summary>
    /// <exception cref="EstimatorDataException">The reference has no rows.</exception>
    public static void CheckReference(ModelData reference, ComputeOptions compute)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(compute);
        if (reference.Count == 0)
        {
            throw new EstimatorDataException("the reference has no rows");
        }
    }

    /// <summary>
    /// Calculates every analysis chunk of <paramref name="fitted"/>: checks the arguments, prepares and sorts the rows,
    /// splits them into the fitted chunking and appends <paramref name="analysisRows"/>(data, chunks) to the reference rows.
    /// </summary>
    /// <param name="fitted">The fitted calculator (its chunking and reference rows).</param>
    /// <param name="analysis">The analysis rows as given.</param>
    /// <param name="model">The model's name written to the result.</param>
    /// <param name="compute">Threads the measure may use.</param>
    /// <param name="analysisRows">The calculator's rows for the sorted data and its chunks.</param>
    /// <param name="prepare">What the calculator does to the rows before they are sorted; null for nothing.</param>
    /// <exception cref="EstimatorDataException">The analysis has no rows.</exception>
    public static CalculatorResult Calculate(
        IFittedCalculator fitted,
        ModelData analysis,
        string model,
        ComputeOptions compute,
        Func<ModelData, IReadOnlyList<Chunk>, IEnumerable<ChunkEstimate>> analysisRows,
        Func<ModelData, ModelData>? prepare = null)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(compute);
        if (analysis.Count == 0)
        {
            throw new EstimatorDataException("the analysis data has no rows");
        }

        var data = (prepare is null ? analysis : prepare(analysis)).SortedByTimestamp();
        var chunks = Chunker.Split(data.Count, data.Timestamps, fitted.Chunking);
        var rows = new List<ChunkEstimate>(fitted.ReferenceRows);
        rows.AddRange(analysisRows(data, chunks));
        return new CalculatorResult(model, rows);
    }
}
