using System.Text.Json;
using System.Text.Json.Serialization;
using Estimator.Calibration;
using Estimator.Metrics;
using Estimator.Thresholds;

namespace Estimator.Estimation;

/// <summary>The JSON form of a fitted estimator. Options are mapped to plain records; everything else is serialised as is.</summary>
internal static class FittedCbpeJson
{
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(FittedCbpe fitted)
    {
        var o = fitted.Options;
        var dto = new FittedDto(
            FormatVersion,
            new OptionsDto(
                o.Metrics.Select(m => m.ToName()).ToList(),
                ChunkingDto.From(o.Chunking),
                o.Calibration,
                o.Thresholds.ToDictionary(kv => kv.Key.ToName(), kv => ThresholdDto.From(kv.Value)),
                ThresholdDto.From(o.DefaultThreshold),
                o.ConfusionMatrixNormalization,
                o.BusinessValueMatrix,
                o.NormalizeBusinessValuePerPrediction),
            fitted.Calibration,
            fitted.Calibrator?.Thresholds,
            fitted.Calibrator?.Values,
            fitted.Components.ToList(),
            fitted.ReferenceRows.ToList());
        return JsonSerializer.Serialize(dto, Json);
    }

    public static FittedCbpe Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        FittedDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<FittedDto>(json, Json);
        }
        catch (JsonException e)
        {
            throw new EstimatorDataException($"not a fitted estimator: {e.Message}", innerException: e);
        }

        if (dto is null || dto.FormatVersion != FormatVersion)
        {
            throw new EstimatorDataException($"fitted estimator format version {dto?.FormatVersion} is not supported (expected {FormatVersion})");
        }

        var o = dto.Options;
        var options = new CbpeOptions
        {
            Metrics = o.Metrics.Select(MetricNames.Parse).ToList(),
            Chunking = o.Chunking.ToChunking(),
            Calibration = o.Calibration,
            Thresholds = o.Thresholds.ToDictionary(kv => MetricNames.Parse(kv.Key), kv => kv.Value.ToThreshold()),
            DefaultThreshold = o.DefaultThreshold.ToThreshold(),
            ConfusionMatrixNormalization = o.ConfusionMatrixNormalization,
            BusinessValueMatrix = o.BusinessValueMatrix,
            NormalizeBusinessValuePerPrediction = o.NormalizeBusinessValuePerPrediction,
        };
        var calibrator = dto.CalibratorThresholds is { } x && dto.CalibratorValues is { } y ? new IsotonicCalibrator(x, y) : null;
        return new FittedCbpe(options, dto.Calibration, calibrator, dto.Components, dto.ReferenceRows);
    }

    internal sealed record FittedDto(
        int FormatVersion,
        OptionsDto Options,
        CalibrationReport Calibration,
        double[]? CalibratorThresholds,
        double[]? CalibratorValues,
        List<MetricComponent> Components,
        List<ChunkEstimate> ReferenceRows);

    internal sealed record OptionsDto(
        List<string> Metrics,
        ChunkingDto Chunking,
        CalibrationMode Calibration,
        Dictionary<string, ThresholdDto> Thresholds,
        ThresholdDto DefaultThreshold,
        ConfusionMatrixNormalization ConfusionMatrixNormalization,
        BusinessValueMatrix? BusinessValueMatrix,
        bool NormalizeBusinessValuePerPrediction);

    internal sealed record ChunkingDto(string Kind, int? Size, int? Number, ChunkPeriod? Period, IncompleteChunk? Incomplete)
    {
        public static ChunkingDto From(Chunking chunking) => chunking switch
        {
            SizeChunking s => new("size", s.Size, null, null, s.Incomplete),
            NumberChunking n => new("number", null, n.Number, null, n.Incomplete),
            PeriodChunking p => new("period", null, null, p.Period, null),
            _ => new("default", null, null, null, null),
        };

        public Chunking ToChunking() => Kind switch
        {
            "size" => Chunking.BySize(Size ?? 0, Incomplete ?? IncompleteChunk.Keep),
            "number" => Chunking.ByNumber(Number ?? 0, Incomplete ?? IncompleteChunk.Keep),
            "period" => Chunking.ByPeriod(Period ?? ChunkPeriod.Month),
            "default" => Chunking.Default,
            _ => throw new EstimatorDataException($"unknown chunking kind '{Kind}' in a fitted estimator"),
        };
    }

    internal sealed record ThresholdDto(string Kind, double? Lower, double? Upper)
    {
        public static ThresholdDto From(Threshold threshold) => threshold switch
        {
            StandardDeviationThreshold s => new("standard_deviation", s.LowerMultiplier, s.UpperMultiplier),
            ConstantThreshold c => new("constant", c.Lower, c.Upper),
            _ => throw new ArgumentException($"Unsupported threshold {threshold}.", nameof(threshold)),
        };

        public Threshold ToThreshold() => Kind switch
        {
            "standard_deviation" => Threshold.StandardDeviation(Lower, Upper),
            "constant" => Threshold.Constant(Lower, Upper),
            _ => throw new EstimatorDataException($"unknown threshold kind '{Kind}' in a fitted estimator"),
        };
    }
}
