namespace Estimator.Estimation.Shift;

/// <summary>
/// Label (prior) shift, Saerens, Latinne &amp; Decaestecker (2002): when P(x | y) stays as it was and only P(y) moves,
/// the calibrated reference posterior p(x) still carries everything a chunk says about its class prior. The chunk's
/// prior π is the maximum of the mixture likelihood Σ log(π/π₀ · p + (1 − π)/(1 − π₀) · (1 − p)), found by EM, and
/// each row's posterior under π is p scaled by the prior odds ratio.
/// </summary>
public static class PriorShift
{
    private const double Tolerance = 1e-10;
    private const int MaxIterations = 10_000;
    private const double Edge = 1e-6;

    /// <summary>
    /// Re-estimates the prior of the rows whose reference posteriors are <paramref name="probabilities"/> (NaN rows
    /// skipped): EM from <paramref name="referencePrior"/>, the likelihood-ratio statistic against it (χ² with one
    /// degree of freedom when the prior did not move) and the estimate's standard error from the observed information.
    /// </summary>
    /// <param name="probabilities">Calibrated probabilities P(y = 1 | x) under the reference prior.</param>
    /// <param name="referencePrior">The reference's positive rate π₀, in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">The reference prior is not strictly between 0 and 1.</exception>
    public static PriorShiftFit Estimate(ReadOnlySpan<double> probabilities, double referencePrior)
    {
        if (!(referencePrior > 0 && referencePrior < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(referencePrior), referencePrior, "The reference prior must lie strictly between 0 and 1.");
        }

        var prior = referencePrior;
        var iterations = 0;
        var rows = 0;
        while (iterations < MaxIterations)
        {
            iterations++;
            var (r1, r0) = Ratios(prior, referencePrior);
            double sum = 0;
            rows = 0;
            foreach (var p in probabilities)
            {
                if (double.IsNaN(p))
                {
                    continue;
                }

                sum += Adjust(p, r1, r0);
                rows++;
            }

            if (rows == 0)
            {
                return new PriorShiftFit(double.NaN, double.NaN, double.NaN, 0, 0);
            }

            var next = Math.Clamp(sum / rows, Edge, 1 - Edge);
            var step = Math.Abs(next - prior);
            prior = next;
            if (step < Tolerance)
            {
                break;
            }
        }

        var (a, b) = Ratios(prior, referencePrior);
        double logLikelihood = 0, information = 0;
        var dw = (1 / referencePrior) + (1 / (1 - referencePrior));
        foreach (var p in probabilities)
        {
            if (double.IsNaN(p))
            {
                continue;
            }

            // w = a·p + b·(1 − p) is the density ratio of the row under the prior π; dw/dπ = p/π₀ − (1 − p)/(1 − π₀).
            var w = (a * p) + (b * (1 - p));
            logLikelihood += Math.Log(w);
            var score = ((p * dw) - (1 / (1 - referencePrior))) / w;
            information += score * score;
        }

        var standardError = information > 0 ? 1 / Math.Sqrt(information) : double.PositiveInfinity;
        return new PriorShiftFit(prior, 2 * logLikelihood, standardError, rows, iterations);
    }

    /// <summary>
    /// Writes each row's posterior under the prior <paramref name="prior"/>: p·π/π₀ over p·π/π₀ + (1 − p)(1 − π)/(1 − π₀).
    /// NaN stays NaN; 0 and 1 stay as they are.
    /// </summary>
    /// <param name="probabilities">Posteriors under the reference prior.</param>
    /// <param name="referencePrior">π₀.</param>
    /// <param name="prior">π.</param>
    /// <param name="destination">The adjusted posteriors (may be <paramref name="probabilities"/> itself).</param>
    public static void Adjust(ReadOnlySpan<double> probabilities, double referencePrior, double prior, Span<double> destination)
    {
        ColumnLength.Same(probabilities.Length, destination.Length, "Probabilities", nameof(destination));
        var (r1, r0) = Ratios(prior, referencePrior);
        for (var i = 0; i < probabilities.Length; i++)
        {
            destination[i] = Adjust(probabilities[i], r1, r0);
        }
    }

    private static double Adjust(double p, double r1, double r0)
    {
        var positive = r1 * p;
        var total = positive + (r0 * (1 - p));
        return total > 0 ? positive / total : p;
    }

    private static (double Positive, double Negative) Ratios(double prior, double referencePrior) =>
        (prior / referencePrior, (1 - prior) / (1 - referencePrior));
}

/// <summary>The outcome of <see cref="PriorShift.Estimate"/>.</summary>
/// <param name="Prior">The chunk's estimated positive rate; NaN without rows.</param>
/// <param name="LikelihoodRatio">2 · log-likelihood ratio of the estimated prior against the reference's (≥ 0).</param>
/// <param name="StandardError">Standard error of the prior from the observed information.</param>
/// <param name="Rows">Rows used.</param>
/// <param name="Iterations">EM iterations run.</param>
public sealed record PriorShiftFit(double Prior, double LikelihoodRatio, double StandardError, int Rows, int Iterations);
