namespace Estimator.Estimation;

/// <summary>
/// An immutable fitted CBPE estimator: calibrator, sampling-error models, thresholds and the reference-period rows.
/// Serialisable to JSON (<see cref="ToJson"/>, <see cref="FromJson"/>) so a host can reload it without refitting.
/// </summary>
public sealed class FittedCbpe : FittedCalculator<CbpeOptions>, IFittedCalculator
{
    internal FittedCbpe()
        : base(CalculatorKind.Cbpe)
    {
    }

    /// <summary>The calibration decision and, when the check ran, both ECE values.</summary>
    public required CalibrationReport Calibration { get; init; }

    /// <summary>The isotonic calibrator applied to scores before estimating; null when scores are used as they are.</summary>
    public required IsotonicCalibrator? Calibrator { get; init; }

    /// <summary>Per output component: sampling-error model, limits and thresholds.</summary>
    public required IReadOnlyList<MetricComponent> Components { get; init; }

    /// <summary>
    /// Estimates every chunk of <paramref name="analysis"/>; the result holds the reference chunks first, then the
    /// analysis chunks. When the analysis set carries targets, the realized value and the share of rows missing a
    /// label are filled in.
    /// </summary>
    /// <param name="analysis">The analysis data (scores, predictions as the metrics need, optional targets and timestamps).</param>
    /// <param name="model">The model's name written to the result.</param>
    /// <exception cref="EstimatorDataException">The analysis is empty, lacks a needed column, or holds values out of range.</exception>
    public CbpeResult Estimate(PredictionSet analysis, string model = "model") => Estimate(analysis, model, ComputeOptions.Default);

    /// <summary>Estimates as <see cref="Estimate(PredictionSet, string)"/>, using at most the threads <paramref name="compute"/> allows.</summary>
    /// <param name="analysis">The analysis data.</param>
    /// <param name="model">The model's name written to the result.</param>
    /// <param name="compute">Threads to use; the result is identical bit for bit whatever it is.</param>
    /// <exception cref="EstimatorDataException">The analysis is empty, lacks a needed column, or holds values out of range.</exception>
    public CbpeResult Estimate(PredictionSet analysis, string model, ComputeOptions compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(model);
        var needsPredictions = Options.Metrics.Any(m => m.RequiresPredictions());
        var (missingScore, missingPrediction) = InputValidation.Validate(analysis, "analysis", requireTargets: false, requirePredictions: needsPredictions);

        var data = PeriodData.Prepare(analysis, Calibrator);
        var chunks = Chunker.Split(data.Count, data.Timestamps, Options.Chunking);
        var (values, missingRates) = ChunkComputation.Compute(data, chunks, Specs(), Options, withRealized: true, compute.Threads);
        var analysisRows = BuildRows(chunks, values, missingRates, Components, Period.Analysis, hasTargets: analysis.Targets is not null);

        var rows = new List<ChunkEstimate>(ReferenceRows.Count + analysisRows.Count);
        rows.AddRange(ReferenceRows);
        rows.AddRange(analysisRows);

        return new CbpeResult(model, rows, Calibration, missingScore, missingPrediction);
    }

    /// <summary>
    /// Estimates one analysis chunk formed by the caller (the job host forms chunks across a stream of files): the rows
    /// given are the chunk's rows, in chunk order, and <paramref name="chunk"/> is written to the result as it is.
    /// </summary>
    /// <param name="rows">The chunk's rows (scores, predictions as the metrics need, optional targets and timestamps).</param>
    /// <param name="chunk">The chunk's descriptor in the stream; its row count must equal the rows given.</param>
    /// <exception cref="EstimatorDataException">The rows are empty, lack a needed column, or hold values out of range.</exception>
    public IReadOnlyList<ChunkEstimate> EstimateChunk(PredictionSet rows, Chunk chunk)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var local = new[] { ColumnChunks.Local(chunk, rows.Count) };
        var needsPredictions = Options.Metrics.Any(m => m.RequiresPredictions());
        InputValidation.Validate(rows, "analysis", requireTargets: false, requirePredictions: needsPredictions);
        var data = PeriodData.Prepare(rows, Calibrator);
        var (values, missingRates) = ChunkComputation.Compute(data, local, Specs(), Options, withRealized: true);
        return BuildRows([chunk], values, missingRates, Components, Period.Analysis, hasTargets: rows.Targets is not null);
    }

    /// <inheritdoc />
    CalculatorResult IFittedCalculator.Calculate(ModelData analysis, string model, ComputeOptions compute)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return Estimate(analysis.ToPredictionSet(), model, compute);
    }

    /// <inheritdoc />
    IReadOnlyList<ChunkEstimate> IFittedCalculator.CalculateChunk(ModelData rows, Chunk chunk)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return EstimateChunk(rows.ToPredictionSet(), chunk);
    }

    /// <summary>
    /// Starts estimating an analysis set that arrives in batches, in bounded memory (see <see cref="StreamingEstimate"/>).
    /// </summary>
    /// <param name="totalRows">The analysis row count, needed by size-based chunking (ignored for period chunking).</param>
    /// <param name="compute">Threads to use; null for every core. The result does not depend on it.</param>
    /// <exception cref="EstimatorDataException">A size-based rule and a row count that cannot be chunked.</exception>
    public StreamingEstimate BeginStreaming(long totalRows, ComputeOptions? compute = null) => new(this, totalRows, compute ?? ComputeOptions.Default);

    /// <summary>Serialises the fitted estimator to JSON.</summary>
    public string ToJson() => FittedCbpeJson.Serialize(this);

    /// <summary>Reads a fitted estimator written by <see cref="ToJson"/>.</summary>
    /// <exception cref="EstimatorDataException">The text is not a fitted estimator of a supported format version.</exception>
    public static FittedCbpe FromJson(string json) => FittedCbpeJson.Deserialize(json);

    /// <summary>What the chunk computation needs of each component, in output order.</summary>
    internal List<(Metric Metric, int Component, string Name)> Specs() => [.. Components.Select(c => (c.Metric, c.Component, c.Name))];

    internal static List<ChunkEstimate> BuildRows(
        IReadOnlyList<Chunk> chunks,
        ComponentValue[][] values,
        double[] missingRates,
        IReadOnlyList<MetricComponent> components,
        Period period,
        bool hasTargets) => FittedComponentExtensions.RowsByChunk(chunks.Count, components.Count, (c, k) =>
        {
            var value = values[c][k];
            var samplingError = components[k].SamplingError.For(value.Rows);
            return components[k].Row(chunks[c], period, value.Estimated, samplingError, hasTargets ? value.Realized : null, hasTargets ? missingRates[c] : null);
        });
}
