using System.Buffers;

namespace Estimator.Metrics;

/// <summary>
/// DeLong's standard error of ROC AUC with soft labels: each row counts as a positive with weight p and as a negative
/// with weight 1 − p, its probability of being positive. With hard labels it is DeLong, Delong &amp; Clarke-Pearson
/// (1988) with population variances: <c>SE² = Var₁(V₁₀)/N₁ + Var₀(V₀₁)/N₀</c>, where a positive's placement V₁₀ is the
/// share of negatives scored below it (ties count half) and a negative's V₀₁ the share of positives scored above it.
/// </summary>
/// <remarks>
/// Plain CBPE keeps NannyML's error model (the positives' placements alone, at the reference's class balance: spec §4).
/// The shift-corrected estimators read this one instead: a chunk whose prior or covariates moved has other class
/// counts and another AUC than the reference, and the negatives' half of the variance is no longer small.
/// </remarks>
public static class RocAucStandardError
{
    /// <summary>
    /// The standard error of the chunk's ROC AUC expected from <paramref name="probabilities"/> as soft labels, ranked
    /// by <paramref name="scores"/>. Rows with a NaN probability or score are left out; NaN when either class has no mass.
    /// </summary>
    /// <param name="probabilities">Each row's P(y = 1), in [0, 1].</param>
    /// <param name="scores">The model's scores, which rank the rows.</param>
    public static double Soft(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> scores)
    {
        ColumnLength.Same(probabilities.Length, scores.Length, "Probabilities", nameof(scores));
        var keys = ArrayPool<double>.Shared.Rent(probabilities.Length);
        var weights = ArrayPool<double>.Shared.Rent(probabilities.Length);
        try
        {
            var m = 0;
            for (var i = 0; i < probabilities.Length; i++)
            {
                if (!double.IsNaN(probabilities[i]) && !double.IsNaN(scores[i]))
                {
                    keys[m] = scores[i];
                    weights[m] = probabilities[i];
                    m++;
                }
            }

            Array.Sort(keys, weights, 0, m);
            return Sorted(keys.AsSpan(0, m), weights.AsSpan(0, m));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(keys);
            ArrayPool<double>.Shared.Return(weights);
        }
    }

    /// <summary>The error of rows sorted by ascending score: one pass over the groups of tied scores.</summary>
    private static double Sorted(ReadOnlySpan<double> scores, ReadOnlySpan<double> probabilities)
    {
        double positives = 0, negatives = 0;
        foreach (var p in probabilities)
        {
            positives += p;
            negatives += 1 - p;
        }

        if (!(positives > 0 && negatives > 0))
        {
            return double.NaN;
        }

        // Every row of a tie group has the same placements, so the sums run over groups: Σ w·V and Σ w·V² per class.
        double negativesBelow = 0, positivesBelow = 0;
        double sum10 = 0, square10 = 0, sum01 = 0, square01 = 0;
        var start = 0;
        while (start < scores.Length)
        {
            var end = start + 1;
            while (end < scores.Length && scores[end] == scores[start])
            {
                end++;
            }

            double positivesIn = 0, negativesIn = 0;
            for (var i = start; i < end; i++)
            {
                positivesIn += probabilities[i];
                negativesIn += 1 - probabilities[i];
            }

            var v10 = (negativesBelow + (0.5 * negativesIn)) / negatives;
            var v01 = (positives - positivesBelow - positivesIn + (0.5 * positivesIn)) / positives;
            sum10 += positivesIn * v10;
            square10 += positivesIn * v10 * v10;
            sum01 += negativesIn * v01;
            square01 += negativesIn * v01 * v01;
            negativesBelow += negativesIn;
            positivesBelow += positivesIn;
            start = end;
        }

        var auc = sum10 / positives;
        var variance10 = Math.Max(0, (square10 / positives) - (auc * auc));
        var mean01 = sum01 / negatives;
        var variance01 = Math.Max(0, (square01 / negatives) - (mean01 * mean01));
        return Math.Sqrt((variance10 / positives) + (variance01 / negatives));
    }
}
