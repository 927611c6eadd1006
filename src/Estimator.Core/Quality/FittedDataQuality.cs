using System.Text.Json;
using Estimator.Drift;

namespace Estimator.Quality;

/// <summary>
/// A fitted data-quality calculator (missing values, unseen values, range violations or summary statistics): per
/// column what it keeps of the reference and its thresholds; immutable and serialisable.
/// </summary>
public sealed class FittedDataQuality : FittedCalculator<DataQualityOptions>, IFittedCalculator
{
    private const int FormatVersion = 1;

    internal FittedDataQuality(CalculatorKind kind, IReadOnlyList<QualityColumn> columns, IReadOnlyList<MethodThreshold[]> thresholds)
        : base(kind)
    {
        Columns = columns;
        Thresholds = thresholds;
    }

    internal IReadOnlyList<QualityColumn> Columns { get; }

    internal IReadOnlyList<MethodThreshold[]> Thresholds { get; }

    /// <summary>Every analysis chunk with every core; reference rows first.</summary>
    public CalculatorResult Calculate(ModelData analysis, string model) => Calculate(analysis, model, ComputeOptions.Default);

    /// <inheritdoc />
    public CalculatorResult Calculate(ModelData analysis, string model, ComputeOptions compute) => CalculatorLifecycle.Calculate(
        this, analysis, model, compute, (data, chunks) => Rows(chunks, Period.Analysis, Measure(data, chunks, compute.Threads)));

    /// <inheritdoc />
    public IReadOnlyList<ChunkEstimate> CalculateChunk(ModelData rows, Chunk chunk)
    {
        var local = ColumnChunks.Local(rows, chunk);
        return Rows([chunk], Period.Analysis, Measure(rows, [local], threads: 1));
    }

    /// <inheritdoc />
    public string ToJson() => JsonSerializer.Serialize(
        new Dto(Kind.Name(), FormatVersion, [.. Options.Columns], ChunkingJson.From(Options.Chunking), Options.Threshold is { } t ? ThresholdJson.From(t) : null, Options.Normalize, [.. Columns], [.. Thresholds.Select(t => t.ToList())], [.. ReferenceRows]),
        CalculatorJsonDefaults.Options);

    /// <summary>Reads a fitted calculator written by <see cref="ToJson"/>.</summary>
    /// <exception cref="EstimatorDataException">The text is not a fitted data-quality calculator of a supported format version.</exception>
    public static FittedDataQuality FromJson(string json)
    {
        var dto = CalculatorJsonDefaults.Deserialize<Dto>(json, "a fitted data-quality calculator");

        if (dto is null || dto.FormatVersion != FormatVersion || !CalculatorKinds.TryParse(dto.Kind, out var kind))
        {
            throw new EstimatorDataException($"fitted data-quality format version {dto?.FormatVersion} is not supported (expected {FormatVersion})");
        }

        var options = new DataQualityOptions
        {
            Columns = dto.Columns,
            Chunking = dto.Chunking.ToChunking(),
            Threshold = dto.Threshold?.ToThreshold(),
            Normalize = dto.Normalize,
        };
        return new FittedDataQuality(kind, dto.Fitted, [.. dto.Thresholds.Select(t => t.ToArray())]) { Options = options, ReferenceRows = dto.ReferenceRows };
    }

    /// <summary>values[chunk][column][metric] for every chunk.</summary>
    internal QualityValue[][][] Measure(ModelData data, IReadOnlyList<Chunk> chunks, int threads)
    {
        var features = Columns.Select(c => c.Name is null ? null : Input(c, data.Feature(c.Name))).ToArray();
        var values = new QualityValue[chunks.Count][][];
        for (var k = 0; k < chunks.Count; k++)
        {
            values[k] = new QualityValue[Columns.Count][];
        }

        ColumnChunks.Run(chunks.Count, Columns.Count, (k, c) =>
        {
            values[k][c] = Columns[c].Values(features[c], (int)chunks[k].StartIndex, (int)chunks[k].Rows);
            return [];
        }, threads);
        return values;
    }

    internal List<ChunkEstimate> Rows(IReadOnlyList<Chunk> chunks, Period period, QualityValue[][][] values)
    {
        var rows = new List<ChunkEstimate>();
        for (var k = 0; k < chunks.Count; k++)
        {
            for (var c = 0; c < Columns.Count; c++)
            {
                var metrics = Columns[c].Metrics;
                for (var m = 0; m < metrics.Length; m++)
                {
                    var v = values[k][c][m];
                    var (lower, upper) = (Thresholds[c][m].Lower, Thresholds[c][m].Upper);
                    rows.Add(new ChunkEstimate(chunks[k], period, metrics[m], v.Value, v.SamplingError, v.LowerConfidenceBound, v.UpperConfidenceBound, lower, upper, Alert(v.Value, lower, upper), null, null)
                    {
                        Calculator = Kind,
                        Column = Columns[c].Name,
                        ColumnKind = Columns[c].ColumnKind,
                    });
                }
            }
        }

        return rows;
    }

    private bool Alert(double value, double? lower, double? upper)
    {
        var lo = lower ?? double.NegativeInfinity;
        var hi = upper ?? double.PositiveInfinity;

        // NannyML's summary statistics alert unless the value lies strictly inside (so NaN alerts); the other
        // calculators alert when the value lies strictly outside (so NaN does not).
        return Kind == CalculatorKind.SummaryStatistics ? !(lo < value && value < hi) : value > hi || value < lo;
    }

    // Each calculator reads the column in the form its measure needs.
    private static FeatureColumn Input(QualityColumn column, FeatureColumn feature) => column switch
    {
        UnseenColumn => new CategoricalFeature(feature.Name, UnseenValuesCalculator.AsCategories(feature)),
        RangeColumn or SummaryColumn when feature is not NumericFeature =>
            throw new EstimatorDataException("is categorical; the calculator needs a numeric column", column: feature.Name),
        _ => feature,
    };

    private sealed record Dto(
        string Kind,
        int FormatVersion,
        List<string> Columns,
        ChunkingJson Chunking,
        ThresholdJson? Threshold,
        bool Normalize,
        List<QualityColumn> Fitted,
        List<List<MethodThreshold>> Thresholds,
        List<ChunkEstimate> ReferenceRows);
}
