namespace Estimator.Metrics;

/// <summary>The actual confusion matrix of a chunk, over rows where both the target and the prediction are present.</summary>
/// <param name="TruePositive">Rows with target 1 and prediction 1.</param>
/// <param name="FalsePositive">Rows with target 0 and prediction 1.</param>
/// <param name="FalseNegative">Rows with target 1 and prediction 0.</param>
/// <param name="TrueNegative">Rows with target 0 and prediction 0.</param>
public readonly record struct LabelCounts(long TruePositive, long FalsePositive, long FalseNegative, long TrueNegative)
{
    /// <summary>Rows counted.</summary>
    public long Count => TruePositive + FalsePositive + FalseNegative + TrueNegative;

    /// <summary>Counts the rows where both <paramref name="targets"/> and <paramref name="predictions"/> are present.</summary>
    public static LabelCounts Compute(ReadOnlySpan<double> targets, ReadOnlySpan<double> predictions)
    {
        ColumnLength.Same(targets.Length, predictions.Length, "Targets", nameof(predictions));

        // Branch-free: labels of shuffled rows are coin flips to a branch predictor. A row counts when both are present;
        // predicted 1 and actual 1 pick the cell.
        long tp = 0, predictedPositive = 0, actualPositive = 0, count = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            var y = targets[i];
            var yHat = predictions[i];
            var present = !double.IsNaN(y) & !double.IsNaN(yHat);
            var predicted = present & (yHat == 1);
            var actual = present & (y == 1);
            count += present ? 1 : 0;
            predictedPositive += predicted ? 1 : 0;
            actualPositive += actual ? 1 : 0;
            tp += predicted & actual ? 1 : 0;
        }

        var fp = predictedPositive - tp;
        var fn = actualPositive - tp;
        var tn = count - tp - fp - fn;
        return new LabelCounts(tp, fp, fn, tn);
    }
}
