using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Estimator.Scenarios;

/// <summary>
/// Generates seeded synthetic regression worlds (<see cref="Scenario.RegressionStable"/>,
/// <see cref="Scenario.RegressionCovariateShift"/>) whose every row's true error distribution is known: the ground truth
/// for judging direct loss estimation. Pure: no I/O, no clock; the same scenario and options give the same data.
/// </summary>
/// <remarks>
/// <para>
/// The world: x1 ~ N(0, 1), x2 ~ N(m, 1), x3 ~ U(0, 1), g ∈ {A, B, C} with probabilities (0.5, 0.3, 0.2), m = 0 in the
/// reference; y = f(x) + σ(x)·ε with ε ~ N(0, 1),
/// f(x) = 40 + 2.5·x1 + 1.5·x2 + 3·x3 + b_g + 1.2·x1·x2 (b = 0, 1.5, −1 for A, B, C) and
/// σ(x) = 1.25·exp(0.35·x2)·s_g (s = 1, 1.4, 2 for A, B, C): the noise grows with x2 and is widest in group C.
/// </para>
/// <para>
/// The model: ordinary least squares of y on (1, x1, x2, x3, [g = B], [g = C]) fitted on the reference rows, without the
/// interaction term, so part of its error is systematic. Given x the error y − y_pred is N(μ, σ²) with
/// μ = f(x) − y_pred(x), whence each row's expected squared error μ² + σ² and expected absolute error
/// E|N(μ, σ²)| = σ·√(2/π)·exp(−μ²/2σ²) + μ·(1 − 2Φ(−μ/σ)).
/// </para>
/// <para>
/// The analysis period is cut into <see cref="AnalysisChunks"/> equal runs of rows; under covariate shift run k has
/// intensity t = 0, 0, 0, 0, .25, .5, .75, 1, 1, 1, 1, 1 (<see cref="ShiftIntensity"/>): m = 1.2·t and the group
/// probabilities move linearly to (0.25, 0.3, 0.45), toward the noisy region, while P(y|x) never changes.
/// </para>
/// <para>Random numbers come from <see cref="Random"/> seeded with <see cref="ScenarioOptions.Seed"/> and normal draws from
/// the Box–Muller transform, as in <see cref="ScenarioGenerator"/>. <see cref="ScenarioOptions.CalibratedScores"/> and
/// <see cref="ScenarioOptions.LabelBatches"/> do not apply.</para>
/// </remarks>
public static class RegressionScenarioGenerator
{
    /// <summary>Runs of rows the analysis period is cut into for the shift's schedule (the scenario folders' 12 chunks).</summary>
    public const int AnalysisChunks = 12;

    /// <summary>Names of the model's terms, in the order of <see cref="RegressionScenarioData.ModelCoefficients"/>.</summary>
    public static IReadOnlyList<string> ModelTerms { get; } = ["intercept", "x1", "x2", "x3", "g=B", "g=C"];

    private static readonly string[] GroupLabels = ["A", "B", "C"];
    private static readonly double[] GroupEffects = [0, 1.5, -1];
    private static readonly double[] GroupSpreads = [1, 1.4, 2];
    private static readonly double[] ReferenceGroupShares = [0.5, 0.3, 0.2];
    private static readonly double[] ShiftedGroupShares = [0.25, 0.3, 0.45];
    private static readonly double[] Intensities = [0, 0, 0, 0, 0.25, 0.5, 0.75, 1, 1, 1, 1, 1];
    private const double ShiftedX2Mean = 1.2;

    /// <summary>Generates the world.</summary>
    /// <param name="scenario"><see cref="Scenario.RegressionStable"/> or <see cref="Scenario.RegressionCovariateShift"/>.</param>
    /// <param name="options">Size and seed; null for the defaults.</param>
    /// <exception cref="ArgumentException">Not a regression scenario.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 20 reference or 2 analysis rows, or a non-positive row interval.</exception>
    public static RegressionScenarioData Generate(Scenario scenario, ScenarioOptions? options = null)
    {
        options ??= new ScenarioOptions();
        if (!scenario.IsRegression())
        {
            throw new ArgumentException($"{scenario} is not a regression world; ScenarioGenerator generates it.", nameof(scenario));
        }

        // Six coefficients need comfortably more rows than that to be identified.
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReferenceRows, 20, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.AnalysisRows, 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RowInterval, TimeSpan.Zero, nameof(options));

        var shifted = scenario == Scenario.RegressionCovariateShift;
        var random = new Random(options.Seed);
        var reference = Draw(random, options.ReferenceRows, 0, options.Start, options.RowInterval, _ => 0);
        var coefficients = FitLeastSquares(reference);
        Complete(reference, coefficients);

