using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.Estimation.Shift;

namespace Estimator.Learning;

/// <summary>
/// A fitted shift-aware CBPE: plain CBPE's fit (calibrator, sampling-error models, thresholds, reference rows) and the
/// reference as the weighted and prior-shift corrected estimators need it. Each analysis chunk's rows carry the values
/// of the estimator asked for, or with <see cref="ShiftEstimator.Auto"/> of the one the evidence picks; the rows name
/// it (<see cref="ChunkEstimate.Estimator"/>) and, for the weighted one, the effective sample size. Realized values,
/// thresholds and the reference rows are plain CBPE's.
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
        var components = Cbpe.Components;
        var k = components.Count;
        var rows = plain.Rows.ToList();
        var first = ReferenceRows.Count;
        var chunkCount = (rows.Count - first) / k;
        var evidence = new List<ShiftEvidence>(chunkCount);
        var estimation = Shift is null ? null : new ChunkShiftEstimation(Shift, Cbpe, Options);
        for (var c = 0; c < chunkCount; c++)
        {
            var at = first + (c * k);
            var chunk = rows[at].Chunk;
            var plainValues = new ShiftValues([.. rows.Skip(at).Take(k).Select(r => r.Estimated)], [.. rows.Skip(at).Take(k).Select(r => r.SamplingError)], null);
            var (values, why) = estimation is null
                ? (plainValues, new ShiftEvidence(c, ShiftEstimator.Cbpe, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, "cbpe (forced)"))
                : estimation.Estimate(data, c, (int)chunk.StartIndex, (int)chunk.Rows, plainValues);
            evidence.Add(why);
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
                };
            }
        }

        return new ShiftAwareResult(model, rows, plain, evidence);
    }

    /// <inheritdoc />
    CalculatorResult IFittedCalculator.Calculate(ModelData analysis, string model, ComputeOptions compute) => Estimate(analysis, model, compute);

    /// <inheritdoc />
    /// <remarks>A chunk formed by the caller is estimated as an analysis set of one chunk.</remarks>
    public IReadOnlyList<ChunkEstimate> CalculateChunk(ModelData rows, Chunk chunk)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(chunk);
        var result = Estimate(rows, "model", ComputeOptions.Default);
        return [.. result.Rows.Skip(ReferenceRows.Count).Select(r => r with { Chunk = chunk })];
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always for now: only plain CBPE's fit is written (<see cref="FittedCbpe.ToJson"/>).</exception>
    public string ToJson() => throw new NotSupportedException("A fitted shift-aware CBPE is not serialisable yet; save the plain CBPE fit (Cbpe.ToJson()) instead.");
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
