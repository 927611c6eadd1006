using System.Buffers;
using System.Runtime.InteropServices;

namespace Estimator.Estimation;

/// <summary>The per-chunk numbers before thresholds are applied: estimate, rows behind it, realized value.</summary>
internal readonly record struct ComponentValue(double Estimated, long Rows, double Realized);

/// <summary>Computes every component's estimate and realized value on each chunk of a period. No allocation per row.</summary>
internal static class ChunkComputation
{
    /// <summary>Component names of a metric, in output order.</summary>
    public static IEnumerable<(Metric Metric, int Component, string Name)> Components(IEnumerable<Metric> metrics)
    {
        foreach (var metric in metrics)
        {
            if (metric == Metric.ConfusionMatrix)
            {
                for (var k = 0; k < MetricNames.ConfusionMatrixComponents.Count; k++)
                {
                    yield return (metric, k, MetricNames.ConfusionMatrixComponents[k]);
                }
            }
            else
            {
                yield return (metric, 0, metric.ToName());
            }
        }
    }

    /// <summary>
    /// values[chunk][component]; realized is NaN when <paramref name="withRealized"/> is false or the data has no targets.
    /// Also returns each chunk's share of rows without a target (NaN without targets).
    /// </summary>
    /// <remarks>
    /// Chunks are independent: with <paramref name="threads"/> &gt; 1 workers take chunks in turn, each with its own
    /// scratch, and write each chunk's values to its slot, so the output is the serial output bit for bit.
    /// </remarks>
    public static (ComponentValue[][] Values, double[] TargetsMissingRate) Compute(
        PeriodData data,
        IReadOnlyList<Chunk> chunks,
        IReadOnlyList<(Metric Metric, int Component, string Name)> components,
        CbpeOptions options,
        bool withRealized,
        int threads = 1)
    {
        var values = new ComponentValue[chunks.Count][];
        var missingRates = new double[chunks.Count];
        var longest = 0;
        foreach (var chunk in chunks)
        {
            longest = (int)Math.Max(longest, chunk.Rows);
        }

        var workers = Math.Clamp(threads, 1, Math.Max(1, chunks.Count));
        if (workers == 1)
        {
            using var scratch = new ChunkScratch(longest);
            for (var c = 0; c < chunks.Count; c++)
            {
                (values[c], missingRates[c]) = ComputeChunk(data, chunks[c], components, options, withRealized, scratch);
            }

            return (values, missingRates);
        }

        var next = -1;
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
        {
            using var scratch = new ChunkScratch(longest);
            int c;
            while ((c = Interlocked.Increment(ref next)) < chunks.Count)
            {
                (values[c], missingRates[c]) = ComputeChunk(data, chunks[c], components, options, withRealized, scratch);
            }
        });
        return (values, missingRates);
    }

    /// <summary>One chunk's component values and its share of rows without a target.</summary>
    internal static (ComponentValue[] Values, double MissingRate) ComputeChunk(
        PeriodData data,
        Chunk chunk,
        IReadOnlyList<(Metric Metric, int Component, string Name)> components,
        CbpeOptions options,
        bool withRealized,
        ChunkScratch scratch)
    {
        var needsRanking = false;
        var needsCounts = false;
        var wantsRocAuc = false;
        foreach (var component in components)
        {
            wantsRocAuc |= component.Metric == Metric.RocAuc;
            needsRanking |= !component.Metric.RequiresPredictions();
            needsCounts |= component.Metric.RequiresPredictions();
        }

        var realized = withRealized && data.Targets is not null;
        var start = (int)chunk.StartIndex;
        var length = (int)chunk.Rows;
        scratch.EnsureCapacity(length);
        var s = data.Scores.AsSpan(start, length);
        var yHat = data.Predictions is null ? default : data.Predictions.AsSpan(start, length);
        var y = data.Targets is null ? default : data.Targets.AsSpan(start, length);

        // The fused kernel (see FusedChunkKernel): the chunk is calibrated into scratch (each row on its own, so no
        // period-wide vector is needed), the probabilities themselves are sorted, and one loop writes their running
        // sums while it sums the expected confusion matrix. A calibrator that gives NaN for a score (infinite values)
        // takes the reference ranking, which keeps such rows.
        var countMatrix = needsCounts && data.Predictions is not null;
        var cm = default(ExpectedConfusionMatrix);
        var rankedCount = 0;
        var rocAuc = double.NaN;
        if (needsRanking || countMatrix)
        {
            var p = FusedChunkKernel.Calibrate(s, data.Calibrator, scratch.Probabilities);
            var predictions = countMatrix ? yHat : default;
            var keys = MemoryMarshal.Cast<double, ulong>(scratch.Keys.AsSpan(0, length));
            var n = needsRanking ? FusedChunkKernel.Encode(s, p, keys) : -1;
            if (n >= 0)
            {
                var cumulative = scratch.Cumulative.AsSpan(0, n);
                cm = FusedChunkKernel.SortDescendingWithSums(keys[..n], MemoryMarshal.Cast<double, ulong>(scratch.Radix.AsSpan()), scratch.DigitCounts, scratch.Ranked, cumulative, p, predictions);
                rankedCount = n;
                rocAuc = wantsRocAuc ? FusedChunkKernel.RocAucFromCumulative(cumulative) : double.NaN;
            }
            else
            {
                cm = countMatrix ? FusedChunkKernel.Matrix(p, predictions) : default;
                if (needsRanking)
                {
                    rankedCount = RankCalibratedDescending(s, data.Calibrator, scratch.Keys, scratch.Radix, scratch.Ranked);
                    rocAuc = wantsRocAuc ? EstimatedMetrics.RocAucFromRanked(scratch.Ranked.AsSpan(0, rankedCount)) : double.NaN;
                }
            }
        }

        var rankedSpan = scratch.Ranked.AsSpan(0, rankedCount);

        var counts = realized && needsCounts && data.Predictions is not null ? LabelCounts.Compute(y, yHat) : default;
        var labelledScores = 0;
        if (realized && needsRanking)
        {
            for (var i = 0; i < length; i++)
            {
                if (!double.IsNaN(y[i]) && !double.IsNaN(s[i]))
                {
                    scratch.RealizedTargets[labelledScores] = y[i];
                    scratch.RealizedScores[labelledScores] = s[i];
                    labelledScores++;
                }
            }
        }

        double missingRate;
        if (data.Targets is null)
        {
            missingRate = double.NaN;
        }
        else
        {
            var missing = 0;
            foreach (var t in y)
            {
                missing += double.IsNaN(t) ? 1 : 0;
            }

            missingRate = (double)missing / length;
        }

        var row = new ComponentValue[components.Count];
        for (var k = 0; k < components.Count; k++)
        {
            var (metric, component, _) = components[k];
            var estimated = metric == Metric.RocAuc ? rocAuc : Estimate(metric, component, cm, rankedSpan, options);
            var rows = metric.RequiresPredictions() ? cm.Count : rankedCount;
            var realizedValue = !realized
                ? double.NaN
                : metric.RequiresPredictions()
                    ? Realized(metric, component, counts, options)
                    : RealizedFromScores(metric, scratch.RealizedTargets.AsSpan(0, labelledScores), scratch.RealizedScores.AsSpan(0, labelledScores));
            row[k] = new ComponentValue(estimated, rows, realizedValue);
        }

        return (row, missingRate);
    }

    /// <summary>
    /// The chunk's calibrated probabilities ordered by raw score descending, as
    /// <see cref="EstimatedMetrics.RankByScoreDescending"/> gives them, from one keys-only radix sort of the raw scores.
    /// </summary>
    /// <remarks>
    /// The calibrator is non-decreasing and maps equal scores to equal values, so calibrating the scores after sorting
    /// them gives exactly the array that co-sorting precomputed probabilities by score gives, whatever the tie order.
    /// Rows with a NaN score (the only rows with a NaN probability) are left out, as there.
    /// </remarks>
    internal static int RankCalibratedDescending(ReadOnlySpan<double> scores, IsotonicCalibrator? calibrator, double[] keys, double[] radix, double[] destination)
    {
        var n = 0;
        foreach (var score in scores)
        {
            if (!double.IsNaN(score))
            {
                keys[n++] = score;
            }
        }

        var sorted = keys.AsSpan(0, n);
        RadixSort.Sort(sorted, radix.AsSpan(0, n));
        var ranked = destination.AsSpan(0, n);
        for (var k = 0; k < n; k++)
        {
            ranked[k] = sorted[n - 1 - k];
        }

        calibrator?.Calibrate(ranked, ranked);
        return n;
    }

    /// <summary>One metric's estimate from the expected confusion matrix (label metrics) or the ranked scores (ranking metrics).</summary>
    internal static double Estimate(Metric metric, int component, in ExpectedConfusionMatrix cm, ReadOnlySpan<double> ranked, CbpeOptions options) => metric switch
    {
        Metric.RocAuc => EstimatedMetrics.RocAucFromRanked(ranked),
        Metric.AveragePrecision => EstimatedMetrics.AveragePrecisionFromRanked(ranked),
        Metric.Precision => EstimatedMetrics.Precision(cm),
        Metric.Recall => EstimatedMetrics.Recall(cm),
        Metric.F1 => EstimatedMetrics.F1(cm),
        Metric.Accuracy => EstimatedMetrics.Accuracy(cm),
        Metric.Specificity => EstimatedMetrics.Specificity(cm),
        Metric.ConfusionMatrix => EstimatedMetrics.ConfusionMatrixComponent(cm, component, options.ConfusionMatrixNormalization),
        Metric.BusinessValue => EstimatedMetrics.BusinessValue(cm, options.BusinessValueMatrix!, options.NormalizeBusinessValuePerPrediction),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>Realized value of a label-based component from the chunk's actual confusion matrix.</summary>
    public static double Realized(Metric metric, int component, in LabelCounts counts, CbpeOptions options) => metric switch
    {
        Metric.ConfusionMatrix => RealizedMetrics.ConfusionMatrixComponent(counts, component, options.ConfusionMatrixNormalization),
        Metric.BusinessValue => counts.Count == 0 ? double.NaN : RealizedMetrics.BusinessValue(counts, options.BusinessValueMatrix!, options.NormalizeBusinessValuePerPrediction),
        _ => RealizedMetrics.FromCounts(metric, counts),
    };

    /// <summary>Realized ROC AUC or average precision on raw scores of the labelled rows.</summary>
    public static double RealizedFromScores(Metric metric, ReadOnlySpan<double> targets, ReadOnlySpan<double> scores) =>
        targets.IsEmpty
            ? double.NaN
            : metric == Metric.RocAuc ? RealizedMetrics.RocAuc(targets, scores) : RealizedMetrics.AveragePrecision(targets, scores);
}

