namespace Estimator.Metrics;

/// <summary>
/// The expected confusion matrix of a chunk: each row adds its calibrated probability to the cell of its predicted
/// class and the complement to the other (spec §3.2). Counts are real numbers.
/// </summary>
/// <param name="TruePositive">Σ p over rows predicted 1.</param>
/// <param name="FalsePositive">Σ (1 − p) over rows predicted 1.</param>
/// <param name="FalseNegative">Σ p over rows predicted 0.</param>
/// <param name="TrueNegative">Σ (1 − p) over rows predicted 0.</param>
/// <param name="Count">Rows counted (rows with a missing probability or prediction are skipped).</param>
public readonly record struct ExpectedConfusionMatrix(double TruePositive, double FalsePositive, double FalseNegative, double TrueNegative, long Count)
{
    /// <summary>Accumulates the expected confusion matrix over the rows where both <paramref name="probabilities"/> and <paramref name="predictions"/> are present.</summary>
    /// <param name="probabilities">Calibrated probabilities of the positive class.</param>
    /// <param name="predictions">Predicted labels, 0 or 1 (NaN = missing).</param>
    public static ExpectedConfusionMatrix Compute(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> predictions)
    {
        ColumnLength.Same(probabilities.Length, predictions.Length, "Probabilities", nameof(predictions));

        var mass = default(ConfusionMass);
        foreach (var (p, yHat) in new PresentPairs(probabilities, predictions))
        {
            mass.Add(p, yHat);
        }

        return mass.ToMatrix();
    }
}
