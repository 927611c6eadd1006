using System.Runtime.InteropServices;
using System.Text.Json;

namespace Estimator.Learning;

/// <summary>
/// A fitted domain classifier: the encoded reference rows (NannyML keeps the reference itself: every analysis chunk is
/// classified against all of it), the thresholds and the reference chunks' rows; immutable and serialisable.
/// </summary>
public sealed class FittedDomainClassifier : FittedCalculator<DomainClassifierOptions>, IFittedCalculator
{
    private const int FormatVersion = 1;

    /// <summary>The method name of the per-column importance rows.</summary>
    public const string ImportanceMethod = Drift.RootCause.ImportanceMethod;

    internal FittedDomainClassifier(DomainFrame frame, double? lower, double? upper)
        : base(CalculatorKind.DomainClassifier)
    {
        Frame = frame;
        LowerThreshold = lower;
        UpperThreshold = upper;
    }

    internal DomainFrame Frame { get; }

    internal double? LowerThreshold { get; }

    internal double? UpperThreshold { get; }

    /// <summary>Registers the JSON reader with <see cref="CalculatorJson"/> (idempotent; see <see cref="LearningCalculators"/>).</summary>
    public static void Register() => CalculatorJson.Register(CalculatorKind.DomainClassifier, FromJson);

    /// <inheritdoc />
    public CalculatorResult Calculate(ModelData analysis, string model, ComputeOptions compute)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(compute);
        if (analysis.Count == 0)
        {
            throw new EstimatorDataException("the analysis data has no rows");
        }

