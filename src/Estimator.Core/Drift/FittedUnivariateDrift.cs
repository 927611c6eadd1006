using System.Text.Json;

namespace Estimator.Drift;

/// <summary>
/// Fitted univariate drift: per column, what its methods keep of the reference and their thresholds; immutable and
/// serialisable (<see cref="ToJson"/>, <see cref="FromJson"/> or <see cref="CalculatorJson.FromJson"/>).
/// </summary>
public sealed class FittedUnivariateDrift : FittedCalculator<UnivariateDriftOptions>, IFittedCalculator
{
    private const int FormatVersion = 1;

    internal FittedUnivariateDrift(IReadOnlyList<DriftColumn> columns)
        : base(CalculatorKind.UnivariateDrift) => Columns = columns;

    /// <summary>Each column's kind as fitted (inferred or overridden), in the order of <see cref="ColumnCalculatorOptions.Columns"/>.</summary>
    public IReadOnlyDictionary<string, FeatureKind> ColumnKinds => Columns.ToDictionary(c => c.Name, c => c.Kind, StringComparer.Ordinal);

    internal IReadOnlyList<DriftColumn> Columns { get; }

    /// <summary>Drift of every analysis chunk with every core; reference rows first.</summary>
    public CalculatorResult Calculate(ModelData analysis, string model) => Calculate(analysis, model, ComputeOptions.Default);

    /// <inheritdoc />
    public CalculatorResult Calculate(ModelData analysis, string model, ComputeOptions compute) => CalculatorLifecycle.Calculate(
        this, analysis, model, compute, (data, chunks) => Compute(data, chunks, Period.Analysis, compute.Threads), Prepare);

    /// <inheritdoc />
    public IReadOnlyList<ChunkEstimate> CalculateChunk(ModelData rows, Chunk chunk)
    {
        var local = ColumnChunks.Local(rows, chunk);
        var computed = Compute(Prepare(rows), [local], Period.Analysis, threads: 1);
        return [.. computed.Select(r => r with { Chunk = chunk })];
    }

    /// <inheritdoc />
    public string ToJson() => JsonSerializer.Serialize(
        new Dto(CalculatorKind.UnivariateDrift.Name(), FormatVersion, OptionsDto.From(Options), [.. Columns.Select(ColumnDto.From)], [.. ReferenceRows]),
        CalculatorJsonDefaults.Options);

    /// <summary>Reads a fitted calculator written by <see cref="ToJson"/>.</summary>
    /// <exception cref="EstimatorDataException">The text is not fitted univariate drift of a supported format version.</exception>
    public static FittedUnivariateDrift FromJson(string json)
    {
        var dto = CalculatorJsonDefaults.Deserialize<Dto>(json, "fitted univariate drift");

        if (dto is null || dto.FormatVersion != FormatVersion || dto.Kind != CalculatorKind.UnivariateDrift.Name())
        {
            throw new EstimatorDataException($"fitted univariate drift format version {dto?.FormatVersion} is not supported (expected {FormatVersion})");
        }

        return new FittedUnivariateDrift([.. dto.Columns.Select(c => c.ToColumn())]) { Options = dto.Options.ToOptions(), ReferenceRows = dto.ReferenceRows };
    }

    internal List<ChunkEstimate> Compute(ModelData data, IReadOnlyList<Chunk> chunks, Period period, int threads) =>
        ColumnChunks.Run(chunks.Count, Columns.Count, (k, c) =>
        {
            var column = Columns[c];
            var values = column.Values(data.Feature(column.Name), (int)chunks[k].StartIndex, (int)chunks[k].Rows);
            return column.Rows(chunks[k], period, values);
        }, threads);

    private ModelData Prepare(ModelData data) =>
        UnivariateDriftCalculator.Prepare(data, [.. Columns.Select(c => c.Name)], [.. Columns.Select(c => c.Kind)]);

    private sealed record Dto(string Kind, int FormatVersion, OptionsDto Options, List<ColumnDto> Columns, List<ChunkEstimate> ReferenceRows);

    private sealed record OptionsDto(
        List<string> Columns,
        List<string> TreatAsCategorical,
        List<string> TreatAsContinuous,
        List<DriftMethod> ContinuousMethods,
        List<DriftMethod> CategoricalMethods,
        ChunkingJson Chunking,
        Dictionary<DriftMethod, ThresholdJson> Thresholds,
        ThresholdJson DefaultThreshold,
        ReferenceBinning Binning,
        int Bins)
    {
        public static OptionsDto From(UnivariateDriftOptions o) => new(
            [.. o.Columns],
            [.. o.TreatAsCategorical],
            [.. o.TreatAsContinuous],
            [.. o.ContinuousMethods],
            [.. o.CategoricalMethods],
            ChunkingJson.From(o.Chunking),
            o.Thresholds.ToDictionary(kv => kv.Key, kv => ThresholdJson.From(kv.Value)),
            ThresholdJson.From(o.DefaultThreshold),
            o.Binning,
            o.Bins);

        public UnivariateDriftOptions ToOptions() => new()
        {
            Columns = Columns,
            TreatAsCategorical = TreatAsCategorical,
            TreatAsContinuous = TreatAsContinuous,
            ContinuousMethods = ContinuousMethods,
            CategoricalMethods = CategoricalMethods,
            Chunking = Chunking.ToChunking(),
            Thresholds = Thresholds.ToDictionary(kv => kv.Key, kv => kv.Value.ToThreshold()),
            DefaultThreshold = DefaultThreshold.ToThreshold(),
            Binning = Binning,
            Bins = Bins,
        };
    }

    private sealed record ColumnDto(
        string Name,
        FeatureKind Kind,
        List<DriftMethod> Methods,
        List<MethodThreshold> Thresholds,
        ContinuousReference? Continuous,
        CategoricalReference? Categorical)
    {
        public static ColumnDto From(DriftColumn c) => new(c.Name, c.Kind, [.. c.Methods], [.. c.Thresholds], c.Continuous, c.Categorical);

        public DriftColumn ToColumn() => new(Name, Kind, [.. Methods], [.. Thresholds]) { Continuous = Continuous, Categorical = Categorical };
    }
}
