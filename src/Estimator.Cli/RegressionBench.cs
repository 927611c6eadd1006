using System.Diagnostics;

namespace Estimator.Cli;

/// <summary>
/// <c>estimator bench --problem regression</c>: direct loss estimation's fit and estimate on seeded synthetic regression
/// data (<see cref="RegressionBenchData"/>), timed as the other bench modes time theirs: warm-up first, then the medians
/// of <c>--repeat</c> runs. Also reports each run's process CPU seconds, which a loaded machine does not inflate as it
/// does wall time.
/// </summary>
internal static class RegressionBench
{
    private const int WarmUpRows = 20_000;
    private const int WarmUpRuns = 10;

    public static void Run(BenchRequest request, int referenceRows, IReadOnlyList<DleMetric> metrics, ComputeOptions compute, Dictionary<string, object?> json, TerminalProgress progress)
    {
        var options = new DleOptions { Metrics = metrics, Features = RegressionBenchData.Features, Chunking = Chunking.BySize(request.ChunkSize) };
        json["data_source"] = "synthetic_regression";
        json["problem"] = "regression";
        json["metrics"] = string.Join(",", metrics.Select(m => m.Name()));
        json["error_models"] = metrics.Select(m => m.Loss()).Distinct().Count();
        json["trees_per_model"] = options.Boosting.Trees;

        progress.Status("generating the reference");
        var reference = RegressionBenchData.Generate(referenceRows, true, 0, new Random(request.Seed));

        // Warm-up on a small slice, not timed, so the timed runs do not pay for the first JIT of ML.NET and the tree walk.
        var warmReference = RegressionBenchData.Generate(Math.Min(WarmUpRows, referenceRows), true, 0, new Random(request.Seed));
        var warmCalculator = new DleCalculator(options with { Chunking = Chunking.BySize(Math.Min(request.ChunkSize, 2_000)) });
        BenchRunner.WarmUp(WarmUpRuns, json, () => warmCalculator.FitDle(warmReference, compute).Calculate(warmReference, "warm-up", compute));

        var calculator = new DleCalculator(options);
        var fitCpu = new List<double>(request.Repeat);
        var (fitted, fitRuns) = BenchRunner.Timed(
            request.Repeat,
            progress,
            r => Invariant($"fit {r + 1}/{request.Repeat} on {referenceRows:N0} reference rows"),
            () => WithCpu(fitCpu, () => calculator.FitDle(reference, compute)));
        json["fit_seconds"] = BenchRunner.Median(fitRuns);
        json["fit_seconds_runs"] = fitRuns;
        json["fit_cpu_seconds_runs"] = fitCpu;
        json["fit_rows_per_second"] = referenceRows / BenchRunner.Median(fitRuns);

        progress.Status("generating the analysis");

        // As NannyML's timing: the analysis without targets (estimates only).
        var analysis = RegressionBenchData.Generate(request.Rows!.Value, false, 0.3, new Random(request.Seed + 1));
        var estimateCpu = new List<double>(request.Repeat);
        var (result, estimateRuns) = BenchRunner.Timed(
            request.Repeat,
            progress,
            r => Invariant($"estimate {r + 1}/{request.Repeat} on {analysis.Count:N0} analysis rows"),
            () => WithCpu(estimateCpu, () => fitted.Calculate(analysis, "bench", compute)));
        json["analysis_chunks"] = result.Rows.Count(row => row.Period == Period.Analysis) / Math.Max(1, metrics.Distinct().Count());
        json["estimate_seconds"] = BenchRunner.Median(estimateRuns);
        json["estimate_seconds_runs"] = estimateRuns;
        json["estimate_cpu_seconds_runs"] = estimateCpu;
        json["rows_per_second"] = analysis.Count / BenchRunner.Median(estimateRuns);
    }

    private static T WithCpu<T>(List<double> cpuSeconds, Func<T> body)
    {
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        var result = body();
        process.Refresh();
        cpuSeconds.Add((process.TotalProcessorTime - before).TotalSeconds);
        return result;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
