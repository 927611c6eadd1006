using Estimator.Numerics;

namespace Estimator.Learning;

/// <summary>
/// A fitted direct loss estimator (NannyML 0.13.1's DLE): per loss an error model trained on the reference, NannyML's
/// sampling-error components, and thresholds from the realized reference chunks. Immutable; JSON round trip carries the
/// trained models, so a host never retrains on restart.
/// </summary>
public sealed class FittedDle : IFittedCalculator
{
    internal FittedDle(
        DleOptions options,
        FeatureEncoder encoder,
        IReadOnlyDictionary<DleMetric, LossModel> models,
        IReadOnlyList<DleComponent> components,
        IReadOnlyList<ChunkEstimate>? referenceRows)
    {
        Options = options;
        Encoder = encoder;
        Models = models;
        Components = components;
        ReferenceRows = referenceRows ?? [];
    }

    /// <summary>The options it was fitted with.</summary>
    public DleOptions Options { get; }

    /// <inheritdoc />
    public CalculatorKind Kind => CalculatorKind.DirectLossEstimation;

    /// <inheritdoc />
    public Chunking Chunking => Options.Chunking;

    /// <inheritdoc />
    public IReadOnlyList<ChunkEstimate> ReferenceRows { get; internal set; }

    internal FeatureEncoder Encoder { get; }

    internal IReadOnlyDictionary<DleMetric, LossModel> Models { get; }

    internal IReadOnlyList<DleComponent> Components { get; }

    /// <summary>Registers the JSON reader with <see cref="CalculatorJson"/> (idempotent; see <see cref="LearningCalculators"/>).</summary>
    public static void Register() => CalculatorJson.Register(CalculatorKind.DirectLossEstimation, FromJson);

    /// <inheritdoc />
    public CalculatorResult Calculate(ModelData analysis, string model, ComputeOptions compute)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(compute);
        DleValidation.Validate(analysis, "analysis", Options, requireTargets: false);

        // As every calculator: rows are chunked in timestamp order (a stable sort; no copy when already sorted).
        analysis = analysis.SortedByTimestamp();
        var chunks = Chunker.Split(analysis.Count, analysis.Timestamps ?? [], Options.Chunking);
        var rows = new List<ChunkEstimate>(ReferenceRows);
        rows.AddRange(BuildRows(analysis, chunks, Period.Analysis, compute.Threads));
        return new CalculatorResult(model, rows);
    }

    /// <inheritdoc />
    public IReadOnlyList<ChunkEstimate> CalculateChunk(ModelData rows, Chunk chunk)
    {
        var local = ColumnChunks.Local(rows, chunk);
        DleValidation.Validate(rows, "analysis", Options, requireTargets: false);
        return [.. BuildRows(rows, [local], Period.Analysis, 1).Select(r => r with { Chunk = chunk })];
    }

    /// <inheritdoc />
    public string ToJson() => FittedDleJson.Serialize(this);

    /// <summary>Reads a fitted estimator written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The fitted estimator, models included.</returns>
    /// <exception cref="EstimatorDataException">The text is not a fitted DLE of a supported format version.</exception>
    public static FittedDle FromJson(string json) => FittedDleJson.Deserialize(json);

    internal List<ChunkEstimate> BuildRows(ModelData data, IReadOnlyList<Chunk> chunks, Period period, int threads)
    {
        var matrix = Encoder.Encode(data, period == Period.Reference ? "reference" : "analysis");
        var predictions = data.Predictions!;
        var usable = UsableRows(predictions);
        var losses = Models.Keys.Order().ToArray();
        var predicted = new double[losses.Length][];
        for (var k = 0; k < losses.Length; k++)
        {
            var scores = Models[losses[k]].Predict(matrix, usable, threads);
            if (usable.Length == data.Count)
            {
                predicted[k] = scores;
                continue;
            }

            var full = new double[data.Count];
            Array.Fill(full, double.NaN);
            for (var j = 0; j < usable.Length; j++)
            {
                full[usable[j]] = scores[j];
            }

            predicted[k] = full;
        }

        var result = new List<ChunkEstimate>(chunks.Count * Components.Count);
        foreach (var chunk in chunks)
        {
            var start = (int)chunk.StartIndex;
            var length = (int)chunk.Rows;
            foreach (var component in Components)
            {
                var estimatedLoss = predicted[Array.IndexOf(losses, component.Metric.Loss())].AsSpan(start, length);
                var estimated = DleMetrics.FromMeanLoss(component.Metric, NanStatistics.Mean(estimatedLoss));
                var samplingError = DleMetrics.SamplingError(component.Metric, component.SamplingErrorComponents, length);
                double? realized = null;
                double? missingRate = null;
                if (data.Targets is { } targets)
                {
                    realized = Realized(component.Metric, targets.AsSpan(start, length), predictions.AsSpan(start, length), out var missing);
                    missingRate = (double)missing / length;
                }

                result.Add(new ChunkEstimate(
                    chunk,
                    period,
                    component.Metric.Name(),
                    estimated,
                    samplingError,
                    Math.Max(0, estimated - (3 * samplingError)),
                    estimated + (3 * samplingError),
                    component.LowerThreshold,
                    component.UpperThreshold,
                    (component.LowerThreshold is { } lo && estimated < lo) || (component.UpperThreshold is { } hi && estimated > hi),
                    realized,
                    missingRate)
                { Calculator = CalculatorKind.DirectLossEstimation });
            }
        }

        return result;
    }

    // The rows with a prediction (the error models need it as a feature), in order.
    private static int[] UsableRows(double[] predictions)
    {
        var count = 0;
        foreach (var p in predictions)
        {
            count += double.IsNaN(p) ? 0 : 1;
        }

        var rows = new int[count];
        var next = 0;
        for (var i = 0; i < predictions.Length; i++)
        {
            if (!double.IsNaN(predictions[i]))
            {
                rows[next++] = i;
            }
        }

        return rows;
    }

    /// <summary>The realized metric of a chunk: rows missing a target or a prediction are left out, as NannyML does.</summary>
    internal static double Realized(DleMetric metric, ReadOnlySpan<double> targets, ReadOnlySpan<double> predictions, out int missingTargets)
    {
        double sum = 0;
        var n = 0;
        missingTargets = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            if (double.IsNaN(targets[i]))
            {
                missingTargets++;
                continue;
            }

            if (double.IsNaN(predictions[i]))
            {
                continue;
            }

            sum += DleMetrics.RowLoss(metric, targets[i], predictions[i]);
            n++;
        }

        return n == 0 ? double.NaN : DleMetrics.FromMeanLoss(metric, sum / n);
    }
}

/// <summary>One metric of a fitted DLE: its sampling-error components and thresholds.</summary>
internal sealed record DleComponent(DleMetric Metric, (double Std, double Mean) SamplingErrorComponents, double? LowerThreshold, double? UpperThreshold);
