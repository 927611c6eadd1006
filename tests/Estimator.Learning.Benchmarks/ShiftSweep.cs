using System.Globalization;
using System.Text;
using Estimator.Estimation.Shift;
using Estimator.Learning.Tests;
using Estimator.Metrics;
using Estimator.Scenarios.Shift;

namespace Estimator.Learning.Benchmarks;

/// <summary>
/// A measurement, not a check: weighted, prior and auto against the sampling floor on many fresh seeds of one world
/// family (and, for the prior-shift family, <c>prior-oracle</c>: EM on the true posteriors, the best a per-chunk
/// label-free prior can do), for judging a change to the estimators by more than the few seeds <c>ShiftFreshSeedTests</c> keeps.
/// <c>dotnet run -c Release --project tests/Estimator.Learning.Benchmarks -- sweep PriorShift 1000 24</c> (about 6 s a
/// seed); the harness is the tests' own <c>ShiftAccuracy</c>, compiled in here.
/// </summary>
/// <remarks>
/// Per seed: auto's choices and, per metric, auto's error / floor, the ratio the target allows ((error − 0.002) / floor,
/// at most 1.5), the band coverage and the prior oracle's error where measured; then per estimator and metric the mean
/// and worst ratio and the seeds above 1.5.
/// </remarks>
internal static class ShiftSweep
{
    private static readonly string[] Estimators = ["weighted", "prior", "auto", "prior-oracle"];

    /// <summary>The per-seed lines and the summary table, as text.</summary>
    public static string Run(ShiftWorldFamily family, int first, int count)
    {
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
                ShiftAccuracy.Estimators,
                priorOracle: family == ShiftWorldFamily.PriorShift);
            log.Append(CultureInfo.InvariantCulture, $"seed {seed} auto {cells.First(c => c.Estimator == "auto").Choices}");
            for (var k = 0; k < metrics.Length; k++)
            {
                var floor = cells.Single(c => c.Estimator == "floor" && c.Metric == metrics[k]).MeanAbsoluteError;
                foreach (var estimator in Estimators)
                {
                    if (cells.SingleOrDefault(c => c.Estimator == estimator && c.Metric == metrics[k]) is not { } cell)
                    {
                        continue;
                    }

                    var ratio = (cell.MeanAbsoluteError - 0.002) / floor;
                    ratios[estimator][k].Add(ratio);
                    if (estimator == "auto")
                    {
                        log.Append(CultureInfo.InvariantCulture, $" | {metrics[k]} {cell.MeanAbsoluteError:F4}/{floor:F4} ratio {ratio:F2} cov {cell.Coverage:F2}");
                    }
                    else if (estimator == "prior-oracle")
                    {
                        log.Append(CultureInfo.InvariantCulture, $" oracle {cell.MeanAbsoluteError:F4}");
                    }
                }
            }

            log.Append('\n');
        }

        log.Append(CultureInfo.InvariantCulture, $"{family.Name()}, seeds {first}-{first + count - 1} ({watch.Elapsed.TotalSeconds / count:F1} s a seed): (error - 0.002) / floor, mean / worst / seeds above 1.5\n");
        foreach (var estimator in Estimators.Where(e => ratios[e][0].Count > 0))
        {
            var columns = Enumerable.Range(0, metrics.Length).Select(k => FormattableString.Invariant($"{metrics[k]} {ratios[estimator][k].Average():F2} / {ratios[estimator][k].Max():F2} / {ratios[estimator][k].Count(r => r > 1.5)}"));
            log.Append(CultureInfo.InvariantCulture, $"  {estimator,-8} | {string.Join(" | ", columns)}\n");
        }

        return log.ToString();
    }
}
