using Estimator.Thresholds;

namespace Estimator.Calculators;

// The JSON forms of options every fitted calculator carries (chunking, thresholds): one spelling for all of them.

/// <summary>A <see cref="Chunking"/> as JSON: <c>kind</c> (<c>size</c>, <c>number</c>, <c>period</c>, <c>default</c>) and its parameters.</summary>
internal sealed record ChunkingJson(string Kind, int? Size, int? Number, ChunkPeriod? Period, IncompleteChunk? Incomplete)
{
    public static ChunkingJson From(Chunking chunking) => chunking switch
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

/// <summary>A <see cref="Threshold"/> as JSON: <c>kind</c> (<c>standard_deviation</c>, <c>constant</c>) and its two sides.</summary>
internal sealed record ThresholdJson(string Kind, double? Lower, double? Upper)
{
    public static ThresholdJson From(Threshold threshold) => threshold switch
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

/// <summary>The serializer settings every fitted calculator's JSON uses: snake_case names and enums, NaN allowed.</summary>
internal static class CalculatorJsonDefaults
{
    public static System.Text.Json.JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Reads a fitted calculator's document; a malformed one is bad data naming what it should have been.</summary>
    /// <typeparam name="TDto">The document's shape.</typeparam>
    /// <param name="json">The text.</param>
    /// <param name="what">What the text should hold, e.g. "fitted univariate drift".</param>
    /// <returns>The document, or null when the JSON is <c>null</c>.</returns>
    /// <exception cref="EstimatorDataException">The text is not JSON of that shape.</exception>
    public static TDto? Deserialize<TDto>(string json, string what)
        where TDto : class
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<TDto>(json, Options);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new EstimatorDataException($"not {what}: {e.Message}", innerException: e);
        }
    }
}
