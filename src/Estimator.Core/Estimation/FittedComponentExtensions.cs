namespace Estimator.Estimation;

/// <summary>How binary and multiclass CBPE turn a fitted component's estimate on a chunk into bounds, an alert and a row.</summary>
public static class FittedComponentExtensions
{
    /// <summary>Whether the point estimate lies strictly outside the thresholds (NaN never alerts).</summary>
    /// <param name="component">The fitted component.</param>
    /// <param name="estimated">The estimate.</param>
    public static bool IsAlert(this IFittedComponent component, double estimated)
    {
        ArgumentNullException.ThrowIfNull(component);
        return (component.LowerThreshold is double lower && estimated < lower) || (component.UpperThreshold is double upper && estimated > upper);
    }

    /// <summary>Lower confidence bound: max(lower limit, estimate − 3·SE).</summary>
    /// <param name="component">The fitted component.</param>
    /// <param name="estimated">The estimate.</param>
    /// <param name="samplingError">Its sampling error.</param>
    public static double LowerBound(this IFittedComponent component, double estimated, double samplingError)
    {
        ArgumentNullException.ThrowIfNull(component);
        var bound = estimated - (SamplingError.Range * samplingError);
        return component.LowerLimit is double limit && !double.IsNaN(bound) ? Math.Max(limit, bound) : bound;
    }

    /// <summary>Upper confidence bound: min(upper limit, estimate + 3·SE).</summary>
    /// <param name="component">The fitted component.</param>
    /// <param name="estimated">The estimate.</param>
    /// <param name="samplingError">Its sampling error.</param>
    public static double UpperBound(this IFittedComponent component, double estimated, double samplingError)
    {
        ArgumentNullException.ThrowIfNull(component);
        var bound = estimated + (SamplingError.Range * samplingError);
        return component.UpperLimit is double limit && !double.IsNaN(bound) ? Math.Min(limit, bound) : bound;
    }

    /// <summary>The component's row for a chunk: the estimate with its bounds, the thresholds and whether it alerts.</summary>
    /// <param name="component">The fitted component.</param>
    /// <param name="chunk">The chunk.</param>
    /// <param name="period">Reference or analysis.</param>
    /// <param name="estimated">The estimate.</param>
    /// <param name="samplingError">Its sampling error for the chunk's size.</param>
    /// <param name="realized">The realized value; null when the chunk has no targets.</param>
    /// <param name="targetsMissingRate">The share of rows without a label; null when the chunk has no targets.</param>
    internal static ChunkEstimate Row(this IFittedComponent component, Chunk chunk, Period period, double estimated, double samplingError, double? realized, double? targetsMissingRate) => new(
        chunk,
        period,
        component.Name,
        estimated,
        samplingError,
        component.LowerBound(estimated, samplingError),
        component.UpperBound(estimated, samplingError),
        component.LowerThreshold,
        component.UpperThreshold,
        component.IsAlert(estimated),
        realized,
        targetsMissingRate);

    /// <summary>The long-format rows of <paramref name="chunks"/> chunks: chunk by chunk, in each the components in order.</summary>
    /// <param name="chunks">How many chunks.</param>
    /// <param name="components">How many components.</param>
    /// <param name="row">The row of chunk c's component k.</param>
    internal static List<ChunkEstimate> RowsByChunk(int chunks, int components, Func<int, int, ChunkEstimate> row)
    {
        var rows = new List<ChunkEstimate>(chunks * components);
        for (var c = 0; c < chunks; c++)
        {
            for (var k = 0; k < components; k++)
            {
                rows.Add(row(c, k));
            }
        }

        return rows;
    }
}