/// <summary>Per-worker scratch of <see cref="ChunkComputation"/>, rented from the shared pool.</summary>
internal sealed class ChunkScratch : IDisposable
{
    public ChunkScratch(int capacity) => Rent(Math.Max(1, capacity));

    public double[] Keys { get; private set; } = [];

    public double[] Radix { get; private set; } = [];

    public double[] Ranked { get; private set; } = [];

    public double[] RealizedTargets { get; private set; } = [];

    public double[] RealizedScores { get; private set; } = [];

    public double[] Probabilities { get; private set; } = [];

    /// <summary>Running sums of the ranked probabilities.</summary>
    public double[] Cumulative { get; private set; } = [];

    /// <summary>The radix sort's digit counts.</summary>
    public int[] DigitCounts { get; private set; } = [];

    /// <summary>Grows the buffers to hold a chunk of <paramref name="length"/> rows.</summary>
    public void EnsureCapacity(int length)
    {
        if (Keys.Length < length)
        {
            Dispose();
            Rent(length);
        }
    }

    public void Dispose()
    {
        foreach (var buffer in new[] { Keys, Radix, Ranked, RealizedTargets, RealizedScores, Probabilities, Cumulative })
        {
            if (buffer.Length > 0)
            {
                ArrayPool<double>.Shared.Return(buffer);
            }
        }

        if (DigitCounts.Length > 0)
        {
            ArrayPool<int>.Shared.Return(DigitCounts);
        }

        Keys = Radix = Ranked = RealizedTargets = RealizedScores = Probabilities = Cumulative = [];
        DigitCounts = [];
    }

    private void Rent(int length)
    {
        Keys = ArrayPool<double>.Shared.Rent(length);
        Radix = ArrayPool<double>.Shared.Rent(length);
        Ranked = ArrayPool<double>.Shared.Rent(length);
        RealizedTargets = ArrayPool<double>.Shared.Rent(length);
        RealizedScores = ArrayPool<double>.Shared.Rent(length);
        Probabilities = ArrayPool<double>.Shared.Rent(length);
        Cumulative = ArrayPool<double>.Shared.Rent(length);
        DigitCounts = ArrayPool<int>.Shared.Rent(RadixSort.CountsLength);
    }
}
