namespace Estimator.Learning;

/// <summary>
/// A fitted shift-aware CBPE: plain CBPE's fit (calibrator, sampling-error models, thresholds, reference rows) and the
/// reference as the weighted and prior-shift corrected estimators need it. Each analysis chunk's rows carry the values
/// of the estimator asked for, or with <see cref="ShiftEstimator.Auto"/> of the one the evidence picks; the rows name
/// it (<see cref="ChunkEstimate.Estimator"/>) and, for the weighted one, the effective sample size. Realized values,
/// thresholds and the reference rows are plain CBPE's. Serialisable (<see cref="ToJson"/>, <see cref="FromJson"/>, also
/// through <see cref="CalculatorJson.FromJson"/>) so a host reloads it without refitting.
/// </summary>
public sealed class FittedShiftAwareCbpe : FittedCalculator<ShiftAwareCbpeOptions>, IFittedCalculator
{
    internal FittedShiftAwareCbpe(FittedCbpe cbpe, ShiftReference? shift)
        : base(CalculatorKind.Cbpe)
    {
        Cbpe = cbpe;
        Shift = shift;
    }

    /// <summary>Plain CBPE's fit.</summary>
    public FittedCbpe Cbpe { get; }

    internal ShiftReference? Shift { get; }

    /// <summary>
    /// The features the estimator reads, in the configured order, each with whether the reference held it as categories
    /// (true) or numbers (false); empty when the estimator reads none. Chunks must give each feature the same kind.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, bool>> FeatureKinds =>
        Shift is null ? [] : [.. Shift.Encoder.Columns.Select(c => KeyValuePair.Create(c.Name, c.Categories is not null))];

    /// <summary>Estimates every chunk of <paramref name="analysis"/> (sorted by timestamp when it has one).</summary>
    /// <param name="analysis">The analysis rows: scores, predictions, the features, optional targets.</param>
    /// <param name="model">The model's name written to the result.</param>
    /// <param name="compute">Threads plain CBPE may use.</param>
    /// <exception cref="EstimatorDataException">The analysis lacks a needed column or holds values out of range.</exception>
    public ShiftAwareResult Estimate(ModelData analysis, string model, ComputeOptions compute)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(model);
        var data = analysis.SortedByTimestamp();
        var plain = Cbpe.Estimate(data.ToPredictionSet(), model, compute);
        var k = Cbpe.Components.Count;
        var rows = plain.Rows.ToList();
        var first = ReferenceRows.Count;
        var chunkCount = (rows.Count - first) / k;
        var evidence = new List<ShiftEvidence>(chunkCount);
        var estimation = Shift is null ? null : new ChunkShiftEstimation(Shift, Cbpe, Options);
        for (var c = 0; c < chunkCount; c++)
        {
            var chunk = rows[first + (c * k)].Chunk;
            evidence.Add(Apply(estimation, data, c, (int)chunk.StartIndex, (int)chunk.Rows, rows, first + (c * k)));
        }

