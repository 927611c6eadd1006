using MathNet.Numerics.LinearAlgebra;

namespace Estimator.Scenarios.Shift;

/// <summary>
/// Unpenalised logistic regression by Newton's method (iteratively reweighted least squares): the worlds' models are
/// scikit-learn's <c>LogisticRegression(C=1e6)</c>, for which the penalty is negligible.
/// </summary>
internal static class LogisticFit
{
    /// <summary>The coefficients of the columns of <paramref name="x"/> (row-major, <paramref name="width"/> a row) and the intercept last.</summary>
    public static double[] Fit(double[] x, int width, ReadOnlySpan<double> y)
    {
        var n = y.Length;
        var k = width + 1;
        var beta = new double[k];
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var gradient = Vector<double>.Build.Dense(k);
            var hessian = Matrix<double>.Build.Dense(k, k);
            var row = new double[k];
            for (var i = 0; i < n; i++)
            {
                x.AsSpan(i * width, width).CopyTo(row);
                row[width] = 1;
                var z = 0.0;
                for (var c = 0; c < k; c++)
                {
                    z += beta[c] * row[c];
                }

                var p = 1 / (1 + Math.Exp(-z));
                var v = p * (1 - p);
                for (var a = 0; a < k; a++)
                {
                    gradient[a] += (y[i] - p) * row[a];
                    for (var b = 0; b <= a; b++)
                    {
                        hessian[a, b] += v * row[a] * row[b];
                    }
                }
            }

            for (var a = 0; a < k; a++)
            {
                for (var b = a + 1; b < k; b++)
                {
                    hessian[a, b] = hessian[b, a];
                }
            }

            var step = hessian.Solve(gradient);
            var size = 0.0;
            for (var c = 0; c < k; c++)
            {
                beta[c] += step[c];
                size += Math.Abs(step[c]);
            }

            if (size < 1e-10)
            {
                break;
            }
        }

        return beta;
    }
}