        var analysisStart = options.Start + (options.RowInterval * options.ReferenceRows);
        var n = options.AnalysisRows;
        var analysis = Draw(random, n, options.ReferenceRows, analysisStart, options.RowInterval, i => shifted ? ShiftIntensity((int)((long)i * AnalysisChunks / n)) : 0);
        Complete(analysis, coefficients);
        return new RegressionScenarioData { Scenario = scenario, Options = options, ModelCoefficients = coefficients, Reference = reference, Analysis = analysis };
    }

    /// <summary>The covariate shift's intensity in analysis run <paramref name="chunk"/> (0 … <see cref="AnalysisChunks"/> − 1).</summary>
    /// <param name="chunk">The run.</param>
    public static double ShiftIntensity(int chunk)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunk);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(chunk, AnalysisChunks);
        return Intensities[chunk];
    }

    /// <summary>The world's E[y | x].</summary>
    /// <param name="x1">Feature x1.</param>
    /// <param name="x2">Feature x2.</param>
    /// <param name="x3">Feature x3.</param>
    /// <param name="group">Feature g: A, B or C.</param>
    public static double TrueMean(double x1, double x2, double x3, string group) =>
        40 + (2.5 * x1) + (1.5 * x2) + (3 * x3) + GroupEffects[GroupIndex(group)] + (1.2 * x1 * x2);

    /// <summary>The world's standard deviation of y given x.</summary>
    /// <param name="x2">Feature x2.</param>
    /// <param name="group">Feature g: A, B or C.</param>
    public static double NoiseSd(double x2, string group) => 1.25 * Math.Exp(0.35 * x2) * GroupSpreads[GroupIndex(group)];

    /// <summary>E|X| for X ~ N(<paramref name="mean"/>, <paramref name="sd"/>²): the folded normal's mean.</summary>
    /// <param name="mean">The mean.</param>
    /// <param name="sd">The standard deviation (positive).</param>
    public static double ExpectedAbsoluteValue(double mean, double sd)
    {
        var z = mean / sd;
        var phiBelow = 0.5 * SpecialFunctions.Erfc(z / Math.Sqrt(2)); // Φ(−z)
        return (sd * Math.Sqrt(2 / Math.PI) * Math.Exp(-0.5 * z * z)) + (mean * (1 - (2 * phiBelow)));
    }

    private static int GroupIndex(string group) => Array.IndexOf(GroupLabels, group) is var k and >= 0
        ? k
        : throw new ArgumentException($"Unknown group '{group}'; the groups are A, B and C.", nameof(group));

#pragma warning disable CA5394 // Seeded pseudo-random data for simulation, not security.
    private static RegressionScenarioPeriod Draw(Random random, int rows, long firstId, DateTime start, TimeSpan interval, Func<int, double> intensityAt)
    {
        var x1 = new double[rows];
        var x2 = new double[rows];
        var x3 = new double[rows];
        var groups = new string[rows];
        var means = new double[rows];
        var sds = new double[rows];
        var targets = new double[rows];
        var ids = new long[rows];
        var timestamps = new DateTime[rows];
        for (var i = 0; i < rows; i++)
        {
            var t = intensityAt(i);
            x1[i] = ScenarioGenerator.Normal(random);
            x2[i] = (ShiftedX2Mean * t) + ScenarioGenerator.Normal(random);
            x3[i] = random.NextDouble();
            var u = random.NextDouble();
            var g = 0;
            var cumulative = Share(0, t);
            while (g < GroupLabels.Length - 1 && u >= cumulative)
            {
                g++;
                cumulative += Share(g, t);
            }

            groups[i] = GroupLabels[g];
            means[i] = TrueMean(x1[i], x2[i], x3[i], groups[i]);
            sds[i] = NoiseSd(x2[i], groups[i]);
            targets[i] = means[i] + (sds[i] * ScenarioGenerator.Normal(random));
            ids[i] = firstId + i;
            timestamps[i] = start + (interval * i);
        }

        return new RegressionScenarioPeriod
        {
            Ids = ids,
            Timestamps = timestamps,
            Features = [x1, x2, x3],
            Groups = groups,
            TrueMeans = means,
            NoiseSds = sds,
            Targets = targets,
            Predictions = new double[rows],
            ExpectedAbsoluteErrors = new double[rows],
            ExpectedSquaredErrors = new double[rows],
        };
    }
#pragma warning restore CA5394

    private static double Share(int group, double intensity) =>
        ((1 - intensity) * ReferenceGroupShares[group]) + (intensity * ShiftedGroupShares[group]);

    private static double[] Regressors(RegressionScenarioPeriod period, int i) =>
        [1, period.Features[0][i], period.Features[1][i], period.Features[2][i], period.Groups[i] == "B" ? 1 : 0, period.Groups[i] == "C" ? 1 : 0];

    private static double[] FitLeastSquares(RegressionScenarioPeriod reference)
    {
        var n = reference.Count;
        var columnMajor = new double[n * ModelTerms.Count];
        for (var i = 0; i < n; i++)
        {
            var x = Regressors(reference, i);
            for (var j = 0; j < x.Length; j++)
            {
                columnMajor[(j * n) + i] = x[j];
            }
        }

        var design = Matrix<double>.Build.Dense(n, ModelTerms.Count, columnMajor);
        return design.QR().Solve(Vector<double>.Build.DenseOfArray(reference.Targets)).ToArray();
    }

    // Fills in the model's predictions and each row's expected errors once the coefficients are known.
    private static void Complete(RegressionScenarioPeriod period, double[] coefficients)
    {
        for (var i = 0; i < period.Count; i++)
        {
            var x = Regressors(period, i);
            double prediction = 0;
            for (var j = 0; j < x.Length; j++)
            {
                prediction += coefficients[j] * x[j];
            }

            var bias = period.TrueMeans[i] - prediction;
            var sd = period.NoiseSds[i];
            period.Predictions[i] = prediction;
            period.ExpectedAbsoluteErrors[i] = ExpectedAbsoluteValue(bias, sd);
            period.ExpectedSquaredErrors[i] = (bias * bias) + (sd * sd);
        }
    }
}
