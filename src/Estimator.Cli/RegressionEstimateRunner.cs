using Estimator.Thresholds;

namespace Estimator.Cli;

/// <summary>
/// <c>estimator estimate --problem regression</c>: read, fit direct loss estimation (DLE), estimate, write the same
/// estimate file as for classifiers (<c>metric</c> mae, rmse, ...; <c>class</c> null). Bad input ends with a one-line
/// error naming the file, column and row, and no output file.
/// </summary>
internal static class RegressionEstimateRunner
{
    /// <summary>DLE's options from the command's text options; <paramref name="metrics"/> null when <c>--metrics</c> was not given.</summary>
    public static DleOptions Options(string? metrics, Chunking chunking, string? features, string[] thresholds, int seed, bool tune)
    {
        var metricList = EstimateOptionParsing.RegressionMetrics(metrics);
        var featureList = FeatureCommandOptions.List(features, "--features");
        if (featureList.Count == 0)
        {
            throw new OptionException("--problem regression needs --features: the model's input columns, comma-separated (DLE learns each row's loss from them)");
        }

        var thresholdMap = new Dictionary<DleMetric, Threshold>();
        foreach (var spec in thresholds)
        {
            var (metric, threshold) = EstimateOptionParsing.ParseRegressionThreshold(spec);
            thresholdMap[metric] = threshold;
        }

        return new DleOptions
        {
            Metrics = metricList,
            Chunking = chunking,
            Features = featureList,
            Thresholds = thresholdMap,
            Seed = seed,
            TuneHyperparameters = tune,
        };
    }

    public static int Run(EstimateRequest request, DleOptions options, bool metricsGiven, TextWriter stdout, TextWriter stderr) =>
        EstimatorCli.Guarded(stderr, () =>
        {
            EstimateRunner.EnsureWritableTarget(request.Output);
            using var outputs = EstimateRunner.Outputs(request);
            var columns = request.Columns;

            var reference = RegressionFileReader.Read(request.Reference, columns with { Id = null }, options.Features, requireTargets: true);
            if (!metricsGiven && RegressionInputChecks.NegativeColumn(reference, columns) is { } negative)
            {
                // The default metrics include the logarithmic ones, which refuse negative values (as in NannyML): the
                // user asked for no metric in particular, so estimate the four that apply instead of failing.
                options = options with { Metrics = [.. options.Metrics.Where(m => m is not (DleMetric.Msle or DleMetric.Rmsle))] };
                stderr.WriteLine($"note: msle and rmsle are left out of the default metrics: '{request.Reference}' has negative values in '{negative}' and they take logarithms; estimating {string.Join(", ", options.Metrics.Select(m => m.Name()))}");
            }

            RegressionInputChecks.CheckReference(reference, columns, options);
            var fitted = EstimateRunner.WithFile(
                request.Reference, () => new DleCalculator(options).FitDle(reference.Data.SortedByTimestamp(), ComputeOptions.Default));

            var analysisColumns = request.Targets is null ? columns : columns with { YTrue = null };
            var (result, rowsMissingPrediction) = (request.Targets is null ? TryStream(request, analysisColumns, options, fitted, stderr) : null)
                ?? InMemory(request, analysisColumns, options, fitted, stderr);
            if (outputs.Staged("--save-fitted") is { } fittedPath)
            {
                AtomicFile.WriteText(fittedPath, fitted.ToJson());
            }

            outputs.CommitEstimates(result);
            Summarize(result, rowsMissingPrediction, request, stdout, stderr);
            return 0;
        });

    /// <summary>Reads the whole analysis file (joining late targets when given), sorts it by timestamp and calculates every chunk.</summary>
    private static (CalculatorResult Result, long RowsMissingPrediction) InMemory(
        EstimateRequest request, ColumnMapping analysisColumns, DleOptions options, FittedDle fitted, TextWriter stderr)
    {
        var columns = request.Columns;
        var analysis = RegressionFileReader.Read(request.Analysis, analysisColumns, options.Features, requireTargets: false);
        RegressionInputChecks.CheckAnalysis(analysis, columns, options);
        if (request.Targets is not null)
        {
            var yTrue = columns.YTrue ?? "y_true";
            var join = TargetJoin.LeftJoinValuesAsync(analysis, request.Targets, request.IdColumn!, yTrue).GetAwaiter().GetResult();
            RegressionInputChecks.CheckJoinedTargets(join.Targets, request.Targets, yTrue, options);
            analysis = analysis.WithTargets(join.Targets);
            EstimateRunner.ReportJoin(join, request, stderr);
        }

        var result = EstimateRunner.WithFile(
            request.Analysis, () => fitted.Calculate(analysis.Data.SortedByTimestamp(), request.Model, ComputeOptions.Default));
        return (result, analysis.RowsMissingPrediction);
    }

    /// <summary>
    /// Streams a Parquet analysis file row group by row group, chunk by chunk (bounded memory, progress on a terminal);
    /// null when it cannot (not Parquet) or its timestamps are out of order (the in-memory path sorts).
    /// </summary>
    private static (CalculatorResult Result, long RowsMissingPrediction)? TryStream(
        EstimateRequest request, ColumnMapping analysisColumns, DleOptions options, FittedDle fitted, TextWriter stderr)
    {
        if (!StreamingRegressionFile.CanStream(request.Analysis))
        {
            return null;
        }

        long missing = 0;
        using var progress = TerminalProgress.Create(request.Quiet, stderr);
        try
        {
            var result = EstimateRunner.WithFile(request.Analysis, () => StreamingRegressionFile.CalculateAsync(
                request.Analysis,
                analysisColumns,
                options.Features,
                fitted,
                request.Model,
                rows =>
                {
                    RegressionInputChecks.CheckValues(rows, request.Columns, options);
                    missing += rows.RowsMissingPrediction;
                },
                progress.Reporter()).GetAwaiter().GetResult());
            return (result, missing);
        }
        catch (EstimatorDataException e) when (e.Kind == DataProblem.TimestampsOutOfOrder)
        {
            progress.Dispose();
            stderr.WriteLine("note: the analysis rows are not in timestamp order; reading the whole file to sort it");
            return null;
        }
    }

    private static void Summarize(CalculatorResult result, long rowsMissingPrediction, EstimateRequest request, TextWriter stdout, TextWriter stderr)
    {
        if (rowsMissingPrediction > 0)
        {
            stderr.WriteLine(Invariant($"note: {rowsMissingPrediction} analysis rows have no prediction and were left out of every metric"));
        }

        var analysisRows = result.Rows.Where(r => r.Period == Period.Analysis).ToList();
        var chunks = analysisRows.Select(r => r.Chunk.Index).Distinct().Count();
        stdout.WriteLine(Invariant($"{request.Model}: {chunks} analysis chunks estimated (direct loss estimation), {result.Rows.Count} rows written to {request.Output}"));
        EstimateRunner.WriteAlerts(analysisRows, stdout);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
