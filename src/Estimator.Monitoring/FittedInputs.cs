namespace Estimator.Monitoring;

/// <summary>
/// A model's fitted drift and data-quality calculators, kept as one file under <c>fitted/</c> (a JSON array of each
/// calculator's own JSON), so the store fits them once per reference and options, like the performance estimator.
/// </summary>
internal sealed class FittedInputs(IReadOnlyList<IFittedCalculator> calculators)
{
    public IReadOnlyList<IFittedCalculator> Calculators { get; } = calculators;

    /// <summary>Fits every calculator of <paramref name="monitoring"/> on the reference's input columns.</summary>
    public static FittedInputs Fit(InputMonitoring monitoring, Chunking chunking, ModelData reference) =>
        new([.. monitoring.Calculators(chunking).Select(c => c.Fit(reference, ComputeOptions.Default))]);

    /// <summary>The reference chunks' rows of every calculator, in calculator order.</summary>
    public IReadOnlyList<ChunkEstimate> ReferenceRows => [.. Calculators.SelectMany(c => c.ReferenceRows)];

    /// <summary>One chunk's rows of every calculator, in calculator order.</summary>
    public IReadOnlyList<ChunkEstimate> CalculateChunk(ModelData rows, Chunk chunk) => [.. Calculators.SelectMany(c => c.CalculateChunk(rows, chunk))];

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var calculator in Calculators)
            {
                writer.WriteRawValue(calculator.ToJson());
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <exception cref="EstimatorDataException">The text is not an array of fitted calculators.</exception>
    public static FittedInputs FromJson(string json)
    {
        // The domain classifier lives outside Core: its reader registers when its assembly is first used.
        FittedDomainClassifier.Register();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new EstimatorDataException("not fitted input calculators: the JSON is not an array");
            }

            return new([.. document.RootElement.EnumerateArray().Select(e => CalculatorJson.FromJson(e.GetRawText()))]);
        }
        catch (JsonException e)
        {
            throw new EstimatorDataException($"not fitted input calculators: {e.Message.ReplaceLineEndings(" ")}", innerException: e);
        }
    }
}
