namespace Estimator.Cli;

/// <summary>
/// Seeded synthetic data of a regression model for <c>estimator bench --problem regression</c>: three numeric features
/// and one four-level categorical, the prediction a linear function of the numeric ones, the target the prediction plus
/// noise whose spread grows with <c>x2</c> and is wider in group <c>d</c> (heteroscedastic, so the error models have
/// something to learn). The analysis is shifted along <c>x1</c>.
/// </summary>
internal static class RegressionBenchData
{
    /// <summary>The feature columns the error models learn from.</summary>
    public static IReadOnlyList<string> Features { get; } = ["x1", "x2", "x3", "g"];

    private static readonly string[] Groups = ["a", "b", "c", "d"];

    /// <summary>Generates <paramref name="rows"/> rows; targets only when <paramref name="withTargets"/>.</summary>
    /// <param name="rows">Rows to generate.</param>
    /// <param name="withTargets">Whether to fill the target column.</param>
    /// <param name="shift">Added to <c>x1</c> (0 for the reference).</param>
    /// <param name="random">The seeded generator.</param>
    /// <returns>The rows.</returns>
    public static ModelData Generate(int rows, bool withTargets, double shift, Random random)
    {
        var x1 = new double[rows];
        var x2 = new double[rows];
        var x3 = new double[rows];
        var g = new string?[rows];
        var predictions = new double[rows];
        var targets = withTargets ? new double[rows] : null;
        for (var i = 0; i < rows; i++)
        {
            x1[i] = random.NextDouble() + shift;
            x2[i] = random.NextDouble();
            x3[i] = random.NextDouble();
            var group = random.Next(Groups.Length);
            g[i] = Groups[group];
            predictions[i] = 3 + x1[i] + (2 * x2[i]) - x3[i];

            // Drawn even without targets, so the analysis features do not depend on whether targets are kept.
            var noise = (0.2 + x2[i] + (group == 3 ? 0.5 : 0)) * ((random.NextDouble() * 2) - 1);
            if (targets is not null)
            {
                targets[i] = predictions[i] + noise;
            }
        }

        return new ModelData(rows)
        {
            Predictions = predictions,
            Targets = targets,
            Features = [new NumericFeature("x1", x1), new NumericFeature("x2", x2), new NumericFeature("x3", x3), new CategoricalFeature("g", g)],
        };
    }
}
