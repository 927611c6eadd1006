namespace Estimator.Scenarios.Shift;

/// <summary>
/// Regenerates the classification worlds of shared/scenarios from their <c>meta.json</c> descriptions with any seed:
/// 50,000 training rows at intensity 0 fit the model (a logistic regression, never refit), 50,000 reference rows at
/// intensity 0, and 12 analysis chunks of 5,000 rows at intensities 0, 0, 0, 0, .25, .5, .75, 1, 1, 1, 1, 1.
/// </summary>
/// <remarks>
/// <para>Base world: g ~ Cat(0.5, 0.3, 0.2) over A, B, C; x | g ~ N(μ_g, I) with μ_A = (0, 0, 0), μ_B = (0.5, −0.3, 0),
/// μ_C = (−0.5, 0.4, 0) (measured on the shared files); logit P(y | x) = −0.8 + 1.2 x1 − 0.9 x2 + 0.4 x3 +
/// {A: 0, B: 0.6, C: −0.7}[g]. The model: logistic regression on x1, x2, x3 and one-hot g (B, C).</para>
/// <para>Benign covariate shift: the g mix moves to (0.2, 0.3, 0.5) and the x means by (0.8, 0.6, 1.0)·t.
/// Subgroup shift: g mix (0.45, 0.45, 0.10) → (0.15, 0.15, 0.70), x | g unchanged; logit −0.8 + L + {A: 0, B: 0.3}[g]
/// for A and B, −0.2 + 0.45 L for C, L = 1.2 x1 − 0.9 x2 + 0.4 x3; the model sees x1, x2, x3 only. Concept drift:
/// logit (−0.8 + 0.8t) + 1.2(1 − 0.6t) x1 − 0.9(1 − 1.3t) x2 + 0.4 x3 + (1 − 2t){A: 0, B: 0.6, C: −0.7}[g]. Prior
/// shift: y ~ Bern(π), π = 0.25 + 0.35t; x_j | y ~ N((0.9, −0.6, 0.3)_j · y, 1); g | y=0 ~ Cat(0.5, 0.3, 0.2),
/// g | y=1 ~ Cat(0.3, 0.3, 0.4).</para>
/// <para>Random numbers: <see cref="Random"/> seeded per period (seed·3 + 1, + 2, + 3 for train, reference, analysis) and
/// Box–Muller normals, so a seed gives the same world on every .NET version.</para>
/// </remarks>
public static class ShiftWorldGenerator
{
    private static readonly double[] Intensities = [0, 0, 0, 0, 0.25, 0.5, 0.75, 1, 1, 1, 1, 1];
    private static readonly string[] Groups = ["A", "B", "C"];
    private static readonly double[][] GroupMeans = [[0, 0, 0], [0.5, -0.3, 0], [-0.5, 0.4, 0]];
    private static readonly double[] GroupEffect = [0, 0.6, -0.7];
    private static readonly DateTime Start = new(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Rows per analysis chunk.</summary>
    public const int ChunkRows = 5000;

    /// <summary>The prior-shift family's positive rate in analysis chunk <paramref name="chunk"/> (0.25 in the reference).</summary>
    public static double PriorShiftRate(int chunk) => PriorShiftRate(Intensities[chunk]);

    private static double PriorShiftRate(double intensity) => 0.25 + (0.35 * intensity);

    /// <summary>Generates a world of <paramref name="family"/> with <paramref name="seed"/>.</summary>
    /// <param name="family">The world family.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="referenceRows">Reference (and training) rows; the shared worlds have 50,000.</param>
    public static ShiftWorld Generate(ShiftWorldFamily family, int seed, int referenceRows = 50_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(referenceRows, 100);
        if (!Enum.IsDefined(family))
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown world family.");
        }

        var train = Draw(family, new Random((seed * 3) + 1), Enumerable.Repeat(0.0, referenceRows).ToArray());
        var width = family == ShiftWorldFamily.CovariateShiftSubgroup ? 3 : 5;
        var coefficients = LogisticFit.Fit(Design(train, width), width, train.Targets);
        var reference = Draw(family, new Random((seed * 3) + 2), Enumerable.Repeat(0.0, referenceRows).ToArray());
        var analysis = Draw(family, new Random((seed * 3) + 3), [.. Intensities.SelectMany(t => Enumerable.Repeat(t, ChunkRows))]);
        return new ShiftWorld(family, Period(reference, coefficients, width, Start), Period(analysis, coefficients, width, Start.AddMinutes(5.0 * referenceRows)), coefficients);
    }

    private sealed record Rows(double[][] Numeric, int[] Group, double[] TrueProbabilities, double[] Targets);

