using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Estimator.Calculators;
using Estimator.Drift;
using Estimator.Estimation;
using Estimator.IO;
using Parquet;
using Parquet.Schema;

namespace Estimator.Benchmarks;

/// <summary>
/// In-process medians of fit and calculate for univariate drift and reconstruction error on the car-loan files and
/// the 24-column hotel-shaped rows (issue #14), wall and process CPU per run, plus a hash of every result value so two
/// builds can be checked to give the same numbers bit for bit. Runs without BenchmarkDotNet so the same source can be
/// built against a baseline tree:
/// <c>dotnet run -c Release --project tests/Estimator.Benchmarks -- drift-medians [REPEAT=15] [DATASETS_DIR]</c>.
/// </summary>
internal static class DriftMedians
{
    private static readonly string[] CarLoanColumns =
    [
        "car_value", "salary_range", "debt_to_income_ratio", "loan_length", "repaid_loan_on_prev_car",
        "size_of_downpayment", "driver_tenure", "y_pred_proba", "y_pred",
    ];

    private static readonly string[] CarLoanReconstruction =
        ["car_value", "salary_range", "debt_to_income_ratio", "loan_length", "repaid_loan_on_prev_car", "size_of_downpayment", "driver_tenure"];

    public static void Run(string[] args)
    {
        var repeat = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
        var dir = args.Length > 2 ? args[2] : Path.Combine(FindRepository(), "datasets", "car_loan");
        var reference = FeatureFileReader.Read(Path.Combine(dir, "reference.parquet"), CarLoanColumns, "timestamp");
        var analysis = FeatureFileReader.Read(Path.Combine(dir, "analysis.parquet"), CarLoanColumns, "timestamp");
        var hotelReference = HotelShapedData.Generate(50_000, 1, drifts: false, new DateTime(2015, 7, 1, 0, 0, 0, DateTimeKind.Utc));
        var hotelAnalysis = HotelShapedData.Generate(50_000, 2, drifts: true, new DateTime(2016, 8, 1, 0, 0, 0, DateTimeKind.Utc));
        var all = new[] { DriftMethod.KolmogorovSmirnov, DriftMethod.JensenShannon, DriftMethod.Wasserstein, DriftMethod.Hellinger };
        var categorical = new[] { DriftMethod.Chi2, DriftMethod.JensenShannon, DriftMethod.LInfinity, DriftMethod.Hellinger };
        var carLoan = new UnivariateDriftCalculator(new UnivariateDriftOptions
        {
            Columns = CarLoanColumns,
            TreatAsCategorical = ["y_pred"],
            ContinuousMethods = all,
            CategoricalMethods = categorical,
            Chunking = Chunking.BySize(5000),
        });
        var hotel = new UnivariateDriftCalculator(new UnivariateDriftOptions
        {
            Columns = HotelShapedData.Columns,
            ContinuousMethods = all,
            CategoricalMethods = categorical,
            Chunking = Chunking.BySize(5000),
        });
        var reconstruction = new ReconstructionErrorCalculator(new ReconstructionErrorOptions { Columns = CarLoanReconstruction, Chunking = Chunking.BySize(5000) });
        var hotelReconstruction = new ReconstructionErrorCalculator(new ReconstructionErrorOptions { Columns = HotelShapedData.Columns, Chunking = Chunking.BySize(5000) });

        if (Environment.GetEnvironmentVariable("DRIFT_LOOP") is { } loop)
        {
            // Profiling aid: only the car-loan calculations (or fits, with DRIFT_LOOP_FIT), many times, one thread.
            var f1 = carLoan.Fit(reference, ComputeOptions.Serial);
            var f2 = reconstruction.Fit(reference, ComputeOptions.Serial);
            var fits = Environment.GetEnvironmentVariable("DRIFT_LOOP_FIT") is not null;
            for (var i = 0; i < int.Parse(loop, CultureInfo.InvariantCulture); i++)
            {
                if (fits)
                {
                    if (Environment.GetEnvironmentVariable("DRIFT_LOOP_FIT") != "reconstruction")
                    {
                        carLoan.Fit(reference, ComputeOptions.Serial);
                    }

                    reconstruction.Fit(reference, ComputeOptions.Serial);
                }
                else
                {
                    f1.Calculate(analysis, "m", ComputeOptions.Serial);
                    f2.Calculate(analysis, "m", ComputeOptions.Serial);
                }
            }

            return;
        }

        Console.WriteLine($"load average before: {LoadAverage()}; {Environment.ProcessorCount} cores; repeat {repeat}");
        foreach (var compute in new[] { ComputeOptions.Serial, ComputeOptions.Default })
        {
            Measure("car loan univariate, 9 columns x 4 methods", carLoan, reference, analysis, compute, repeat);
            Measure("car loan reconstruction error, 7 columns", reconstruction, reference, analysis, compute, repeat);
            Measure("hotel-shaped univariate, 24 columns x 4 methods", hotel, hotelReference, hotelAnalysis, compute, repeat);
            Measure("hotel-shaped reconstruction error, 24 columns", hotelReconstruction, hotelReference, hotelAnalysis, compute, repeat);
        }

        Console.WriteLine($"load average after: {LoadAverage()}");
    }

