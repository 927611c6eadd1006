using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Estimator.Cli;

/// <summary>Runs <c>estimator bench</c> and prints its JSON object.</summary>
internal static class BenchRunner
{
    private const int WarmUpRows = 20_000;
    private const int WarmUpRuns = 40;
    private static readonly TimeSpan WarmUpLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WarmUpSettle = TimeSpan.FromMilliseconds(300);

    public static int Run(BenchRequest request, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return RunCore(request, stdout, stderr);
        }
        catch (Exception e) when (e is EstimatorDataException or IOException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return EstimatorCli.BadInput;
        }
    }

    private static int RunCore(BenchRequest request, TextWriter stdout, TextWriter stderr)
    {
        var carLoan = BenchData.FindCarLoan();
        var referenceRows = request.ReferenceRows ?? request.Rows ?? 1_000_000;
        var compute = new ComputeOptions { MaxDegreeOfParallelism = request.Threads == 0 ? -1 : request.Threads };
        var options = new CbpeOptions { Metrics = request.Metrics, Chunking = Chunking.BySize(request.ChunkSize) };
        using var progress = TerminalProgress.Create(request.Quiet, stderr);
        var json = new Dictionary<string, object?>
        {
            ["tool"] = "estimator",
            ["data_source"] = request.Input ?? BenchData.SourceName(carLoan),
            ["rows"] = request.Rows,
            ["reference_rows"] = referenceRows,
            ["chunk_size"] = request.ChunkSize,
            ["metrics"] = string.Join(",", request.Metrics.Select(m => Metrics.MetricNames.ToName(m))),
            ["threads"] = compute.Threads,
            ["repeat"] = request.Repeat,
            ["seed"] = request.Seed,
        };

        if (request.RegressionMetrics is { } regressionMetrics)
        {
            RegressionBench.Run(request, referenceRows, regressionMetrics, compute, json, progress);
            progress.Dispose();
            return Finish(json, stdout);
        }

        if (request.Classes >= 3)
        {
            MulticlassBench.Run(request, referenceRows, compute, json, progress);
            progress.Dispose();
            return Finish(json, stdout);
        }

        var source = BenchData.LoadSource(carLoan);
        if (request.WriteData is { } directory)
        {
            var watch = Stopwatch.StartNew();
            WriteData(directory, request, referenceRows, source, progress);
            json["write_data_seconds"] = watch.Elapsed.TotalSeconds;
            json["write_data_directory"] = Path.GetFullPath(directory);
            if (request.WriteOnly)
            {
                return Print(json, stdout);
            }
        }

        progress.Status("generating the reference");
        var reference = BenchData.Generate(referenceRows, true, new Random(request.Seed), source?.Reference);

        // Warm-up on a small slice, not timed. Tiered compilation promotes a method to optimised code only after about
        // 30 calls, and the fit's kernels run once per fit: a single warm-up left the timed runs on quick-JIT code (the
        // first timed 1e6 fit took ~1.6x the later ones). So warm up until the kernels have been promoted, then give the
        // background compiler a moment.
        var warmReference = BenchData.Generate(Math.Min(WarmUpRows, referenceRows), true, new Random(request.Seed), source?.Reference);
        var warmOptions = options with { Chunking = Chunking.BySize(Math.Min(request.ChunkSize, 2_000)) };
        WarmUp(WarmUpRuns, json, () => Cbpe.Fit(warmReference, warmOptions, compute).Estimate(warmReference, "warm-up", compute));
        Thread.Sleep(WarmUpSettle);

        var (fitted, fitRuns) = Timed(
            request.Repeat,
            progress,
            r => Invariant($"fit {r + 1}/{request.Repeat} on {referenceRows:N0} reference rows"),
            () => Cbpe.Fit(reference, options, compute));
        json["calibration_applied"] = fitted.Calibration.Applied;
        json["fit_seconds"] = Median(fitRuns);
        json["fit_seconds_runs"] = fitRuns;
        json["fit_rows_per_second"] = referenceRows / Median(fitRuns);

        if (request.Input is { } input)
        {
            BenchStream.Run(input, fitted, request, compute, json, progress);
        }
        else
        {
            progress.Status("generating the analysis");
            var analysis = BenchData.Generate(request.Rows!.Value, false, new Random(request.Seed + 1), source?.Analysis);
            var (result, estimateRuns) = Timed(
                request.Repeat,
                progress,
                r => Invariant($"estimate {r + 1}/{request.Repeat} on {analysis.Count:N0} analysis rows"),
                () => fitted.Estimate(analysis, "bench", compute));
            json["analysis_chunks"] = result.Rows.Count(row => row.Period == Period.Analysis) / Math.Max(1, fitted.Components.Count);
            json["estimate_seconds"] = Median(estimateRuns);
            json["estimate_seconds_runs"] = estimateRuns;
            json["rows_per_second"] = analysis.Count / Median(estimateRuns);
        }

        progress.Dispose();
        return Finish(json, stdout);
    }

    /// <summary>Adds the peak memory and the machine to <paramref name="json"/> and prints it.</summary>
    private static int Finish(Dictionary<string, object?> json, TextWriter stdout)
    {
        json["peak_rss_mib"] = PeakRssMib();
        json["machine"] = new Dictionary<string, object?>
        {
            ["cores"] = Environment.ProcessorCount,
            ["os"] = RuntimeInformation.OSDescription,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
            ["cpu"] = CpuName(),
        };
        return Print(json, stdout);
    }

    private static void WriteData(string directory, BenchRequest request, int referenceRows, (PredictionSet Reference, PredictionSet Analysis)? source, TerminalProgress progress)
    {
        var parquet = request.WriteFormat is "both" or "parquet";
        var csv = request.WriteFormat is "both" or "csv";
        foreach (var (name, rows, withTargets, seed, from) in new[]
        {
            ("reference", referenceRows, true, request.Seed, source?.Reference),
            ("analysis", request.Rows ?? 0, false, request.Seed + 1, source?.Analysis),
        })
        {
            if (rows == 0)
            {
                continue;
            }

            var writer = BenchDataWriter.CreateAsync(directory, name, withTargets, parquet, csv).GetAwaiter().GetResult();
            try
            {
                Write(writer, name, rows, withTargets, new Random(seed), from, progress);
            }
            finally
            {
                writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }

    private static void Write(BenchDataWriter writer, string name, int rows, bool withTargets, Random random, PredictionSet? from, TerminalProgress progress)
    {
        for (var written = 0; written < rows;)
        {
            var batch = Math.Min(BenchDataWriter.BatchRows, rows - written);
            writer.WriteAsync(BenchData.Generate(batch, withTargets, random, from)).GetAwaiter().GetResult();
            written += batch;
            progress.Status(Invariant($"writing {name}: {written:N0}/{rows:N0} rows"));
        }
    }

    private static int Print(Dictionary<string, object?> json, TextWriter stdout)
    {
        stdout.WriteLine(JsonSerializer.Serialize(json));
        return 0;
    }

    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>Peak resident set size (VmHWM) in MiB.</summary>
    internal static double PeakRssMib()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kib = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kib / 1024.0;
                }
            }
        }

        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    private static string? CpuName()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo))
        {
            return null;
        }

        foreach (var line in File.ReadLines(cpuinfo))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal))
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>
    /// Runs <paramref name="body"/>, not timed, up to <paramref name="maxRuns"/> times or for 5 s, so the timed runs meet
    /// optimised code; records the count as <c>warm_up_runs</c>.
    /// </summary>
    internal static void WarmUp(int maxRuns, Dictionary<string, object?> json, Func<object> body)
    {
        var watch = Stopwatch.StartNew();
        var runs = 0;
        while (runs < maxRuns && watch.Elapsed < WarmUpLimit)
        {
            _ = body();
            runs++;
        }

        json["warm_up_runs"] = runs;
    }

    /// <summary>Runs <paramref name="body"/> <paramref name="repeat"/> times, each after a full collection; the last result and every run's seconds.</summary>
    internal static (T Last, List<double> Seconds) Timed<T>(int repeat, TerminalProgress progress, Func<int, string> status, Func<T> body)
    {
        var seconds = new List<double>(repeat);
        var last = default(T)!;
        for (var r = 0; r < repeat; r++)
        {
            progress.Status(status(r));
            Collect();
            var watch = Stopwatch.StartNew();
            last = body();
            seconds.Add(watch.Elapsed.TotalSeconds);
        }

        return (last, seconds);
    }

    internal static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
