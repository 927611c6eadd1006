using System.Text.Json;

namespace Estimator.Estimation.Multiclass;

/// <summary>The JSON form of fitted multiclass CBPE: options as plain records, per-class calibrators as their two arrays, the rest as is.</summary>
internal static class FittedMulticlassCbpeJson
{
    public const int FormatVersion = 1;

    private const string What = "fitted multiclass CBPE";

    public static string Serialize(FittedMulticlassCbpe fitted)
    {
        var o = fitted.Options;
        var classes = new List<ClassDto>(fitted.Classes.Count);
        for (var k = 0; k < fitted.Classes.Count; k++)
        {
            var calibrator = fitted.Calibrators[k];
            classes.Add(new ClassDto(fitted.Classes[k], fitted.Calibration[k], calibrator?.Thresholds, calibrator?.Values));
        }

        var dto = new Dto(
            CalculatorKind.MulticlassCbpe.Name(),
            FormatVersion,
            new OptionsDto(
                [.. o.Metrics.Select(m => m.ToName())],
                ChunkingJson.From(o.Chunking),
                o.Calibration,
                o.Thresholds.ToDictionary(kv => kv.Key.ToName(), kv => ThresholdJson.From(kv.Value)),
                ThresholdJson.From(o.DefaultThreshold),
                o.ConfusionMatrixNormalization,
                o.PerClassRows),
            classes,
            [.. fitted.Components],
            [.. fitted.ReferenceRows]);
        return JsonSerializer.Serialize(dto, CalculatorJsonDefaults.Options);
    }

    public static FittedMulticlassCbpe Deserialize(string json)
    {
        var dto = CalculatorJsonDefaults.Deserialize<Dto>(json, What);
        if (dto is null || dto.Kind != CalculatorKind.MulticlassCbpe.Name() || dto.FormatVersion != FormatVersion)
        {
            throw new EstimatorDataException($"{What} format version {dto?.FormatVersion} of kind '{dto?.Kind}' is not supported (expected {FormatVersion})");
        }

        if (dto.Classes is not { Count: >= 2 } classes || dto.Components is null || dto.ReferenceRows is null || dto.Options is null)
        {
            throw new EstimatorDataException($"not {What}: classes, components, options or reference rows are missing");
        }

        var o = dto.Options;
        MulticlassCbpeOptions options;
        try
        {
            options = FittedCbpeJson.WithShared(
                new MulticlassCbpeOptions { Metrics = [.. o.Metrics.Select(MetricNames.Parse)], PerClassRows = o.PerClassRows },
                o.Chunking,
                o.Calibration,
                o.Thresholds,
                o.DefaultThreshold,
                o.ConfusionMatrixNormalization);
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new EstimatorDataException($"not {What}: {e.Message}", innerException: e);
        }

        var calibrators = new IsotonicCalibrator?[classes.Count];
        for (var k = 0; k < classes.Count; k++)
        {
            calibrators[k] = classes[k].CalibratorThresholds is { } x && classes[k].CalibratorValues is { } y ? new IsotonicCalibrator(x, y) : null;
        }

        return new FittedMulticlassCbpe
        {
            Options = options,
            Classes = [.. classes.Select(c => c.Name)],
            Calibration = [.. classes.Select(c => c.Calibration)],
            Calibrators = calibrators,
            Components = dto.Components,
            ReferenceRows = dto.ReferenceRows,
        };
    }

    private sealed record Dto(
        string? Kind,
        int FormatVersion,
        OptionsDto Options,
        List<ClassDto> Classes,
        List<MulticlassComponent> Components,
        List<ChunkEstimate> ReferenceRows);

    private sealed record ClassDto(string Name, CalibrationReport Calibration, double[]? CalibratorThresholds, double[]? CalibratorValues);

    private sealed record OptionsDto(
        List<string> Metrics,
        ChunkingJson Chunking,
        CalibrationMode Calibration,
        Dictionary<string, ThresholdJson> Thresholds,
        ThresholdJson DefaultThreshold,
        ConfusionMatrixNormalization ConfusionMatrixNormalization,
        bool PerClassRows);
}
