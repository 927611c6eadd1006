using System.Text.Json;

namespace Estimator.Estimation;

/// <summary>The JSON form of a fitted estimator. Options are mapped to plain records; everything else is serialised as is.</summary>
internal static class FittedCbpeJson
{
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = CalculatorJsonDefaults.Options;

    public static string Serialize(FittedCbpe fitted)
    {
        var o = fitted.Options;
        var dto = new FittedDto(
            CalculatorKind.Cbpe.Name(),
            FormatVersion,
            new OptionsDto(
                o.Metrics.Select(m => m.ToName()).ToList(),
                ChunkingJson.From(o.Chunking),
                o.Calibration,
                o.Thresholds.ToDictionary(kv => kv.Key.ToName(), kv => ThresholdJson.From(kv.Value)),
                ThresholdJson.From(o.DefaultThreshold),
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
        var dto = CalculatorJsonDefaults.Deserialize<FittedDto>(json, "a fitted estimator");

        if (dto is null || dto.FormatVersion != FormatVersion)
        {
            throw new EstimatorDataException($"fitted estimator format version {dto?.FormatVersion} is not supported (expected {FormatVersion})");
        }

        var o = dto.Options;
        var options = WithShared(
            new CbpeOptions { Metrics = [.. o.Metrics.Select(MetricNames.Parse)], BusinessValueMatrix = o.BusinessValueMatrix, NormalizeBusinessValuePerPrediction = o.NormalizeBusinessValuePerPrediction },
            o.Chunking,
            o.Calibration,
            o.Thresholds,
            o.DefaultThreshold,
            o.ConfusionMatrixNormalization);
        var calibrator = dto.CalibratorThresholds is { } x && dto.CalibratorValues is { } y ? new IsotonicCalibrator(x, y) : null;
        return new FittedCbpe { Options = options, Calibration = dto.Calibration, Calibrator = calibrator, Components = dto.Components, ReferenceRows = dto.ReferenceRows };
    }

    /// <summary>The options binary and multiclass CBPE share (all but the metrics), read back from their JSON parts onto <paramref name="options"/>.</summary>
    internal static T WithShared<T>(
        T options,
        ChunkingJson chunking,
        CalibrationMode calibration,
        Dictionary<string, ThresholdJson> thresholds,
        ThresholdJson defaultThreshold,
        ConfusionMatrixNormalization normalization)
        where T : ConfidenceBasedOptions =>
        (T)((ConfidenceBasedOptions)options with
        {
            Chunking = chunking.ToChunking(),
            Calibration = calibration,
            Thresholds = thresholds.ToDictionary(kv => MetricNames.Parse(kv.Key), kv => kv.Value.ToThreshold()),
            DefaultThreshold = defaultThreshold.ToThreshold(),
            ConfusionMatrixNormalization = normalization,
        });

    internal sealed record FittedDto(
        string? Kind,
        int FormatVersion,
        OptionsDto Options,
        CalibrationReport Calibration,
        double[]? CalibratorThresholds,
        double[]? CalibratorValues,
        List<MetricComponent> Components,
        List<ChunkEstimate> ReferenceRows);

    internal sealed record OptionsDto(
        List<string> Metrics,
        ChunkingJson Chunking,
        CalibrationMode Calibration,
        Dictionary<string, ThresholdJson> Thresholds,
        ThresholdJson DefaultThreshold,
        ConfusionMatrixNormalization ConfusionMatrixNormalization,
        BusinessValueMatrix? BusinessValueMatrix,
        bool NormalizeBusinessValuePerPrediction);
}
