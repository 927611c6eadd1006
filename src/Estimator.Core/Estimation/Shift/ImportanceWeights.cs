namespace Estimator.Estimation.Shift;

/// <summary>
/// Density-ratio weights of reference rows (how much more likely a row is in the chunk than in the reference): scaled to
/// mean 1, clipped so a handful of rows cannot carry the fit, and their effective sample size.
/// </summary>
public static class ImportanceWeights
{
    /// <summary>
    /// Caps and scales <paramref name="weights"/> so that their mean is 1 and none exceeds <paramref name="clip"/>:
    /// w'ᵢ = min(λ·wᵢ, clip) with the one λ that gives mean 1 (found by bisection; the mean is non-decreasing in λ).
    /// When fewer than n/clip weights are positive no λ reaches mean 1, and the positive ones are all set to the cap.
    /// </summary>
    /// <param name="weights">The raw weights; overwritten.</param>
    /// <param name="clip">The cap as a multiple of the mean weight (&gt; 1).</param>
    /// <exception cref="ArgumentException">A weight is negative or not finite, or every weight is 0.</exception>
    public static void Normalize(Span<double> weights, double clip)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(clip, 1);
        double sum = 0, smallest = double.PositiveInfinity;
        foreach (var w in weights)
        {
            if (!(w >= 0) || double.IsInfinity(w))
            {
                throw new ArgumentException($"A weight is {w}; weights must be finite and non-negative.", nameof(weights));
            }

            sum += w;
            smallest = w > 0 ? Math.Min(smallest, w) : smallest;
        }

        if (!(sum > 0))
        {
            throw new ArgumentException("Every weight is 0.", nameof(weights));
        }

        var n = weights.Length;
        double low = n / sum, high = clip / smallest;
        if (MeanCapped(weights, low, clip) < 1)
        {
            for (var step = 0; step < 200 && high - low > 1e-15 * high; step++)
            {
                var middle = 0.5 * (low + high);
                if (MeanCapped(weights, middle, clip) < 1)
                {
                    low = middle;
                }
                else
                {
                    high = middle;
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            weights[i] = Math.Min(weights[i] * low, clip);
        }
    }

    private static double MeanCapped(ReadOnlySpan<double> weights, double scale, double clip)
    {
        double sum = 0;
        foreach (var w in weights)
        {
            sum += Math.Min(w * scale, clip);
        }

        return sum / weights.Length;
    }

    /// <summary>Kish's effective sample size (Σw)² / Σw²: the rows an unweighted sample as informative would have.</summary>
    /// <param name="weights">Non-negative weights.</param>
    /// <returns>The effective sample size; 0 when every weight is 0.</returns>
    public static double EffectiveSampleSize(ReadOnlySpan<double> weights)
    {
        double sum = 0, squares = 0;
        foreach (var w in weights)
        {
            sum += w;
            squares += w * w;
        }

        return squares > 0 ? sum * sum / squares : 0;
    }
}
