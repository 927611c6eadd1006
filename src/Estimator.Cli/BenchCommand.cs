namespace Estimator.Cli;

/// <summary>What <c>estimator bench</c> was asked to do.</summary>
internal sealed record BenchRequest(
    int? Rows,
    int? ReferenceRows,
    int ChunkSize,
    IReadOnlyList<Metric> Metrics,
    int Threads,
    string? WriteData,
    string WriteFormat,
    bool WriteOnly,
    string? Input,
    int Seed,
    int Repeat,
    bool Quiet)
{
    /// <summary>Classes of the generated model: 2 for binary CBPE, 3 or more for multiclass CBPE.</summary>
    public int Classes { get; init; } = 2;

    /// <summary>With <c>--problem regression</c>: the DLE metrics to estimate; null for a classification bench.</summary>
    public IReadOnlyList<DleMetric>? RegressionMetrics { get; init; }
}

/// <summary>
/// <c>estimator bench</c>: generates seeded data (or streams <c>--input</c>), runs fit and estimate, and prints one
/// JSON object with the timings and the peak memory on stdout.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var rows = new Option<int?>("--rows") { Description = "Analysis rows to generate (not with --input)." };
        var referenceRows = new Option<int?>("--reference-rows") { Description = "Reference rows to generate (default: as many as --rows, or 1,000,000 with --input)." };
        var chunkSize = Defaulted.Option<int>("--chunk-size", 10_000, "Rows per chunk.");
        var metrics = Defaulted.Option("--metrics", "roc_auc,precision,recall", "Comma-separated metrics (default roc_auc,precision,recall; with --problem regression all six DLE metrics).");
        var threads = Defaulted.Option<int>("--threads", 0, "Threads to use (0: one per core).");
        var writeData = new Option<string?>("--write-data") { Description = "Also write the generated reference and analysis to DIR/reference.* and DIR/analysis.* (Parquet and CSV)." };
        var writeFormat = Defaulted.Option<string>("--write-format", "both", "Formats --write-data writes: both, parquet or csv.");
        writeFormat.AcceptOnlyFromAmong("both", "parquet", "csv");
        var writeOnly = new Option<bool>("--write-only") { Description = "With --write-data: write the data and stop (no fit, no estimate)." };
        var input = new Option<string?>("--input") { Description = "Analysis Parquet file to stream through the estimator instead of generated analysis rows." };
        var seed = Defaulted.Option<int>("--seed", 42, "Seed of the generated data.");
        var repeat = Defaulted.Option<int>("--repeat", 3, "Runs of fit and of estimate; the medians are reported.");
        var quiet = new Option<bool>("--quiet") { Description = "No progress on stderr." };
        var classes = Defaulted.Option<int>("--classes", 2, "Classes of the generated model: 2 (binary CBPE) or 3 and more (multiclass CBPE on synthetic data).");
        var problem = Defaulted.Option<string>("--problem", "classification", "classification (CBPE) or regression (DLE on synthetic data).");
        problem.AcceptOnlyFromAmong("classification", "regression");

        var command = new Command("bench", "Benchmark: fit and estimate on seeded data of a given size (or an analysis file); prints one JSON object.")
        {
            rows, referenceRows, chunkSize, metrics, threads, writeData, writeFormat, writeOnly, input, seed, repeat, quiet, classes, problem,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(rows) is null == (result.GetValue(input) is null))
            {
                result.AddError("Give exactly one of --rows and --input.");
            }

            if (result.GetValue(rows) is <= 0 || result.GetValue(referenceRows) is <= 0)
            {
                result.AddError("--rows and --reference-rows must be positive.");
            }

            if (result.GetValue(writeOnly) && result.GetValue(writeData) is null)
            {
                result.AddError("--write-only needs --write-data.");
            }
        });

        command.SetAction(parse =>
        {
            try
            {
                if (parse.GetValue(chunkSize) <= 0 || parse.GetValue(repeat) <= 0 || parse.GetValue(threads) < 0)
                {
                    throw new OptionException("--chunk-size and --repeat must be positive, --threads 0 (one per core) or positive");
                }

                // Checked here, not in a validator: a validator does not see the option's default value.
                if (parse.GetValue(classes) < 2)
                {
                    throw new OptionException("--classes must be 2 (binary) or more (multiclass)");
                }

                if (parse.GetValue(classes) > 2 && (parse.GetValue(input) is not null || parse.GetValue(writeData) is not null))
                {
                    throw new OptionException("--classes 3 and more benchmarks generated data only: not with --input or --write-data");
                }

                var regression = parse.GetValue(problem) == "regression";
                if (regression && (parse.GetValue(classes) != 2 || parse.GetValue(input) is not null || parse.GetValue(writeData) is not null))
                {
                    throw new OptionException("--problem regression benchmarks generated data only: not with --classes, --input or --write-data");
                }

                IReadOnlyList<DleMetric>? regressionMetrics = regression
                    ? RegressionMetrics(parse.GetResult(metrics) is { Implicit: false } ? parse.GetValue(metrics) : null)
                    : null;
                var binary = EstimateOptionParsing.BuildOptions(regression ? "roc_auc" : parse.GetValue(metrics)!, Chunking.BySize(1), "auto", "none", null, false, []);
                var metricList = parse.GetValue(classes) > 2 ? MulticlassEstimateRunner.Options(binary, false, false).Metrics : binary.Metrics;
                var request = new BenchRequest(
                    parse.GetValue(rows),
                    parse.GetValue(referenceRows),
                    parse.GetValue(chunkSize),
                    metricList,
                    parse.GetValue(threads),
                    parse.GetValue(writeData),
                    parse.GetValue(writeFormat)!,
                    parse.GetValue(writeOnly),
                    parse.GetValue(input),
                    parse.GetValue(seed),
                    parse.GetValue(repeat),
                    parse.GetValue(quiet))
                {
                    Classes = parse.GetValue(classes),
                    RegressionMetrics = regressionMetrics,
                };
                return BenchRunner.Run(request, stdout, stderr);
            }
            catch (OptionException e)
            {
                stderr.WriteLine($"error: {e.Message}");
                return EstimatorCli.BadInput;
            }
        });
        return command;
    }

    // The DLE metrics named by --metrics, or NannyML's default (all six) when the option was not given.
    private static List<DleMetric> RegressionMetrics(string? names)
    {
        if (names is null)
        {
            return [.. DleMetrics.Default];
        }

        var list = new List<DleMetric>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            list.Add(DleMetrics.TryParse(name, out var metric)
                ? metric
                : throw new OptionException($"--metrics: '{name}' is not a regression metric (mae, mse, rmse, mape, msle, rmsle)"));
        }

        return list.Count > 0 ? list : throw new OptionException("--metrics: no metric given");
    }
}
