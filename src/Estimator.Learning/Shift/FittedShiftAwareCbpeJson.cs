using System.Runtime.InteropServices;
using System.Text.Json;

namespace Estimator.Learning;

/// <summary>
/// JSON of a fitted shift-aware CBPE: <c>kind</c> <c>cbpe</c> (it is read where a fitted CBPE is), plain CBPE's own
/// document under <c>cbpe</c>, and under <c>shift</c> the options and what the reference left: the feature encoding,
/// the labelled rows' encoded features, scores and targets (little-endian base64, so the numbers come back bit for
/// bit), the positive rate and the domain classifier's null spread. A plain CBPE document has no <c>shift</c>.
/// </summary>
internal static class FittedShiftAwareCbpeJson
{
    private const int FormatVersion = 1;

    /// <summary>Whether a document holds a shift-aware fit (has a <c>shift</c> member) rather than plain CBPE's.</summary>
    public static bool IsShiftAware(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("shift", out _);
        }
        catch (JsonException)
        {
            // Plain CBPE's reader reports the malformed text.
            return false;
        }
    }

    public static string Serialize(FittedShiftAwareCbpe fitted)
    {
        var o = fitted.Options;
        var r = fitted.Shift;
        var reference = r is null ? null : new ReferenceDto(
            [.. r.Encoder.Columns.Select(c => new ColumnDto(c.Name, c.Offset, c.Categories, c.Mean, c.Scale))],
            Convert.ToBase64String(MemoryMarshal.AsBytes(r.Matrix.AsSpan())),
            Convert.ToBase64String(MemoryMarshal.AsBytes(r.Scores.AsSpan())),
            Convert.ToBase64String(MemoryMarshal.AsBytes(r.Targets.AsSpan())),
            r.Prior,
            r.NullMean,
            r.NullSpread);
        var shift = new ShiftDto(
            o.Estimator.Name(),
            o.Features,
            o.Learner.Name(),
            o.WeightClip,
            o.EvidenceLevel,
            o.PriorLikelihoodRatio,
            o.Boosting,
            o.Seed,
            reference);
        using var cbpe = JsonDocument.Parse(fitted.Cbpe.ToJson());
        var dto = new Dto(CalculatorKind.Cbpe.Name(), FormatVersion, shift, cbpe.RootElement.Clone());
        return JsonSerializer.Serialize(dto, CalculatorJsonDefaults.Options);
    }

    public static FittedShiftAwareCbpe Deserialize(string json)
    {
        var dto = CalculatorJsonDefaults.Deserialize<Dto>(json, "a fitted shift-aware CBPE");
        if (dto is null || dto.Shift is null || dto.FormatVersion != FormatVersion)
        {
            throw new EstimatorDataException($"fitted shift-aware CBPE format version {dto?.FormatVersion} is not supported (expected {FormatVersion})");
        }

        var s = dto.Shift;
        if (!ShiftEstimators.TryParse(s.Estimator, out var estimator))
        {
            throw new EstimatorDataException($"fitted shift-aware CBPE: unknown estimator '{s.Estimator}'; expected one of {string.Join(", ", ShiftEstimators.All)}");
        }

        if (!DomainLearners.TryParse(s.DomainClassifier, out var learner))
        {
            throw new EstimatorDataException($"fitted shift-aware CBPE: unknown domain classifier '{s.DomainClassifier}'; expected one of {string.Join(", ", DomainLearners.All)}");
        }

        var cbpe = FittedCbpe.FromJson(dto.Cbpe.GetRawText());
        var options = new ShiftAwareCbpeOptions
        {
            Cbpe = cbpe.Options,
            Estimator = estimator,
            Features = s.Features,
            Learner = learner,
            WeightClip = s.WeightClip,
            EvidenceLevel = s.EvidenceLevel,
            PriorLikelihoodRatio = s.PriorLikelihoodRatio,
            Boosting = s.Boosting,
            Seed = s.Seed,
        };
        if ((estimator == ShiftEstimator.Cbpe) != (s.Reference is null))
        {
            throw new EstimatorDataException($"fitted shift-aware CBPE: the {estimator.Name()} estimator {(s.Reference is null ? "needs" : "keeps no")} reference rows");
        }

        var shift = s.Reference is { } r ? Reference(r) : null;
        return new FittedShiftAwareCbpe(cbpe, shift) { Options = options, ReferenceRows = cbpe.ReferenceRows };
    }

    private static ShiftReference Reference(ReferenceDto r)
    {
        var encoder = DomainFeatureMatrix.Restore([.. r.Columns.Select(c => new DomainFeatureMatrix.EncodedColumn(c.Name, c.Offset, c.Categories, c.Mean, c.Scale))]);
        return ShiftReference.Restore(encoder, Numbers<float>(r.Matrix, "matrix"), Numbers<double>(r.Scores, "scores"), Numbers<double>(r.Targets, "targets"), r.Prior, r.NullMean, r.NullSpread);
    }

    private static T[] Numbers<T>(string base64, string name)
        where T : struct
    {
        try
        {
            var bytes = Convert.FromBase64String(base64);
            var size = Marshal.SizeOf<T>();
            return bytes.Length % size == 0
                ? MemoryMarshal.Cast<byte, T>(bytes).ToArray()
                : throw new EstimatorDataException($"fitted shift-aware CBPE: '{name}' is not a whole number of values");
        }
        catch (FormatException e)
        {
            throw new EstimatorDataException($"fitted shift-aware CBPE: '{name}' is not base64: {e.Message}", innerException: e);
        }
    }

    private sealed record Dto(string Kind, int FormatVersion, ShiftDto Shift, JsonElement Cbpe);

    private sealed record ShiftDto(
        string Estimator,
        IReadOnlyList<string> Features,
        string DomainClassifier,
        double WeightClip,
        double EvidenceLevel,
        double PriorLikelihoodRatio,
        BoostingSettings Boosting,
        int Seed,
        ReferenceDto? Reference);

    private sealed record ReferenceDto(
        IReadOnlyList<ColumnDto> Columns,
        string Matrix,
        string Scores,
        string Targets,
        double Prior,
        double NullMean,
        double NullSpread);

    private sealed record ColumnDto(string Name, int Offset, IReadOnlyList<string>? Categories, double Mean, double Scale);
}
