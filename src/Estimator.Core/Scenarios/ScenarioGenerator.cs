namespace Estimator.Scenarios;

/// <summary>
/// Generates seeded synthetic binary-classification data for a <see cref="Scenario"/>: three features, the world's true
/// P(y=1|x), a model's scores and predicted labels, the labels, and (for label delay) the batches the labels arrive in.
/// Pure: no I/O, no clock; the same scenario and options give the same data.
/// </summary>
/// <remarks>
/// <para>
/// The world: features x1, x2, x3 independent normal, N(0, 1) in the reference; the true log-odds
/// z = −0.4 + 1.6·x1 − 1.1·x2 + 0.7·x3, P(y=1|x) = σ(z), the label y ~ Bernoulli(σ(z)). The model knows z: its score
/// is σ(z) (calibrated) or σ(2.5·z + 0.5) (over-confident), so every score is a monotone function of the true
/// log-odds and P(y|score) depends only on P(y|x). It predicts 1 when the score is at least 0.5.
/// </para>
/// <para>
/// The first half of the analysis period is drawn like the reference; the scenario's change applies to the second
/// half (rows from ⌊N/2⌋ on): covariate shift draws x1 ~ N(0.25, 0.5²), x2 ~ N(0.35, 0.6²) (rows crowd towards the
/// decision boundary, P(y|x) unchanged); concept drift labels rows with z' = −0.4 + 1.6·x1 + 1.1·x2 + 0.7·x3;
/// prior shift keeps P(x|y) and moves P(y=1) to 0.75 by accepting drawn rows with a probability that depends on
/// their label.
/// </para>
/// <para>
/// Label delay: each analysis label arrives after an exponential delay with a mean of a quarter of the analysis
/// span. With B batches, batch k &lt; B holds the labels that arrived by the analysis end plus (k − 1)/(B − 1) of the
/// span and not before; batch B holds the rest.
/// </para>
/// <para>Random numbers come from <see cref="Random"/> seeded with <see cref="ScenarioOptions.Seed"/> (its seeded
/// algorithm is fixed across .NET versions) and normal draws from the Box–Muller transform.</para>
/// </remarks>
public static class ScenarioGenerator
{
    private const double Intercept = -0.4;
    private static readonly double[] Weights = [1.6, -1.1, 0.7];
    private static readonly double[] DriftedWeights = [1.6, 1.1, 0.7];
    private static readonly double[] ShiftedMeans = [0.25, 0.35, 0];
    private static readonly double[] ShiftedSds = [0.5, 0.6, 1];
    private const double ShiftedPrior = 0.75;

    /// <summary>Generates the scenario.</summary>
    /// <param name="scenario">Which world.</param>
    /// <param name="options">Size, seed and model; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 rows in a period, fewer than one label batch, or a non-positive row interval.</exception>
    /// <exception cref="ArgumentException">A regression scenario (<see cref="RegressionScenarioGenerator"/> generates those).</exception>
    public static ScenarioData Generate(Scenario scenario, ScenarioOptions? options = null)
    {
        options ??= new ScenarioOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReferenceRows, 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.AnalysisRows, 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LabelBatches, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RowInterval, TimeSpan.Zero, nameof(options));
        if (!Enum.IsDefined(scenario))
        {
            throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Unknown scenario.");
        }

        if (scenario.IsRegression())
        {
            throw new ArgumentException($"{scenario.ToName()} is a regression world; RegressionScenarioGenerator generates it.", nameof(scenario));
        }

#pragma warning disable CA5394 // Seeded pseudo-random data for simulation, not security.
        var random = new Random(options.Seed);
        var reference = Draw(random, options.ReferenceRows, 0, options.Start, options, _ => Change.None, referencePrior: double.NaN);
        var referencePrior = Mean(reference.TrueProbabilities);
        var analysisStart = options.Start + (options.RowInterval * options.ReferenceRows);
        var half = options.AnalysisRows / 2;
        var change = scenario switch
        {
            Scenario.CovariateShift or Scenario.LabelDelay => Change.Covariate,
            Scenario.ConceptDrift => Change.Concept,
            Scenario.PriorShift => Change.Prior,
            _ => Change.None,
        };
        var analysis = Draw(random, options.AnalysisRows, options.ReferenceRows, analysisStart, options, i => i >= half ? change : Change.None, referencePrior);
        var batches = scenario == Scenario.LabelDelay
            ? DelayedBatches(random, analysis.Timestamps, options)
            : [new TargetBatch(1, analysis.Timestamps[^1], Enumerable.Range(0, analysis.Count).ToArray())];
#pragma warning restore CA5394
        return new ScenarioData { Scenario = scenario, Options = options, Reference = reference, Analysis = analysis, TargetBatches = batches };
    }

    /// <summary>The world's true P(y=1|x) for features x1, x2, x3 before any concept drift.</summary>
    /// <param name="x1">Feature x1.</param>
    /// <param name="x2">Feature x2.</param>
    /// <param name="x3">Feature x3.</param>
    public static double TrueProbability(double x1, double x2, double x3) =>
        Sigmoid(Intercept + (Weights[0] * x1) + (Weights[1] * x2) + (Weights[2] * x3));

    private enum Change
    {
        None,
        Covariate,
        Concept,
        Prior,
    }

