using Estimator.Estimation.Multiclass;

namespace Estimator.Cli;

/// <summary>
/// <c>estimator bench --classes K</c> (K ≥ 3): multiclass CBPE's fit and estimate on seeded synthetic K-class data
/// (<see cref="MulticlassBenchData"/>), timed as the binary bench times CBPE: warm-up first, then the medians of
/// <c>--repeat</c> runs.
/// </summary>
internal static class MulticlassBench
{
    private const int WarmUpRows = 12_000;
    private const int WarmUpRuns = 40;

    public static void Run(BenchRequest request, int referenceRows, ComputeOptions compute, Dictionary<string, object?> json, TerminalProgress progress)
    {
        var options = new MulticlassCbpeOptions { Metrics = request.Metrics, Chunking = Chunking.BySize(request.ChunkSize) };
        var calculator = new MulticlassCbpeCalculator(options);
        json["data_source"] = "synthetic_multiclass";
        json["classes"] = request.Classes;

        progress.Status("generating the reference");
        var reference = MulticlassBenchData.Generate(referenceRows, request.Classes, true, new Random(request.Seed));

        // Warm-up on a small slice, not timed, until the kernels have been promoted to optimised code (see BenchRunner).
        var warmReference = MulticlassBenchData.Generate(Math.Min(WarmUpRows, referenceRows), request.Classes, true, new Random(request.Seed));
        var warmCalculator = new MulticlassCbpeCalculator(options with { Chunking = Chunking.BySize(Math.Min(request.ChunkSize, 2_000)) });
        BenchRunner.WarmUp(WarmUpRuns, json, () => warmCalculator.Fit(warmReference, compute).Estimate(warmReference, "warm-up", compute));

        var (fitted, fitRuns) = BenchRunner.Timed(
            request.Repeat,
            progress,
            r => Invariant($"fit {r + 1}/{request.Repeat} on {referenceRows:N0} reference rows, {request.Classes} classes"),
            () => calculator.Fit(reference, compute));

        json["calibration_applied"] = fitted.Calibration.Count(c => c.Applied);
        json["fit_seconds"] = BenchRunner.Median(fitRuns);
        json["fit_seconds_runs"] = fitRuns;
        json["fit_rows_per_second"] = referenceRows / BenchRunner.Median(fitRuns);

        progress.Status("generating the analysis");

        // As NannyML's timing: the analysis without targets (estimates only).
        var analysis = MulticlassBenchData.Generate(request.Rows!.Value, request.Classes, false, new Random(request.Seed + 1));
        var (result, estimateRuns) = BenchRunner.Timed(
            request.Repeat,
            progress,
            r => Invariant($"estimate {r + 1}/{request.Repeat} on {analysis.Count:N0} analysis rows"),
            () => fitted.Estimate(analysis, "bench", compute));

        json["analysis_chunks"] = result.Rows.Count(row => row.Period == Period.Analysis) / Math.Max(1, fitted.Components.Count);
        json["estimate_seconds"] = BenchRunner.Median(estimateRuns);
        json["estimate_seconds_runs"] = estimateRuns;
        json["rows_per_second"] = analysis.Count / BenchRunner.Median(estimateRuns);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