        return new ShiftAwareResult(model, rows, plain, evidence);
    }

    /// <inheritdoc />
    CalculatorResult IFittedCalculator.Calculate(ModelData analysis, string model, ComputeOptions compute) => Estimate(analysis, model, compute);

    /// <inheritdoc />
    /// <remarks>
    /// A chunk formed by the caller (the store's): plain CBPE's rows of the chunk, then the estimator's values on all of
    /// <paramref name="rows"/>, as <see cref="Estimate"/> gives the same rows inside a whole analysis set.
    /// </remarks>
    public IReadOnlyList<ChunkEstimate> CalculateChunk(ModelData rows, Chunk chunk)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(chunk);
        var estimates = Cbpe.EstimateChunk(rows.ToPredictionSet(), chunk).ToList();
        Apply(Shift is null ? null : new ChunkShiftEstimation(Shift, Cbpe, Options), rows, (int)chunk.Index, 0, rows.Count, estimates, 0);
        return estimates;
    }

    /// <summary>Serialises the fitted estimator to JSON, reference rows and all (see <see cref="FromJson"/>).</summary>
    public string ToJson() => FittedShiftAwareCbpeJson.Serialize(this);

    /// <summary>Reads a fitted estimator written by <see cref="ToJson"/>; it estimates bit for bit as the one written.</summary>
    /// <param name="json">The document.</param>
    /// <exception cref="EstimatorDataException">The text is not a fitted shift-aware CBPE of a supported format version.</exception>
    public static FittedShiftAwareCbpe FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return FittedShiftAwareCbpeJson.Deserialize(json);
    }

    /// <summary>
    /// Registers with <see cref="CalculatorJson"/> the reader of <c>cbpe</c> documents that reads a shift-aware fit
    /// (one with a <c>shift</c> member) as this type and any other as plain <see cref="FittedCbpe"/> (idempotent; see
    /// <see cref="LearningCalculators"/>).
    /// </summary>
    public static void Register() => CalculatorJson.Register(
        CalculatorKind.Cbpe,
        json => FittedShiftAwareCbpeJson.IsShiftAware(json) ? FromJson(json) : FittedCbpe.FromJson(json));

    /// <summary>
    /// Overwrites the chunk's plain rows <c>rows[at .. at + k)</c> with the values of the estimator asked for (or chosen),
    /// naming it and the effective sample size; returns the evidence.
    /// </summary>
    private ShiftEvidence Apply(ChunkShiftEstimation? estimation, ModelData data, int chunkIndex, int start, int length, List<ChunkEstimate> rows, int at)
    {
        var components = Cbpe.Components;
        var k = components.Count;
        var plainValues = new ShiftValues([.. rows.Skip(at).Take(k).Select(r => r.Estimated)], [.. rows.Skip(at).Take(k).Select(r => r.SamplingError)], null);
        var (values, why) = estimation is null
            ? (plainValues, new ShiftEvidence(chunkIndex, ShiftEstimator.Cbpe, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, "cbpe (forced)"))
            : estimation.Estimate(data, chunkIndex, start, length, plainValues);
        for (var j = 0; j < k; j++)
        {
            var component = components[j];
            var estimate = values.Estimates[j];
            var error = values.SamplingErrors[j];
            rows[at + j] = rows[at + j] with
            {
                Estimated = estimate,
                SamplingError = error,
                LowerConfidenceBound = component.LowerBound(estimate, error),
                UpperConfidenceBound = component.UpperBound(estimate, error),
                Alert = component.IsAlert(estimate),
                Estimator = why.Estimator.Name(),
                EffectiveSampleSize = why.Estimator == ShiftEstimator.Weighted ? values.EffectiveSampleSize : null,
                DomainAuc = Finite(why.DomainAuc),
                EstimatedPrior = Finite(why.Prior),
                PriorLikelihoodRatio = Finite(why.PriorLikelihoodRatio),
                EstimatorReason = why.Reason,
            };
        }

        return why;
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}

/// <summary>The outcome of a shift-aware estimate: the rows, plain CBPE's result, and each analysis chunk's evidence.</summary>
/// <param name="model">The model's name.</param>
/// <param name="rows">Reference rows, then analysis rows with the chosen estimator's values.</param>
/// <param name="plain">Plain CBPE's result on the same chunks (calibration decision, rows missing a score or prediction).</param>
/// <param name="evidence">One entry per analysis chunk.</param>
public sealed class ShiftAwareResult(string model, IReadOnlyList<ChunkEstimate> rows, CbpeResult plain, IReadOnlyList<ShiftEvidence> evidence)
    : CalculatorResult(model, rows)
{
    /// <summary>Plain CBPE's result on the same chunks.</summary>
    public CbpeResult Plain { get; } = plain;

    /// <summary>Each analysis chunk's estimator and why.</summary>
    public IReadOnlyList<ShiftEvidence> Evidence { get; } = evidence;
}