#pragma warning disable CA5394
    private static ScenarioPeriod Draw(Random random, int rows, long firstId, DateTime start, ScenarioOptions options, Func<int, Change> changeAt, double referencePrior)
    {
        var features = new[] { new double[rows], new double[rows], new double[rows] };
        var truth = new double[rows];
        var scores = new double[rows];
        var predictions = new double[rows];
        var targets = new double[rows];
        var ids = new long[rows];
        var timestamps = new DateTime[rows];

        // Prior shift: accept a drawn row with probability a(y) so that P(y=1) becomes ShiftedPrior, P(x|y) unchanged.
        var odds = ShiftedPrior / (1 - ShiftedPrior) / (referencePrior / (1 - referencePrior));
        var acceptPositive = Math.Min(1, odds);
        var acceptNegative = Math.Min(1, 1 / odds);

        for (var i = 0; i < rows; i++)
        {
            var change = changeAt(i);
            double x1, x2, x3, z, y;
            while (true)
            {
                var covariate = change == Change.Covariate;
                x1 = (covariate ? ShiftedMeans[0] : 0) + ((covariate ? ShiftedSds[0] : 1) * Normal(random));
                x2 = (covariate ? ShiftedMeans[1] : 0) + ((covariate ? ShiftedSds[1] : 1) * Normal(random));
                x3 = (covariate ? ShiftedMeans[2] : 0) + ((covariate ? ShiftedSds[2] : 1) * Normal(random));
                z = Intercept + (Weights[0] * x1) + (Weights[1] * x2) + (Weights[2] * x3);
                var labelLogOdds = change == Change.Concept
                    ? Intercept + (DriftedWeights[0] * x1) + (DriftedWeights[1] * x2) + (DriftedWeights[2] * x3)
                    : z;
                truth[i] = Sigmoid(labelLogOdds);
                y = random.NextDouble() < truth[i] ? 1 : 0;
                if (change != Change.Prior || random.NextDouble() < (y == 1 ? acceptPositive : acceptNegative))
                {
                    break;
                }
            }

            if (change == Change.Prior)
            {
                // The accepted row's P(y=1|x) under the shifted prior: reweight the odds by the acceptance ratio.
                var o = truth[i] / (1 - truth[i]) * (acceptPositive / acceptNegative);
                truth[i] = o / (1 + o);
            }

            features[0][i] = x1;
            features[1][i] = x2;
            features[2][i] = x3;
            scores[i] = options.CalibratedScores ? Sigmoid(z) : Sigmoid((2.5 * z) + 0.5);
            predictions[i] = scores[i] >= 0.5 ? 1 : 0;
            targets[i] = y;
            ids[i] = firstId + i;
            timestamps[i] = start + (options.RowInterval * i);
        }

        return new ScenarioPeriod { Ids = ids, Timestamps = timestamps, Features = features, TrueProbabilities = truth, Scores = scores, Predictions = predictions, Targets = targets };
    }

    private static List<TargetBatch> DelayedBatches(Random random, DateTime[] timestamps, ScenarioOptions options)
    {
        var n = timestamps.Length;
        var end = timestamps[^1];
        var span = end - timestamps[0] + options.RowInterval;
        var meanDelay = span.TotalSeconds / 4;
        var arrivals = new DateTime[n];
        for (var i = 0; i < n; i++)
        {
            var delay = -meanDelay * Math.Log(1 - random.NextDouble());
            arrivals[i] = timestamps[i].AddSeconds(delay);
        }

        var count = options.LabelBatches;
        var batches = new List<TargetBatch>(count);
        var previous = DateTime.MinValue;
        for (var k = 1; k <= count; k++)
        {
            var cutoff = k < count ? end + (span * ((k - 1) / (double)(count - 1))) : arrivals.Max();
            var rows = new List<int>();
            for (var i = 0; i < n; i++)
            {
                if (arrivals[i] > previous && arrivals[i] <= cutoff)
                {
                    rows.Add(i);
                }
            }

            batches.Add(new TargetBatch(k, cutoff, rows.ToArray()));
            previous = cutoff;
        }

        return batches;
    }

    internal static double Normal(Random random)
    {
        // Box–Muller; 1 − U avoids log(0).
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
#pragma warning restore CA5394

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double Mean(double[] values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }
}
