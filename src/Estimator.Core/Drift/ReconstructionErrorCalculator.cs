using System.Text.Json;

namespace Estimator.Drift;

/// <summary>
/// Multivariate drift, NannyML 0.13.1's <c>DataReconstructionDriftCalculator</c>: the mean distance between each row
/// (imputed, count-encoded, scaled) and its reconstruction from the reference's principal components, per chunk;
/// sampling error = the chunk's own standard deviation of those distances / √n; alert unless strictly inside the
/// thresholds.
/// </summary>
public sealed class ReconstructionErrorCalculator : Calculator<ReconstructionErrorOptions>, ICalculator
{
    /// <summary>Creates the calculator.</summary>
    /// <exception cref="ArgumentException">No columns, a duplicate, or a variance share outside (0, 1).</exception>
    public ReconstructionErrorCalculator(ReconstructionErrorOptions options)
        : base(CalculatorKind.ReconstructionError, options)
    {
        ColumnCalculatorOptions.CheckColumns(options, "Reconstruction error");

        if (!(options.VarianceShare is > 0 and < 1))
        {
            throw new ArgumentException($"The variance share must lie in (0, 1), got {options.VarianceShare}.", nameof(options));
        }
    }

    /// <inheritdoc cref="ICalculator.Fit"/>
    public FittedReconstructionError Fit(ModelData reference, ComputeOptions compute)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(compute);
        if (reference.Count < 2)
        {
            throw new EstimatorDataException("the reference needs at least two rows for principal components");
        }

        var data = reference.SortedByTimestamp();
        var model = ReconstructionModel.Fit(data, Options.Columns, Options.VarianceShare, out var encoded);
        var chunks = Chunker.Split(data.Count, data.Timestamps, Options.Chunking);
        var values = new (double Value, double SamplingError)[chunks.Count];
        for (var k = 0; k < chunks.Count; k++)
        {
            var (mean, std) = model.Errors(encoded, data.Count, (int)chunks[k].StartIndex, (int)chunks[k].Rows);
            values[k] = (mean, std / Math.Sqrt(chunks[k].Rows));
        }

        var (lower, upper) = Options.Threshold.Compute([.. values.Select(v => v.Value)], null, null);

        // NannyML drops (rather than clips) a lower threshold at or below 0.
        lower = lower is <= 0 ? null : lower;
        var fitted = new FittedReconstructionError(model, lower, upper) { Options = Options, ReferenceRows = [] };
        return new FittedReconstructionError(model, lower, upper) { Options = Options, ReferenceRows = [.. chunks.Select((c, k) => fitted.Row(c, Period.Reference, values[k]))] };
    }

    /// <inheritdoc />
    IFittedCalculator ICalculator.Fit(ModelData reference, ComputeOptions compute) => Fit(reference, compute);
}

/// <summary>Fitted reconstruction-error drift: the preprocessing, components and thresholds; immutable and serialisable.</summary>
public sealed class FittedReconstructionError : FittedCalculator<ReconstructionErrorOptions>, IFittedCalculator
{
    private const int FormatVersion = 1;

    internal FittedReconstructionError(ReconstructionModel model, double? lower, double? upper)
        : base(CalculatorKind.ReconstructionError)
    {
        Model = model;
        LowerThreshold = lower;
        UpperThreshold = upper;
    }

    /// <summary>How many principal components were kept.</summary>
    public int Components => Model.Components.Length;

    internal ReconstructionModel Model { get; }

    internal double? LowerThreshold { get; }

    internal double? UpperThreshold { get; }

    /// <inheritdoc />
    public CalculatorResult Calculate(ModelData analysis, string model, ComputeOptions compute) => CalculatorLifecycle.Calculate(
        this, analysis, model, compute, (data, chunks) => chunks.Select(c => Row(c, Period.Analysis, Measure(data, c))));

    /// <inheritdoc />
    public IReadOnlyList<ChunkEstimate> CalculateChunk(ModelData rows, Chunk chunk)
    {
        var local = ColumnChunks.Local(rows, chunk);
        return [Row(chunk, Period.Analysis, Measure(rows, local))];
    }

    /// <inheritdoc />
    public string ToJson() => JsonSerializer.Serialize(
        new Dto(CalculatorKind.ReconstructionError.Name(), FormatVersion, [.. Options.Columns], ChunkingJson.From(Options.Chunking), ThresholdJson.From(Options.Threshold), Options.VarianceShare, Model, LowerThreshold, UpperThreshold, [.. ReferenceRows]),
        CalculatorJsonDefaults.Options);

    /// <summary>Reads a fitted calculator written by <see cref="ToJson"/>.</summary>
    /// <exception cref="EstimatorDataException">Not fitted reconstruction error of a supported format version.</exception>
    public static FittedReconstructionError FromJson(string json)
    {
        var dto = CalculatorJsonDefaults.Deserialize<Dto>(json, "fitted reconstruction error");

        if (dto is null || dto.FormatVersion != FormatVersion || dto.Kind != CalculatorKind.ReconstructionError.Name())
        {
            throw new EstimatorDataException($"fitted reconstruction error format version {dto?.FormatVersion} is not supported (expected {FormatVersion})");
        }

        var options = new ReconstructionErrorOptions { Columns = dto.Columns, Chunking = dto.Chunking.ToChunking(), Threshold = dto.Threshold.ToThreshold(), VarianceShare = dto.VarianceShare };
        return new FittedReconstructionError(dto.Model, dto.LowerThreshold, dto.UpperThreshold) { Options = options, ReferenceRows = dto.ReferenceRows };
    }

    internal (double Value, double SamplingError) Measure(ModelData data, Chunk chunk)
    {
        var (mean, std) = Model.Errors(data, (int)chunk.StartIndex, (int)chunk.Rows);
        return (mean, std / Math.Sqrt(chunk.Rows));
    }

    internal ChunkEstimate Row(Chunk chunk, Period period, (double Value, double SamplingError) v)
    {
        var lo = LowerThreshold ?? double.NegativeInfinity;
        var hi = UpperThreshold ?? double.PositiveInfinity;
        var upper = v.Value + (3 * v.SamplingError);
        var lower = Math.Max(v.Value - (3 * v.SamplingError), 0);
        return new ChunkEstimate(chunk, period, "reconstruction_error", v.Value, v.SamplingError, lower, upper, LowerThreshold, UpperThreshold, !(lo < v.Value && v.Value < hi), null, null)
        {
            Calculator = CalculatorKind.ReconstructionError,
        };
    }

    private sealed record Dto(
        string Kind,
        int FormatVersion,
        List<string> Columns,
        ChunkingJson Chunking,
        ThresholdJson Threshold,
        double VarianceShare,
        ReconstructionModel Model,
        double? LowerThreshold,
        double? UpperThreshold,
        List<ChunkEstimate> ReferenceRows);
}
