namespace Estimator.Estimation.Multiclass;

/// <summary>
/// The chunk loop of multiclass CBPE, shared by fit (reference) and estimate (analysis): statistics per chunk, in
/// parallel when allowed (each chunk is independent, so the result does not depend on the threads), then rows.
/// </summary>
internal static class MulticlassChunks
{
    /// <summary>Gathers every chunk's statistics; <paramref name="data"/> must carry probabilities.</summary>
    public static MulticlassChunkStatistics[] Gather(MulticlassColumns data, IReadOnlyList<Chunk> chunks, bool rocAuc, int threads)
    {
        var stats = new MulticlassChunkStatistics[chunks.Count];
        var longest = 0;
        foreach (var chunk in chunks)
        {
            longest = (int)Math.Max(longest, chunk.Rows);
        }

        if (threads <= 1 || chunks.Count <= 1)
        {
            var scratch = new MulticlassChunkStatistics.Scratch(longest);
            for (var c = 0; c < chunks.Count; c++)
            {
                stats[c] = MulticlassChunkStatistics.Compute(data, (int)chunks[c].StartIndex, (int)chunks[c].Rows, rocAuc, scratch);
            }

            return stats;
        }

        Parallel.For(
            0,
            chunks.Count,
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => new MulticlassChunkStatistics.Scratch(longest),
            (c, _, scratch) =>
            {
                stats[c] = MulticlassChunkStatistics.Compute(data, (int)chunks[c].StartIndex, (int)chunks[c].Rows, rocAuc, scratch);
                return scratch;
            },
            _ => { });
        return stats;
    }

    /// <summary>A component's realized value on every chunk as CBPE computes it for its thresholds (from the reference chunks).</summary>
    public static double[] Realized(MulticlassChunkStatistics[] stats, MulticlassComponent component, ConfusionMatrixNormalization normalization)
    {
        var values = new double[stats.Length];
        for (var c = 0; c < stats.Length; c++)
        {
            values[c] = MulticlassMetrics.RealizedForThresholds(component, stats[c], normalization);
        }

        return values;
    }

    /// <summary>The long-format rows: chunk by chunk, components in order.</summary>
    public static List<ChunkEstimate> Rows(
        IReadOnlyList<Chunk> chunks,
        MulticlassChunkStatistics[] stats,
        IReadOnlyList<MulticlassComponent> components,
        ConfusionMatrixNormalization normalization,
        Period period) => FittedComponentExtensions.RowsByChunk(chunks.Count, components.Count, (c, k) =>
        {
            var (component, s) = (components[k], stats[c]);
            var (estimated, n, realized) = MulticlassMetrics.Value(component, s, normalization);
            var row = component.Row(chunks[c], period, estimated, component.SamplingError.For(n), s.HasTargets ? realized : null, s.HasTargets ? s.TargetsMissingRate : null);
            return row with { Calculator = CalculatorKind.MulticlassCbpe, Class = component.Class };
        });
}
