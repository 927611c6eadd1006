using Estimator.Estimation;
using Estimator.Scenarios;
using Xunit.Abstractions;

namespace Estimator.Learning.Tests;

/// <summary>
/// Issue #16's targets against known truth: over the shifted chunks (4–11) of 12 × 5,000 rows, DLE's mean |estimate −
/// realized| for mae and rmse stays within 1.5× the sampling floor (+0.005) in the stable world and 3× in the
/// covariate-shift world, and the ±3 SE band holds the realized value in at least 80 % of chunks. The floor is the error
/// of a perfect estimator: the mean of each row's true expected loss against the realized value.
/// </summary>
public sealed class AccuracyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("regression_stable", 1.5)]
    [InlineData("regression_covariate_shift", 3.0)]
    public void Dle_StaysNearTheSamplingFloor_OnKnownTruthWorlds(string name, double allowedRatio)
    {
        var world = World.Load(name);
        var options = new DleOptions { Metrics = [DleMetric.Mae, DleMetric.Rmse], Features = world.Features, Chunking = Chunking.BySize(5000) };
        var fitted = new DleCalculator(options).Fit(world.Reference, ComputeOptions.Default);
        var rows = fitted.Calculate(world.Analysis, name, ComputeOptions.Default).Rows.Where(r => r.Period == Period.Analysis).ToList();

        foreach (var metric in new[] { "mae", "rmse" })
        {
            var chunks = rows.Where(r => r.Metric == metric).OrderBy(r => r.Chunk.Index).ToList();
            Assert.Equal(12, chunks.Count);
            var shifted = chunks.Where(r => r.Chunk.Index >= 4).ToList();
            var error = shifted.Average(r => Math.Abs(r.Estimated - r.Realized!.Value));
            var floor = shifted.Average(r => Math.Abs(Truth(world, metric, r.Chunk) - r.Realized!.Value));
            var coverage = chunks.Count(r => r.LowerConfidenceBound <= r.Realized && r.Realized <= r.UpperConfidenceBound) / (double)chunks.Count;
            output.WriteLine($"| {name} | {metric} | {error:F4} | {floor:F4} | {error / floor:F2} | {coverage:F2} |");
            Assert.True(error <= (allowedRatio * floor) + 0.005, $"{metric}: error {error} > {allowedRatio}× floor {floor} + 0.005");
            Assert.True(coverage >= 0.8, $"{metric}: band coverage {coverage}");
        }
    }

    /// <summary>
    /// The same targets on fresh seeds of the same families, generated here (Core's regression world generator) rather
    /// than read from shared/: the method, not the fixture, must hold them.
    /// </summary>
    [Theory]
    [InlineData(Scenario.RegressionStable, 7, 1.5)]
    [InlineData(Scenario.RegressionStable, 2027, 1.5)]
    [InlineData(Scenario.RegressionCovariateShift, 7, 3.0)]
    [InlineData(Scenario.RegressionCovariateShift, 2027, 3.0)]
    public void Dle_StaysNearTheSamplingFloor_OnFreshSeeds(Scenario scenario, int seed, double allowedRatio)
    {
        var world = RegressionScenarioGenerator.Generate(scenario, new ScenarioOptions { ReferenceRows = 60_000, AnalysisRows = 60_000, Seed = seed });
        var features = RegressionScenarioPeriod.FeatureNames.Append(RegressionScenarioPeriod.GroupName).ToList();
        var options = new DleOptions { Metrics = [DleMetric.Mae, DleMetric.Rmse], Features = features, Chunking = Chunking.BySize(5000) };
        var fitted = new DleCalculator(options).Fit(world.Reference.ToModelData(withTargets: true), ComputeOptions.Default);
        var rows = fitted.Calculate(world.Analysis.ToModelData(withTargets: true), "fresh", ComputeOptions.Default).Rows.Where(r => r.Period == Period.Analysis).ToList();

        foreach (var metric in new[] { "mae", "rmse" })
        {
            var chunks = rows.Where(r => r.Metric == metric).OrderBy(r => r.Chunk.Index).ToList();
            Assert.Equal(12, chunks.Count);
            var shifted = chunks.Where(r => r.Chunk.Index >= 4).ToList();
            var error = shifted.Average(r => Math.Abs(r.Estimated - r.Realized!.Value));
            var floor = shifted.Average(r =>
            {
                var start = (int)r.Chunk.StartIndex;
                var length = (int)r.Chunk.Rows;
                var truth = metric == "mae"
                    ? world.Analysis.ExpectedAbsoluteErrors.AsSpan(start, length).ToArray().Average()
                    : Math.Sqrt(world.Analysis.ExpectedSquaredErrors.AsSpan(start, length).ToArray().Average());
                return Math.Abs(truth - r.Realized!.Value);
            });
            var coverage = chunks.Count(r => r.LowerConfidenceBound <= r.Realized && r.Realized <= r.UpperConfidenceBound) / (double)chunks.Count;
            output.WriteLine($"| {scenario} seed {seed} | {metric} | {error:F4} | {floor:F4} | {error / floor:F2} | {coverage:F2} |");
            Assert.True(error <= (allowedRatio * floor) + 0.005, $"{metric}: error {error} > {allowedRatio}× floor {floor} + 0.005");
            Assert.True(coverage >= 0.8, $"{metric}: band coverage {coverage}");
        }
    }

    private static double Truth(World world, string metric, Chunk chunk)
    {
        var start = (int)chunk.StartIndex;
        var length = (int)chunk.Rows;
        return metric == "mae"
            ? world.ExpectedAbsoluteError.AsSpan(start, length).ToArray().Average()
            : Math.Sqrt(world.ExpectedSquaredError.AsSpan(start, length).ToArray().Average());
    }
}