    /// <summary>Writes the hotel-shaped reference and analysis as CSV into <paramref name="dir"/> (whole-process benchmark).</summary>
    public static void WriteHotel(string dir)
    {
        Directory.CreateDirectory(dir);
        HotelShapedData.WriteCsv(HotelShapedData.Generate(50_000, 1, drifts: false, new DateTime(2015, 7, 1, 0, 0, 0, DateTimeKind.Utc)), Path.Combine(dir, "reference.csv"));
        HotelShapedData.WriteCsv(HotelShapedData.Generate(50_000, 2, drifts: true, new DateTime(2016, 8, 1, 0, 0, 0, DateTimeKind.Utc)), Path.Combine(dir, "analysis.csv"));
    }

    /// <summary>
    /// Writes the car-loan analysis rows repeated <paramref name="copies"/> times (timestamps moved on by the span of
    /// the rows each time) as one Parquet file of 100,000-row groups: a large analysis file for the streaming check.
    /// </summary>
    public static async Task WriteLargeAsync(string path, int copies)
    {
        var dir = Path.Combine(FindRepository(), "datasets", "car_loan");
        var data = FeatureFileReader.Read(Path.Combine(dir, "analysis.parquet"), CarLoanColumns, "timestamp");
        var span = data.Timestamps![^1] - data.Timestamps[0] + TimeSpan.FromMinutes(10);
        var fields = new List<DataField> { new DataField<DateTime>("timestamp") };
        fields.AddRange(data.Features.Select(f => f is NumericFeature ? (DataField)new DataField<double?>(f.Name) : new DataField<string>(f.Name)));
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema([.. fields]), stream);
        const int Group = 100_000;
        var total = (long)data.Count * copies;
        for (long start = 0; start < total; start += Group)
        {
            var n = (int)Math.Min(Group, total - start);
            var rows = Enumerable.Range(0, n).Select(i => start + i).ToArray();
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<DateTime>(fields[0], rows.Select(r => data.Timestamps[r % data.Count] + (span * (r / data.Count))).ToArray());
            for (var f = 0; f < data.Features.Count; f++)
            {
                if (data.Features[f] is NumericFeature x)
                {
                    await group.WriteAsync<double>(fields[f + 1], rows.Select(r => x.Values[r % data.Count]).Select(v => double.IsNaN(v) ? (double?)null : v).ToArray());
                }
                else
                {
                    var c = (CategoricalFeature)data.Features[f];
                    await group.WriteAsync(fields[f + 1], rows.Select(r => c.Values[r % data.Count]).ToArray());
                }
            }
        }
    }

    private static void Measure(string name, ICalculator calculator, ModelData reference, ModelData analysis, ComputeOptions compute, int repeat)
    {
        // Warm-up: enough calls for the JIT's tiers to settle before anything is timed.
        var fitted = calculator.Fit(reference, compute);
        var result = fitted.Calculate(analysis, "m", compute);
        for (var w = 0; w < 40; w++)
        {
            fitted = calculator.Fit(reference, compute);
            result = fitted.Calculate(analysis, "m", compute);
        }

        // Tier-1 code is compiled in the background some 100 ms after a method turns hot.
        Thread.Sleep(300);

        var fit = new List<(double Wall, double Cpu)>();
        var calculate = new List<(double Wall, double Cpu)>();
        for (var r = 0; r < repeat; r++)
        {
            fit.Add(Time(() => fitted = calculator.Fit(reference, compute)));
            calculate.Add(Time(() => result = fitted.Calculate(analysis, "m", compute)));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}, {compute.Threads} thread(s): fit wall {Median(fit, w => w.Wall):F2} ms cpu {Median(fit, w => w.Cpu):F2} ms (min wall {fit.Min(w => w.Wall):F2}); " +
            $"calculate wall {Median(calculate, w => w.Wall):F2} ms cpu {Median(calculate, w => w.Cpu):F2} ms (min wall {calculate.Min(w => w.Wall):F2}); values {Hash(result)}"));
    }

    private static (double Wall, double Cpu) Time(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        var wall = watch.Elapsed.TotalMilliseconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalMilliseconds);
    }

    private static double Median(List<(double Wall, double Cpu)> runs, Func<(double Wall, double Cpu), double> pick)
    {
        var sorted = runs.Select(pick).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // Every number of every row, round-trip formatted: equal hashes mean bit-identical results.
    private static string Hash(CalculatorResult result)
    {
        var text = new StringBuilder();
        foreach (var r in result.Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.Chunk.Key}|{r.Column}|{r.Metric}|{r.Estimated:R}|{r.PValue:R}|{r.SamplingError:R}|{r.LowerConfidenceBound:R}|{r.UpperConfidenceBound:R}|{r.LowerThreshold:R}|{r.UpperThreshold:R}|{r.Alert}\n");
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "n/a";

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Estimator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run inside the repository or pass the car-loan directory");
    }
}
