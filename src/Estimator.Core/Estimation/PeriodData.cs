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
        if (set.Timestamps is { } ts && TimestampOrder.Of(ts) is { } order)
        {
            scores = TimestampOrder.Permute(set.Scores, order);
            predictions = set.Predictions is null ? [] : TimestampOrder.Permute(set.Predictions, order);
            targets = set.Targets is null ? [] : TimestampOrder.Permute(set.Targets, order);
            timestamps = TimestampOrder.Permute(ts, order);
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
}
