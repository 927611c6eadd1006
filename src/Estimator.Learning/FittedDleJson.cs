using System.Text.Json;

namespace Estimator.Learning;

/// <summary>JSON of a fitted DLE: options, the encoder's categories, each error model as base64 of ML.NET's zip, components and reference rows.</summary>
internal static class FittedDleJson
{
    private const int FormatVersion = 1;

    public static string Serialize(FittedDle fitted)
    {
        var o = fitted.Options;
        var dto = new Dto(
            CalculatorKinds.Name(CalculatorKind.DirectLossEstimation),
            FormatVersion,
            [.. o.Metrics.Select(m => m.Name())],
            ChunkingJson.From(o.Chunking),
            o.Thresholds.ToDictionary(p => p.Key.Name(), p => ThresholdJson.From(p.Value)),
            o.Seed,
            o.TuneHyperparameters,
            o.Boosting,
            [.. fitted.Encoder.Features.Select(f => new FeatureDto(f.Name, f.Categories))],
            fitted.Models.OrderBy(p => p.Key).ToDictionary(p => p.Key.Name(), p => Convert.ToBase64String(p.Value.Bytes)),
            [.. fitted.Components.Select(c => new ComponentDto(c.Metric.Name(), c.SamplingErrorComponents.Std, c.SamplingErrorComponents.Mean, c.LowerThreshold, c.UpperThreshold))],
            fitted.ReferenceRows);
        return JsonSerializer.Serialize(dto, CalculatorJsonDefaults.Options);
    }

    public static FittedDle Deserialize(string json)
    {
        var dto = CalculatorJsonDefaults.Deserialize<Dto>(json, "a fitted DLE");

        if (dto is null || dto.Kind != CalculatorKinds.Name(CalculatorKind.DirectLossEstimation))
        {
            throw new EstimatorDataException($"not a fitted DLE: kind is '{dto?.Kind}'");
        }

        if (dto.FormatVersion != FormatVersion)
        {
            throw new EstimatorDataException($"fitted DLE format version {dto.FormatVersion} is not supported (expected {FormatVersion})");
        }

        var options = new DleOptions
        {
            Metrics = [.. dto.Metrics.Select(Metric)],
            Chunking = dto.Chunking.ToChunking(),
            Thresholds = dto.Thresholds.ToDictionary(p => Metric(p.Key), p => p.Value.ToThreshold()),
            Seed = dto.Seed,
            TuneHyperparameters = dto.TuneHyperparameters,
            Boosting = dto.Boosting,
            Features = [.. dto.Features.Select(f => f.Name)],
        };
        var encoder = new FeatureEncoder([.. dto.Features.Select(f => new EncodedFeature(f.Name, f.Categories))]);
        var models = new Dictionary<DleMetric, LossModel>();
        foreach (var (name, base64) in dto.Models)
        {
            try
            {
                models[Metric(name)] = LossModel.Load(Convert.FromBase64String(base64), encoder.Width);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or InvalidDataException)
            {
                throw new EstimatorDataException($"fitted DLE: the error model of '{name}' cannot be read: {e.Message}", innerException: e);
            }
        }

        var components = dto.Components.Select(c => new DleComponent(Metric(c.Metric), (c.SamplingErrorStd, c.SamplingErrorMean), c.LowerThreshold, c.UpperThreshold)).ToList();
        return new FittedDle(options, encoder, models, components, dto.ReferenceRows);
    }

    private static DleMetric Metric(string name) => DleMetrics.TryParse(name, out var m)
        ? m
        : throw new EstimatorDataException($"fitted DLE: unknown metric '{name}'");

    private sealed record Dto(
        string Kind,
        int FormatVersion,
        IReadOnlyList<string> Metrics,
        ChunkingJson Chunking,
        Dictionary<string, ThresholdJson> Thresholds,
        int Seed,
        bool TuneHyperparameters,
        BoostingSettings Boosting,
        IReadOnlyList<FeatureDto> Features,
        Dictionary<string, string> Models,
        IReadOnlyList<ComponentDto> Components,
        IReadOnlyList<ChunkEstimate> ReferenceRows);

    private sealed record FeatureDto(string Name, IReadOnlyList<string>? Categories);

    private sealed record ComponentDto(string Metric, double SamplingErrorStd, double SamplingErrorMean, double? LowerThreshold, double? UpperThreshold);
}