        var data = analysis.SortedByTimestamp();
        var chunks = Chunker.Split(data.Count, data.Timestamps, Chunking);
        var measured = Measure([.. chunks.Select(c => AnalysisProblem(data.Slice((int)c.StartIndex, (int)c.Rows)))], compute.Threads);
        var rows = new List<ChunkEstimate>(ReferenceRows);
        for (var k = 0; k < chunks.Count; k++)
        {
            rows.AddRange(Rows(chunks[k], Period.Analysis, measured, k));
        }
        return new CalculatorResult(model, rows);
    }

    /// <inheritdoc />
    public IReadOnlyList<ChunkEstimate> CalculateChunk(ModelData rows, Chunk chunk)
    {
        ColumnChunks.Local(rows, chunk);
        return Rows(chunk, Period.Analysis, Measure([AnalysisProblem(rows)], 1), 0);
    }

    /// <inheritdoc />
    public string ToJson()
    {
        var o = Options;
        var matrix = Convert.ToBase64String(MemoryMarshal.AsBytes(Frame.Reference.AsSpan()));
        return JsonSerializer.Serialize(
            new Dto(CalculatorKind.DomainClassifier.Name(), FormatVersion, [.. o.Columns], ChunkingJson.From(o.Chunking), ThresholdJson.From(o.Threshold), o.Folds, o.Seed, o.Boosting, [.. Frame.Columns], matrix, LowerThreshold, UpperThreshold, [.. ReferenceRows]),
            CalculatorJsonDefaults.Options);
    }

    /// <summary>Reads a fitted domain classifier written by <see cref="ToJson"/>.</summary>
    /// <exception cref="EstimatorDataException">Not a fitted domain classifier of a supported format version.</exception>
    public static FittedDomainClassifier FromJson(string json)
    {
        var dto = CalculatorJsonDefaults.Deserialize<Dto>(json, "a fitted domain classifier");
        if (dto is null || dto.FormatVersion != FormatVersion || dto.Kind != CalculatorKind.DomainClassifier.Name())
        {
            throw new EstimatorDataException($"fitted domain classifier format version {dto?.FormatVersion} is not supported (expected {FormatVersion})");
        }

        float[] matrix;
        try
        {
            matrix = MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(dto.Reference)).ToArray();
        }
        catch (FormatException e)
        {
            throw new EstimatorDataException("fitted domain classifier: the reference rows are not base64", innerException: e);
        }

        if (dto.Frame.Count == 0 || matrix.Length % dto.Frame.Count != 0)
        {
            throw new EstimatorDataException("fitted domain classifier: the reference rows do not match its columns");
        }

        var options = new DomainClassifierOptions
        {
            Columns = dto.Columns,
            Chunking = dto.Chunking.ToChunking(),
            Threshold = dto.Threshold.ToThreshold(),
            Folds = dto.Folds,
            Seed = dto.Seed,
            Boosting = dto.Boosting,
        };
        return new FittedDomainClassifier(new DomainFrame(dto.Frame, matrix), dto.LowerThreshold, dto.UpperThreshold) { Options = options, ReferenceRows = dto.ReferenceRows };
    }

    /// <summary>A reference chunk as NannyML frames it: the whole reference, the chunk's rows labelled 1 in place.</summary>
    internal DomainProblem ReferenceProblem(Chunk chunk)
    {
        var labels = new bool[Frame.ReferenceRows];
        labels.AsSpan((int)chunk.StartIndex, (int)chunk.Rows).Fill(true);
        return new DomainProblem(Frame.Reference, labels);
    }

    /// <summary>An analysis chunk: the whole reference labelled 0, then the chunk's rows labelled 1.</summary>
    internal DomainProblem AnalysisProblem(ModelData chunk)
    {
        var labels = new bool[Frame.ReferenceRows + chunk.Count];
        labels.AsSpan(Frame.ReferenceRows).Fill(true);
        return new DomainProblem(Frame.WithChunk(chunk), labels);
    }

    /// <summary>
    /// The cross-validated AUROC of every problem, and each column's share of the split gain summed over its folds'
    /// trees (which inputs told the chunk from the reference); every fold of every problem runs as one task.
    /// </summary>
    internal DomainMeasure Measure(IReadOnlyList<DomainProblem> problems, int threads)
    {
        var folds = Options.Folds;
        var width = Frame.Width;
        var assignments = problems.Select(p => StratifiedFolds.Assign(p.Labels, folds)).ToArray();
        var scores = problems.Select(p => new double[p.Labels.Length]).ToArray();

        // One gain vector per task, summed afterwards in task order, so the shares do not depend on the thread count.
        var gains = new double[problems.Count * folds * width];
        Parallel.For(0, problems.Count * folds, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, task =>
        {
            var (k, fold) = (task / folds, task % folds);
            OutOfFold(problems[k], assignments[k], fold, scores[k], gains.AsSpan(task * width, width));
        });

        var importance = new double[problems.Count][];
        for (var k = 0; k < problems.Count; k++)
        {
            var shares = importance[k] = new double[width];
            for (var fold = 0; fold < folds; fold++)
            {
                var g = gains.AsSpan(((k * folds) + fold) * width, width);
                for (var c = 0; c < width; c++)
                {
                    shares[c] += g[c];
                }
            }

            var total = 0.0;
            foreach (var v in shares)
            {
                total += v;
            }

            for (var c = 0; c < width && total > 0; c++)
            {
                shares[c] /= total;
            }
        }

        // scikit-learn cannot score one class; NannyML then reports 0.5 ("we can't discriminate").
        return new DomainMeasure([.. problems.Select((p, k) => Auroc.Of(scores[k], p.Labels) ?? 0.5)], importance);
    }

    /// <summary>Trains on the rows outside <paramref name="fold"/> and writes the scores of the rows inside it.</summary>
    internal void OutOfFold(DomainProblem problem, int[] assignment, int fold, double[] scores, Span<double> gains)
    {
        var test = Enumerable.Range(0, assignment.Length).Where(r => assignment[r] == fold).ToArray();
        if (test.Length == 0)
        {
            return;
        }

        var train = Enumerable.Range(0, assignment.Length).Where(r => assignment[r] != fold).ToArray();
        var foldScores = FoldClassifier.Score(problem.Matrix, Frame.Width, problem.Labels, train, test, Options.Boosting, Options.Seed, gains);
        for (var i = 0; i < test.Length; i++)
        {
            scores[test[i]] = foldScores[i];
        }
    }

    /// <summary>
    /// A chunk's rows: the AUROC (NannyML's row), then one <c>feature_importance</c> row per column, its share of the
    /// trees' split gain (0–1, summing to 1 over the columns; all 0 when the trees made no split), without thresholds.
    /// </summary>
    internal IReadOnlyList<ChunkEstimate> Rows(Chunk chunk, Period period, DomainMeasure measured, int k)
    {
        var rows = new List<ChunkEstimate>(1 + Frame.Width) { Row(chunk, period, measured.Auroc[k]) };
        for (var c = 0; c < Frame.Width; c++)
        {
            var column = Frame.Columns[c];
            rows.Add(new ChunkEstimate(chunk, period, ImportanceMethod, measured.Importance[k][c], double.NaN, double.NaN, double.NaN, null, null, false, null, null)
            {
                Calculator = CalculatorKind.DomainClassifier,
                Column = column.Name,
                ColumnKind = column.Categories is null ? "continuous" : "categorical",
            });
        }

        return rows;
    }

    internal ChunkEstimate Row(Chunk chunk, Period period, double value)
    {
        var alert = value > (UpperThreshold ?? double.PositiveInfinity) || value < (LowerThreshold ?? double.NegativeInfinity);
        return new ChunkEstimate(chunk, period, "auroc", value, double.NaN, double.NaN, double.NaN, LowerThreshold, UpperThreshold, alert, null, null)
        {
            Calculator = CalculatorKind.DomainClassifier,
        };
    }

    private sealed record Dto(
        string Kind,
        int FormatVersion,
        List<string> Columns,
        ChunkingJson Chunking,
        ThresholdJson Threshold,
        int Folds,
        int Seed,
        BoostingSettings Boosting,
        List<FrameColumn> Frame,
        string Reference,
        double? LowerThreshold,
        double? UpperThreshold,
        List<ChunkEstimate> ReferenceRows);
}

/// <summary>One chunk's classification problem: the encoded rows (row-major) and their labels (true: the chunk).</summary>
/// <param name="Matrix">The rows.</param>
/// <param name="Labels">The labels.</param>
internal sealed record DomainProblem(float[] Matrix, bool[] Labels);

/// <summary>What the cross-validation measured per problem: the AUROC, and each column's share of the split gain.</summary>
/// <param name="Auroc">The AUROC per problem.</param>
/// <param name="Importance">Per problem, the columns' gain shares in frame order.</param>
internal sealed record DomainMeasure(double[] Auroc, double[][] Importance);
