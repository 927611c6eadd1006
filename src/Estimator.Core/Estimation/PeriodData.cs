using Estimator.Calibration;

namespace Estimator.Estimation;

/// <summary>
/// One period's columns in chunking order (sorted by timestamp when there is one) and the calibrator. Probabilities are
/// calibrated chunk by chunk, into per-worker scratch (<see cref="ChunkComputation"/>), so no period-sized probability
/// vector is allocated.
/// </summary>
internal sealed class PeriodData
{
    private PeriodData(double[] scores, double[]? predictions, double[]? targets, DateTime[]? timestamps, IsotonicCalibrator? calibrator)
    {
        Calibrator = calibrator;
        Scores = scores;
        Predictions = predictions;
        Targets = targets;
        Timestamps = timestamps;
    }

    public double[] Scores { get; }

    /// <summary>The calibrator of the scores; null when the probabilities are the scores.</summary>
    public IsotonicCalibrator? Calibrator { get; }

    public double[]? Predictions { get; }

    public double[]? Targets { get; }

    public DateTime[]? Timestamps { get; }

    public int Count => Scores.Length;

    /// <summary>Wraps buffers already in chunking order (streaming); the arrays may be longer than the rows used.</summary>
    internal static PeriodData FromBuffers(double[] scores, double[]? predictions, double[]? targets, IsotonicCalibrator? calibrator) =>
        new(scores, predictions, targets, null, calibrator);

    /// <summary>Sorts by timestamp (stable: equal timestamps keep their row order).</summary>
    /// <param name="set">The period's rows.</param>
    /// <param name="calibrator">The calibrator, or null to use the scores as probabilities.</param>
    public static PeriodData Prepare(PredictionSet set, IsotonicCalibrator? calibrator)
    {
        double[] scores, predictions, targets;
        DateTime[]? timestamps = null;
        if (set.Timestamps is { } ts && !IsSorted(ts))
        {
            // pandas sorts with an unstable quicksort; a stable order is the reproducible choice for equal timestamps.
            var keys = new long[ts.Length];
            var order = new int[ts.Length];
            for (var i = 0; i < ts.Length; i++)
            {
                keys[i] = ts[i].Ticks;
                order[i] = i;
            }

            Array.Sort(keys, order);
            StabilizeTies(keys, order);
            scores = Permute(set.Scores, order);
            predictions = set.Predictions is null ? [] : Permute(set.Predictions, order);
            targets = set.Targets is null ? [] : Permute(set.Targets, order);
            timestamps = new DateTime[ts.Length];
            for (var i = 0; i < order.Length; i++)
            {
                timestamps[i] = ts[order[i]];
            }
        }
        else
        {
            scores = set.Scores;
            predictions = set.Predictions ?? [];
            targets = set.Targets ?? [];
            timestamps = set.Timestamps;
        }

        return new PeriodData(scores, set.Predictions is null ? null : predictions, set.Targets is null ? null : targets, timestamps, calibrator);
    }

    private static bool IsSorted(DateTime[] ts)
    {
        for (var i = 1; i < ts.Length; i++)
        {
            if (ts[i] < ts[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    private static void StabilizeTies(long[] keys, int[] order)
    {
        var i = 0;
        while (i < keys.Length)
        {
            var j = i + 1;
            while (j < keys.Length && keys[j] == keys[i])
            {
                j++;
            }

            if (j - i > 1)
            {
                Array.Sort(order, i, j - i);
            }

            i = j;
        }
    }

    private static double[] Permute(double[] values, int[] order)
    {
        var result = new double[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            result[i] = values[order[i]];
        }

        return result;
    }
}
