using System.Buffers;

namespace Estimator.Drift;

/// <summary>One fitted column of univariate drift: its kind, methods, what the methods keep of the reference, and thresholds.</summary>
/// <param name="Name">The column.</param>
/// <param name="Kind">Continuous or categorical.</param>
/// <param name="Methods">The methods, in output order.</param>
/// <param name="Thresholds">(lower, upper) per method, in the order of <paramref name="Methods"/>; chi2 has none.</param>
internal sealed record DriftColumn(string Name, FeatureKind Kind, DriftMethod[] Methods, MethodThreshold[] Thresholds)
{
    /// <summary>NannyML's chi-square alert: the chunk's p-value below this level.</summary>
    public const double Chi2AlertLevel = 0.05;

    private Dictionary<string, int>? _index;

    /// <summary>What the continuous methods keep (continuous columns).</summary>
    public ContinuousReference? Continuous { get; init; }

    /// <summary>What the categorical methods keep (categorical columns).</summary>
    public CategoricalReference? Categorical { get; init; }

    /// <summary>Each method's value (and p-value, NaN where the method has none) on rows [start, start + length) of the column.</summary>
    /// <param name="column">The column, already converted to the kind (<see cref="ColumnChunks.AsNumbers"/> / <see cref="ColumnChunks.AsCategories"/>).</param>
    /// <param name="start">First row of the chunk.</param>
    /// <param name="length">Rows in the chunk.</param>
    public (double Value, double PValue)[] Values(FeatureColumn column, int start, int length)
    {
        var result = new (double, double)[Methods.Length];
        if (Kind == FeatureKind.Continuous)
        {
            var values = ((NumericFeature)column).Values.AsSpan(start, length);
            var buffer = ArrayPool<double>.Shared.Rent(Math.Max(values.Length, 1));
            var n = 0;
            foreach (var v in values)
            {
                if (!double.IsNaN(v))
                {
                    buffer[n++] = v;
                }
            }

            var present = buffer.AsSpan(0, n);
            using (var scratch = new ChunkScratch())
            {
                for (var m = 0; m < Methods.Length; m++)
                {
                    result[m] = (n == 0 ? double.NaN : Continuous!.Value(Methods[m], present, scratch), double.NaN);
                }
            }

            ArrayPool<double>.Shared.Return(buffer);
        }
        else
        {
            _index ??= Categorical!.Index();
            var counts = Categorical!.CountChunk(((CategoricalFeature)column).Values.AsSpan(start, length), _index);
            for (var m = 0; m < Methods.Length; m++)
            {
                result[m] = counts.Size == 0 ? (double.NaN, double.NaN) : Categorical.Value(Methods[m], counts);
            }
        }

        return result;
    }

    /// <summary>The rows of one chunk from its method values.</summary>
    public List<ChunkEstimate> Rows(Chunk chunk, Period period, (double Value, double PValue)[] values)
    {
        var rows = new List<ChunkEstimate>(Methods.Length);
        for (var m = 0; m < Methods.Length; m++)
        {
            var method = Methods[m];
            var (value, p) = values[m];
            var (lower, upper) = (Thresholds[m].Lower, Thresholds[m].Upper);
            var alert = method == DriftMethod.Chi2
                ? p < Chi2AlertLevel
                : (lower is double l && value < l) || (upper is double u && value > u);
            rows.Add(new ChunkEstimate(chunk, period, method.Name(), value, double.NaN, double.NaN, double.NaN, lower, upper, alert, null, null)
            {
                Calculator = CalculatorKind.UnivariateDrift,
                Column = Name,
                ColumnKind = Kind.Name(),
                PValue = method == DriftMethod.Chi2 ? p : null,
            });
        }

        return rows;
    }
}

/// <summary>A method's alert thresholds; null disables a side.</summary>
/// <param name="Lower">Lower threshold.</param>
/// <param name="Upper">Upper threshold.</param>
internal sealed record MethodThreshold(double? Lower, double? Upper);
