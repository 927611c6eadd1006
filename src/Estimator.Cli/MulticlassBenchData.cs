namespace Estimator.Cli;

/// <summary>
/// Seeded synthetic data of a K-class model for <c>estimator bench --classes K</c>, shaped like NannyML's credit-card
/// data: one score column per class with two decimals summing to 1 (so ties are as frequent), the prediction the
/// highest score, the target drawn from slightly miscalibrated scores (so the per-class check calibrates).
/// </summary>
internal static class MulticlassBenchData
{
    /// <summary>The class names: <c>class_0</c> … <c>class_{K−1}</c>.</summary>
    public static string[] Classes(int k) => [.. Enumerable.Range(0, k).Select(c => FormattableString.Invariant($"class_{c}"))];

    /// <summary>Generates <paramref name="rows"/> rows of a <paramref name="k"/>-class model; targets only when <paramref name="withTargets"/>.</summary>
    public static ModelData Generate(int rows, int k, bool withTargets, Random random)
    {
        var classes = Classes(k);
        var scores = new double[k][];
        for (var c = 0; c < k; c++)
        {
            scores[c] = new double[rows];
        }

        var predictions = new double[rows];
        var targets = withTargets ? new double[rows] : null;
        var p = new double[k];
        for (var i = 0; i < rows; i++)
        {
            // A softmax of noisy logits with one favoured class, rounded to two decimals; the last class takes the rest.
            var favoured = random.Next(k);
            var sum = 0.0;
            for (var c = 0; c < k; c++)
            {
                p[c] = Math.Exp((random.NextDouble() * 2) + (c == favoured ? 1.5 * random.NextDouble() : 0));
                sum += p[c];
            }

            var rest = 1.0;
            var best = 0;
            for (var c = 0; c < k; c++)
            {
                var v = c == k - 1 ? Math.Round(rest, 2) : Math.Min(Math.Round(p[c] / sum, 2), Math.Round(rest, 2));
                scores[c][i] = v;
                rest -= v;
                best = v > scores[best][i] ? c : best;
            }

            predictions[i] = best;
            if (targets is not null)
            {
                // Sharper than the scores say: the scores are under-confident, so calibration has work to do.
                targets[i] = Draw(scores, i, k, random);
            }
        }

        return new ModelData(rows)
        {
            Classes = classes,
            ClassScores = scores,
            Predictions = predictions,
            Targets = targets,
        };
    }

    private static double Draw(double[][] scores, int row, int k, Random random)
    {
        var total = 0.0;
        for (var c = 0; c < k; c++)
        {
            total += scores[c][row] * scores[c][row];
        }

        var u = random.NextDouble() * total;
        for (var c = 0; c < k; c++)
        {
            u -= scores[c][row] * scores[c][row];
            if (u <= 0)
            {
                return c;
            }
        }

        return k - 1;
    }
}
