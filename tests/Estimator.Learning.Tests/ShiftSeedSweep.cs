using System.Globalization;
using System.Text;
using Estimator.Estimation.Shift;
using Estimator.Metrics;
using Estimator.Scenarios.Shift;
using Xunit.Abstractions;

namespace Estimator.Learning.Tests;

/// <summary>
/// A measurement, not a check: weighted, prior and auto against the sampling floor on many fresh seeds of one world
/// family, for judging a change to the estimators by more than the few seeds <see cref="ShiftFreshSeedTests"/> keeps.
/// Runs only when <c>SHIFT_SWEEP=FAMILY,FIRST,COUNT</c> is set (e.g. <c>PriorShift,1000,24</c>, about 6 s a seed);
/// <c>SHIFT_SWEEP_OUT=FILE</c> also writes the table to a file.
/// </summary>
/// <remarks>
/// Per seed: auto's choices and, per metric, auto's error / floor, the ratio the target allows ((error − 0.002) / floor,
/// at most 1.5) and the band coverage; then per estimator and metric the mean and worst ratio and the seeds above 1.5.
/// </remarks>
public sealed class ShiftSeedSweep(ITestOutputHelper output)
{
    private static readonly string[] Estimators = ["weighted", "prior", "auto"];

    [Fact]
    public void Sweep_PrintsTheRatioToTheFloor_WhenAskedFor()
    {
        if (Environment.GetEnvironmentVariable("SHIFT_SWEEP") is not { Length: > 0 } spec)
        {
            return;
        }

        var parts = spec.Split(',');
        var family = Enum.Parse<ShiftWorldFamily>(parts[0]);
        var first = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var count = int.Parse(parts[2], CultureInfo.InvariantCulture);
        var metrics = ShiftAccuracy.Metrics.Select(m => m.ToName()).ToArray();
        var ratios = Estimators.ToDictionary(e => e, _ => metrics.Select(_ => new List<double>()).ToArray());
        var log = new StringBuilder();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var seed = first; seed < first + count; seed++)
        {
            var world = ShiftWorldGenerator.Generate(family, seed);
            var cells = ShiftAccuracy.Measure(
                $"{family.Name()} seed {seed}",
                world.Reference.ToModelData(withTargets: true),
                world.Analysis.ToModelData(withTargets: true),
                world.Analysis.TrueProbabilities,
                ShiftAccuracy.Estimators);
            log.Append(CultureInfo.InvariantCulture, $"seed {seed} auto {cells.First(c => c.Estimator == "auto").Choices}");
            for (var k = 0; k < metrics.Length; k++)
            {
                var floor = cells.Single(c => c.Estimator == "floor" && c.Metric == metrics[k]).MeanAbsoluteError;
                foreach (var estimator in Estimators)
                {
                    var cell = cells.Single(c => c.Estimator == estimator && c.Metric == metrics[k]);
                    var ratio = (cell.MeanAbsoluteError - 0.002) / floor;
                    ratios[estimator][k].Add(ratio);
                    if (estimator == "auto")
                    {
                        log.Append(CultureInfo.InvariantCulture, $" | {metrics[k]} {cell.MeanAbsoluteError:F4}/{floor:F4} ratio {ratio:F2} cov {cell.Coverage:F2}");
                    }
                }
            }

            log.Append('\n');
        }

        log.Append(CultureInfo.InvariantCulture, $"{family.Name()}, seeds {first}-{first + count - 1} ({watch.Elapsed.TotalSeconds / count:F1} s a seed): (error - 0.002) / floor, mean / worst / seeds above 1.5\n");
        foreach (var estimator in Estimators)
        {
            var columns = Enumerable.Range(0, metrics.Length).Select(k => FormattableString.Invariant($"{metrics[k]} {ratios[estimator][k].Average():F2} / {ratios[estimator][k].Max():F2} / {ratios[estimator][k].Count(r => r > 1.5)}"));
            log.Append(CultureInfo.InvariantCulture, $"  {estimator,-8} | {string.Join(" | ", columns)}\n");
        }

        output.WriteLine(log.ToString());
        if (Environment.GetEnvironmentVariable("SHIFT_SWEEP_OUT") is { Length: > 0 } file)
        {
            File.WriteAllText(file, log.ToString());
        }
    }
}
