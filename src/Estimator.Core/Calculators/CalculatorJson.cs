using System.Collections.Concurrent;
using System.Text.Json;
using Estimator.Drift;
using Estimator.Estimation.Multiclass;
using Estimator.Quality;

namespace Estimator.Calculators;

/// <summary>
/// Reads any fitted calculator back from its JSON (<see cref="IFittedCalculator.ToJson"/>): the object's <c>kind</c>
/// member names the calculator, whose reader is registered here. A document without <c>kind</c> is binary CBPE, as
/// every fitted model written before the seam existed.
/// </summary>
public static class CalculatorJson
{
    // Core's own calculators are known here; those of other assemblies register themselves (Register).
    private static readonly ConcurrentDictionary<CalculatorKind, Func<string, IFittedCalculator>> Readers = new()
    {
        [CalculatorKind.Cbpe] = FittedCbpe.FromJson,
        [CalculatorKind.MulticlassCbpe] = FittedMulticlassCbpe.FromJson,
        [CalculatorKind.UnivariateDrift] = FittedUnivariateDrift.FromJson,
        [CalculatorKind.ReconstructionError] = FittedReconstructionError.FromJson,
        [CalculatorKind.MissingValues] = FittedDataQuality.FromJson,
        [CalculatorKind.UnseenValues] = FittedDataQuality.FromJson,
        [CalculatorKind.RangeViolations] = FittedDataQuality.FromJson,
        [CalculatorKind.SummaryStatistics] = FittedDataQuality.FromJson,
    };

    /// <summary>Registers the reader of a calculator kind (calculators outside Core register themselves once).</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="fromJson">Reads a fitted calculator of that kind from its JSON.</param>
    public static void Register(CalculatorKind kind, Func<string, IFittedCalculator> fromJson)
    {
        ArgumentNullException.ThrowIfNull(fromJson);
        Readers[kind] = fromJson;
    }

    /// <summary>The calculator kind a JSON document holds (<see cref="CalculatorKind.Cbpe"/> when it names none).</summary>
    /// <param name="json">The document.</param>
    /// <exception cref="EstimatorDataException">The text is not a JSON object or names an unknown kind.</exception>
    public static CalculatorKind KindOf(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new EstimatorDataException("not a fitted calculator: the JSON is not an object");
            }

            if (!document.RootElement.TryGetProperty("kind", out var kind))
            {
                return CalculatorKind.Cbpe;
            }

            var name = kind.ValueKind == JsonValueKind.String ? kind.GetString() : null;
            return CalculatorKinds.TryParse(name, out var parsed)
                ? parsed
                : throw new EstimatorDataException($"not a fitted calculator: unknown kind '{kind}'");
        }
        catch (JsonException e)
        {
            throw new EstimatorDataException($"not a fitted calculator: {e.Message.ReplaceLineEndings(" ")}", innerException: e);
        }
    }

    /// <summary>Reads a fitted calculator of any registered kind.</summary>
    /// <param name="json">The document written by <see cref="IFittedCalculator.ToJson"/>.</param>
    /// <exception cref="EstimatorDataException">The text is not a fitted calculator, or its kind has no registered reader.</exception>
    public static IFittedCalculator FromJson(string json)
    {
        var kind = KindOf(json);
        if (!Readers.TryGetValue(kind, out var read))
        {
            throw new EstimatorDataException($"no reader is registered for fitted calculators of kind '{kind.Name()}'");
        }

        try
        {
            return read(json);
        }
        catch (Exception e) when (e is ArgumentException or JsonException)
        {
            // A document that parses but holds parts the fitted types refuse (e.g. a calibrator whose values decrease,
            // from a damaged or hand-edited file) is bad input, not a programming error.
            throw new EstimatorDataException($"not a fitted calculator: {e.Message.ReplaceLineEndings(" ")}", innerException: e);
        }
    }
}
