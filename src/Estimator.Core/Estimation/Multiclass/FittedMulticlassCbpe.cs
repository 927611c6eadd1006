namespace Estimator.Estimation.Multiclass;

/// <summary>
/// An immutable fitted multiclass CBPE estimator: the classes, a calibrator per class (or none), the fitted components
/// (sampling-error models, thresholds) and the reference-period rows. Serialisable (<see cref="ToJson"/>,
/// <see cref="FromJson"/>, also through <see cref="CalculatorJson.FromJson"/>), so a host reloads it without refitting.
/// </summary>
public sealed class FittedMulticlassCbpe : FittedCalculator<MulticlassCbpeOptions>, IFittedCalculator
{
    internal FittedMulticlassCbpe()
        : base(CalculatorKind.MulticlassCbpe)
    {
    }

    /// <summary>The classes, sorted ordinally (NannyML's order); analysis data must have a score column for each.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>The calibration decision per class, in the order of <see cref="Classes"/>.</summary>
    public required IReadOnlyList<CalibrationReport> Calibration { get; init; }

    /// <summary>Per class, the isotonic calibrator applied to its scores before renormalising; null where scores are used as they are.</summary>
    public required IReadOnlyList<IsotonicCalibrator?> Calibrators { get; init; }

    /// <summary>The output components in row order, with their sampling-error models and thresholds.</summary>
    public required IReadOnlyList<MulticlassComponent> Components { get; init; }

    private bool WantsRocAuc => Options.Metrics.Contains(Metric.RocAuc);

    private bool NeedsPredictions => Options.Metrics.Any(m => m.RequiresPredictions());

    /// <summary>
    /// Estimates every chunk of <paramref name="analysis"/> (sorted by timestamp when it has one); the result holds the
    /// reference rows first. When the analysis carries targets the realized values are filled in.
    /// </summary>
    /// <param name="analysis">Per-class scores (any class order, matched by name), predictions, optional targets and timestamps.</param>
    /// <param name="model">The model's name written to the result.</param>
    /// <param name="compute">Threads to use; null for every core. The result is identical whatever it is.</param>
    /// <exception cref="EstimatorDataException">No rows, a class without a score column, a label not among the classes, a score outside [0, 1].</exception>
    public MulticlassCbpeResult Estimate(ModelData analysis, string model = "model", ComputeOptions? compute = null)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(model);
        compute ??= ComputeOptions.Default;
        var columns = MulticlassColumns.Map(analysis, Classes, "analysis", requireTargets: false, requirePredictions: NeedsPredictions);
        var data = columns.SortedByTimestamp().WithProbabilities(Calibrators);
        var chunks = Chunker.Split(data.Count, data.Timestamps, Options.Chunking);
        var stats = MulticlassChunks.Gather(data, chunks, WantsRocAuc, compute.Threads);
        var rows = new List<ChunkEstimate>(ReferenceRows.Count + (chunks.Count * Components.Count));
        rows.AddRange(ReferenceRows);
        rows.AddRange(MulticlassChunks.Rows(chunks, stats, Components, Options.ConfusionMatrixNormalization, Period.Analysis));
        return new MulticlassCbpeResult(model, rows, Classes, Calibration, columns.RowsMissingScore, columns.RowsMissingPrediction, columns.RowsScoreSumOff);
    }

    /// <summary>
    /// Estimates one analysis chunk the caller formed (the store forms chunks across files): the rows given are the
    /// chunk's rows in chunk order, and <paramref name="chunk"/> is written to the rows as it is.
    /// </summary>
    /// <param name="rows">The chunk's rows.</param>
    /// <param name="chunk">The chunk's descriptor; its row count must equal the rows given.</param>
    /// <exception cref="EstimatorDataException">The rows lack a needed column or hold values out of range.</exception>
    public IReadOnlyList<ChunkEstimate> EstimateChunk(ModelData rows, Chunk chunk)
    {
        var local = ColumnChunks.Local(rows, chunk);
        var data = MulticlassColumns.Map(rows, Classes, "analysis", requireTargets: false, requirePredictions: NeedsPredictions).WithProbabilities(Calibrators);
        var stats = MulticlassChunks.Gather(data, [local], WantsRocAuc, threads: 1);
        return MulticlassChunks.Rows([chunk], stats, Components, Options.ConfusionMatrixNormalization, Period.Analysis);
    }

    /// <inheritdoc />
    CalculatorResult IFittedCalculator.Calculate(ModelData analysis, string model, ComputeOptions compute) => Estimate(analysis, model, compute);

    /// <inheritdoc />
    IReadOnlyList<ChunkEstimate> IFittedCalculator.CalculateChunk(ModelData rows, Chunk chunk) => EstimateChunk(rows, chunk);

    /// <summary>Serialises the fitted estimator to JSON (<c>kind</c>: <c>multiclass_cbpe</c>).</summary>
    public string ToJson() => FittedMulticlassCbpeJson.Serialize(this);

    /// <summary>Reads a fitted estimator written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The document.</param>
    /// <exception cref="EstimatorDataException">The text is not fitted multiclass CBPE of a supported format version.</exception>
    public static FittedMulticlassCbpe FromJson(string json) => FittedMulticlassCbpeJson.Deserialize(json);
}
