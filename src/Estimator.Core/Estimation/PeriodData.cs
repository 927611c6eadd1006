using Estimator.Calibration;

namespace Estimator.Estimation;

/// <summary>One period's columns in chunking order (sorted by timestamp when there is one), with calibrated probabilities.</summary>
internal sealed class PeriodData
{
    private PeriodData(double[] scores, double[] probabilities, double[]? predictions, double[]? targets, DateTime[]? timestamps, IsotonicCalibrator? calibrator)
    {
        Calibrator = calibrator;
        Scores = scores;
        Probabilities = probabilities;
        Predictions = predictions;
        Targets = targets;
        Timestamps = timestamps;
    }

    public double[] Scores { get; }

    /// <summary>The calibrator that gave <see cref="Probabilities"/>; null when they are the scores.</summary>
    public IsotonicCalibrator? Calibrator { get; }

    public double[] Probabilities { get; }

    public double[]? Predictions { get; }

    public double[]? Targets { get; }

    public DateTime[]? Timestamps { get; }

    public int Count => Scores.Length;

    /// <summary>
    /// Wraps buffers whose first <paramref name="count"/> rows are already in chunking order (streaming); calibrates
    /// them into <paramref name="probabilities"/> (or uses the scores). The arrays may be longer than <paramref name="count"/>.
    /// </summary>
    internal static PeriodData FromBuffers(double[] scores, double[]? predictions, double[]? targets, int count, IsotonicCalibrator? calibrator, double[] probabilities, int threads)
    {
        if (calibrator is null)
        {
            probabilities = scores;
        }
        else
        {
            Calibrate(calibrator, scores, probabilities, count, threads);
        }

        return new PeriodData(scores, probabilities, predictions, targets, null, calibrator);
    }

    /// <summary>Calibrates rows [0, count) in parts on up to <paramref name="threads"/> threads (each row on its own, so the result does not depend on it).</summary>
    private static void Calibrate(IsotonicCalibrator calibrator, double[] scores, double[] probabilities, int count, int threads)
    {
        var parts = count < 65_536 ? 1 : Math.Max(1, threads);
        if (parts == 1)
        {
            calibrator.Calibrate(scores.AsSpan(0, count), probabilities.AsSpan(0, count));
            return;
        }

        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            var from = (int)((long)count * part / parts);
            var to = (int)((long)count * (part + 1) / parts);
            calibrator.Calibrate(scores.AsSpan(from, to - from), probabilities.AsSpan(from, to - from));
        });
    }

    /// <summary>Sorts by timestamp (stable: equal timestamps keep their row order) and calibrates the scores.</summary>
    /// <param name="set">The period's rows.</param>
    /// <param name="calibrator">The calibrator, or null to use the scores as probabilities.</param>
    /// <param name="threads">Threads for the calibration (each row is calibrated on its own, so the result does not depend on it).</param>
    public static PeriodData Prepare(PredictionSet set, IsotonicCalibrator? calibrator, int threads = 1)
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

        double[] probabilities;
        if (calibrator is null)
        {
            probabilities = scores;
        }
        else
        {
            probabilities = new double[scores.Length];
            Calibrate(calibrator, scores, probabilities, scores.Length, threads);
        }

        return new PeriodData(scores, probabilities, set.Predictions is null ? null : predictions, set.Targets is null ? null : targets, timestamps, calibrator);
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
