using MathNet.Numerics.LinearAlgebra;

namespace Estimator.Calibration;

/// <summary>
/// A smooth calibration map: logistic regression of the target on a restricted cubic spline of the score's logit
/// (Harrell's basis, four knots at the 5, 35, 65 and 95 % weighted quantiles), fitted by Newton's method with row
/// weights. Where isotonic regression averages the rows of each step on its own, the spline's four coefficients
/// pool every row, so under importance weights (which leave a few thousand effective rows) it is less noisy than
/// the isotonic steps; it is linear in the logit beyond the outer knots and exact when the scores are a logistic
/// model's up to an affine map of the logit (Platt scaling is the special case without cubic terms).
/// </summary>
public sealed class LogitSplineCalibrator
{
    private const int KnotCount = 4;
    private const double Edge = 1e-12;
    private static readonly double[] KnotQuantiles = [0.05, 0.35, 0.65, 0.95];

    private readonly double[] _knots;
    private readonly double[] _coefficients;

    private LogitSplineCalibrator(double[] knots, double[] coefficients)
    {
        _knots = knots;
        _coefficients = coefficients;
    }

    /// <summary>
    /// Fits the calibration of <paramref name="targets"/> on <paramref name="scores"/> under <paramref name="weights"/>;
    /// null when the knots do not spread (fewer than four distinct logits carry weight) or the fit does not converge.
    /// </summary>
    /// <param name="scores">Scores in [0, 1], ascending (the quantiles are read in this order); no NaN.</param>
    /// <param name="targets">0/1 targets.</param>
    /// <param name="weights">Non-negative row weights, not all 0.</param>
    /// <exception cref="ArgumentException">Lengths differ.</exception>
    public static LogitSplineCalibrator? FitSortedWeighted(ReadOnlySpan<double> scores, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights)
    {
        ColumnLength.Same(scores.Length, targets.Length, nameof(scores), nameof(targets));
        ColumnLength.Same(scores.Length, weights.Length, nameof(scores), nameof(weights));
        var knots = Knots(scores, weights);
        if (knots is null)
        {
            return null;
        }

        // The basis of every weighted row once; each Newton step then sums plain arrays (the hot loop of the fit).
        const int k = KnotCount;
        var rows = new List<int>(scores.Length);
        for (var i = 0; i < scores.Length; i++)
        {
            if (weights[i] > 0)
            {
                rows.Add(i);
            }
        }

        var design = new double[rows.Count * k];
        for (var j = 0; j < rows.Count; j++)
        {
            Basis(scores[rows[j]], knots, design.AsSpan(j * k, k));
        }

        var beta = new double[k];
        var sums = new double[k * k];
        var gradientSums = new double[k];
        for (var iteration = 0; iteration < 50; iteration++)
        {
            Array.Clear(sums);
            Array.Clear(gradientSums);
            for (var j = 0; j < rows.Count; j++)
            {
                var i = rows[j];
                var basis = design.AsSpan(j * k, k);
                var p = Sigmoid(Dot(beta, basis));
                var v = weights[i] * p * (1 - p);
                var r = weights[i] * (targets[i] - p);
                for (var a = 0; a < k; a++)
                {
                    gradientSums[a] += r * basis[a];
                    for (var b = 0; b <= a; b++)
                    {
                        sums[(a * k) + b] += v * basis[a] * basis[b];
                    }
                }
            }

            var gradient = Vector<double>.Build.Dense(gradientSums);
            var hessian = Matrix<double>.Build.Dense(k, k);
            for (var a = 0; a < k; a++)
            {
                for (var b = 0; b <= a; b++)
                {
                    hessian[a, b] = sums[(a * k) + b];
                    hessian[b, a] = sums[(a * k) + b];
                }
            }

            var step = hessian.Solve(gradient);
            var largest = 0.0;
            for (var a = 0; a < k; a++)
            {
                beta[a] += step[a];
                largest = Math.Max(largest, Math.Abs(step[a]));
            }

            if (!double.IsFinite(largest))
            {
                return null;
            }

            if (largest < 1e-10)
            {
                return new LogitSplineCalibrator(knots, beta);
            }
        }

        return null;
    }

    /// <summary>Calibrates <paramref name="scores"/> into <paramref name="destination"/>; NaN stays NaN.</summary>
    public void Calibrate(ReadOnlySpan<double> scores, Span<double> destination)
    {
        ColumnLength.Same(scores.Length, destination.Length, nameof(scores), nameof(destination));
        Span<double> basis = stackalloc double[KnotCount];
        for (var i = 0; i < scores.Length; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                destination[i] = double.NaN;
                continue;
            }

            Basis(scores[i], _knots, basis);
            destination[i] = Sigmoid(Dot(_coefficients, basis));
        }
    }

    /// <summary>The weighted quantiles of the logits; null when two knots coincide.</summary>
    private static double[]? Knots(ReadOnlySpan<double> scores, ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (var w in weights)
        {
            total += w;
        }

        var knots = new double[KnotCount];
        var q = 0;
        double cumulative = 0;
        for (var i = 0; i < scores.Length && q < KnotCount; i++)
        {
            cumulative += weights[i];
            while (q < KnotCount && cumulative >= KnotQuantiles[q] * total)
            {
                knots[q++] = Logit(scores[i]);
            }
        }

        for (var j = 1; j < KnotCount; j++)
        {
            if (!(knots[j] > knots[j - 1]))
            {
                return null;
            }
        }

        return q == KnotCount ? knots : null;
    }

    /// <summary>Intercept, the logit, and the two restricted cubic terms (scaled by the knot span², as Harrell's rcspline.eval).</summary>
    private static void Basis(double score, double[] t, Span<double> basis)
    {
        var z = Logit(score);
        const int k = KnotCount;
        var last = t[k - 1] - t[k - 2];
        var scale = (t[k - 1] - t[0]) * (t[k - 1] - t[0]);
        basis[0] = 1;
        basis[1] = z;
        for (var j = 0; j < k - 2; j++)
        {
            basis[j + 2] = (Cube(z - t[j]) - (Cube(z - t[k - 2]) * (t[k - 1] - t[j]) / last) + (Cube(z - t[k - 1]) * (t[k - 2] - t[j]) / last)) / scale;
        }
    }

    private static double Cube(double v) => v > 0 ? v * v * v : 0;

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double Logit(double p)
    {
        var c = Math.Clamp(p, Edge, 1 - Edge);
        return Math.Log(c / (1 - c));
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
