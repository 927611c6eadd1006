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
        if (targets.Length != predictions.Length)
        {
            throw new ArgumentException("Targets and predictions differ in length.", nameof(predictions));
        }

        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            var y = targets[i];
            var yHat = predictions[i];
            if (double.IsNaN(y) || double.IsNaN(yHat))
            {
                continue;
            }

            if (yHat == 1)
            {
                if (y == 1)
                {
                    tp++;
                }
                else
                {
                    fp++;
                }
            }
            else if (y == 1)
            {
                fn++;
            }
            else
            {
                tn++;
            }
        }

        return new LabelCounts(tp, fp, fn, tn);
    }
}