    private static Rows Draw(ShiftWorldFamily family, Random random, double[] intensity)
    {
        var n = intensity.Length;
        var x = new[] { new double[n], new double[n], new double[n] };
        var group = new int[n];
        var truth = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var t = intensity[i];
            if (family == ShiftWorldFamily.PriorShift)
            {
                var prior = PriorShiftRate(t);
                var label = random.NextDouble() < prior ? 1 : 0;
                double[] means = [0.9 * label, -0.6 * label, 0.3 * label];
                for (var j = 0; j < 3; j++)
                {
                    x[j][i] = means[j] + ScenarioGenerator.Normal(random);
                }

                group[i] = Categorical(random, label == 1 ? [0.3, 0.3, 0.4] : [0.5, 0.3, 0.2]);
                truth[i] = PriorPosterior(x[0][i], x[1][i], x[2][i], group[i], prior);
                y[i] = label;
                continue;
            }

            double[] mix = family switch
            {
                ShiftWorldFamily.CovariateShiftBenign => [0.5 - (0.3 * t), 0.3, 0.2 + (0.3 * t)],
                ShiftWorldFamily.CovariateShiftSubgroup => [0.45 - (0.3 * t), 0.45 - (0.3 * t), 0.10 + (0.6 * t)],
                _ => [0.5, 0.3, 0.2],
            };
            group[i] = Categorical(random, mix);
            double[] shift = family == ShiftWorldFamily.CovariateShiftBenign ? [0.8 * t, 0.6 * t, 1.0 * t] : [0, 0, 0];
            for (var j = 0; j < 3; j++)
            {
                x[j][i] = GroupMeans[group[i]][j] + shift[j] + ScenarioGenerator.Normal(random);
            }

            truth[i] = Sigmoid(Logit(family, x[0][i], x[1][i], x[2][i], group[i], t));
            y[i] = random.NextDouble() < truth[i] ? 1 : 0;
        }

        return new Rows(x, group, truth, y);
    }

    private static double Logit(ShiftWorldFamily family, double x1, double x2, double x3, int g, double t)
    {
        var linear = (1.2 * x1) - (0.9 * x2) + (0.4 * x3);
        return family switch
        {
            ShiftWorldFamily.CovariateShiftSubgroup => g == 2 ? -0.2 + (0.45 * linear) : -0.8 + linear + (g == 1 ? 0.3 : 0),
            ShiftWorldFamily.ConceptDrift => (-0.8 + (0.8 * t)) + (1.2 * (1 - (0.6 * t)) * x1) - (0.9 * (1 - (1.3 * t)) * x2) + (0.4 * x3) + ((1 - (2 * t)) * GroupEffect[g]),
            _ => -0.8 + linear + GroupEffect[g],
        };
    }

    /// <summary>P(y = 1 | x) under the prior π: the prior odds times the likelihood ratio of x (normal means, group mix).</summary>
    private static double PriorPosterior(double x1, double x2, double x3, int g, double prior)
    {
        double[] m = [0.9, -0.6, 0.3];
        double[] xs = [x1, x2, x3];
        var logRatio = 0.0;
        for (var j = 0; j < 3; j++)
        {
            logRatio += (m[j] * xs[j]) - (0.5 * m[j] * m[j]);
        }

        double[] positive = [0.3, 0.3, 0.4];
        double[] negative = [0.5, 0.3, 0.2];
        logRatio += Math.Log(positive[g] / negative[g]);
        return Sigmoid(Math.Log(prior / (1 - prior)) + logRatio);
    }

    private static int Categorical(Random random, double[] probabilities)
    {
        var u = random.NextDouble();
        var cumulative = 0.0;
        for (var k = 0; k < probabilities.Length - 1; k++)
        {
            cumulative += probabilities[k];
            if (u < cumulative)
            {
                return k;
            }
        }

        return probabilities.Length - 1;
    }

    /// <summary>The model's inputs, row-major: x1, x2, x3 and (unless the model is blind to the group) one-hot B, C.</summary>
    private static double[] Design(Rows rows, int width)
    {
        var n = rows.Targets.Length;
        var design = new double[n * width];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                design[(i * width) + j] = rows.Numeric[j][i];
            }

            if (width == 5)
            {
                design[(i * width) + 3] = rows.Group[i] == 1 ? 1 : 0;
                design[(i * width) + 4] = rows.Group[i] == 2 ? 1 : 0;
            }
        }

        return design;
    }

    private static ShiftWorldPeriod Period(Rows rows, double[] coefficients, int width, DateTime start)
    {
        var n = rows.Targets.Length;
        var design = Design(rows, width);
        var scores = new double[n];
        var predictions = new double[n];
        for (var i = 0; i < n; i++)
        {
            var z = coefficients[width];
            for (var c = 0; c < width; c++)
            {
                z += coefficients[c] * design[(i * width) + c];
            }

            scores[i] = Sigmoid(z);
            predictions[i] = scores[i] >= 0.5 ? 1 : 0;
        }

        return new ShiftWorldPeriod
        {
            Timestamps = [.. Enumerable.Range(0, n).Select(i => start.AddMinutes(5.0 * i))],
            Numeric = rows.Numeric,
            Group = [.. rows.Group.Select(g => Groups[g])],
            TrueProbabilities = rows.TrueProbabilities,
            Scores = scores,
            Predictions = predictions,
            Targets = rows.Targets,
        };
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
