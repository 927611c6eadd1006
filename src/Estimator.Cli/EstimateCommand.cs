using System.CommandLine;
using System.Globalization;
using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Metrics;
using Estimator.Thresholds;

namespace Estimator.Cli;

/// <summary><c>estimator estimate</c>: fit on a reference file, estimate an analysis file, write the estimate file.</summary>
internal static class EstimateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var reference = new Option<string>("--reference") { Description = "Reference data with targets (Parquet or CSV).", Required = true };
        var analysis = new Option<string>("--analysis") { Description = "Analysis data to estimate (Parquet or CSV).", Required = true };
        var targets = new Option<string?>("--targets") { Description = "Targets that arrived later (Parquet or CSV), left-joined to the analysis rows by --id-column." };
        var idColumn = new Option<string?>("--id-column") { Description = "Row id column shared by --analysis and --targets." };
        var yPredProba = new Option<string>("--y-pred-proba") { Description = "Score column (probability of the positive class).", DefaultValueFactory = _ => "y_pred_proba" };
        var yPred = new Option<string>("--y-pred") { Description = "Predicted label column (0/1).", DefaultValueFactory = _ => "y_pred" };
        var yTrue = new Option<string>("--y-true") { Description = "Target column (0/1) in the reference (and in --targets).", DefaultValueFactory = _ => "y_true" };
        var timestamp = new Option<string?>("--timestamp") { Description = "Timestamp column; rows are sorted by it before chunking. Needed for --chunk-period." };
        var chunkSize = new Option<int?>("--chunk-size") { Description = "Rows per chunk." };
        var chunkNumber = new Option<int?>("--chunk-number") { Description = "Number of chunks (size = rows / number)." };
        var chunkPeriod = new Option<string?>("--chunk-period") { Description = "Calendar period per chunk: day, week, month, quarter or year (pandas' D, W, M, Q, Y also accepted)." };
        chunkPeriod.AcceptOnlyFromAmong("day", "week", "month", "quarter", "year", "D", "W", "M", "Q", "Y");
        var incomplete = new Option<string>("--incomplete") { Description = "Rows left over after the last whole chunk: keep (a short last chunk), drop, or append (to the last chunk).", DefaultValueFactory = _ => "keep" };
        incomplete.AcceptOnlyFromAmong("keep", "drop", "append");
        var metrics = new Option<string>("--metrics")
        {
            Description = "Comma-separated metrics: " + string.Join(", ", MetricNames.All) + ".",
            DefaultValueFactory = _ => "roc_auc,precision,recall,f1,accuracy,specificity",
        };
        var calibration = new Option<string>("--calibration") { Description = "Isotonic calibration of scores: auto (NannyML's check decides), always or never.", DefaultValueFactory = _ => "auto" };
        calibration.AcceptOnlyFromAmong("auto", "always", "never");
        var normalization = new Option<string>("--confusion-matrix-normalization") { Description = "For confusion_matrix: none (counts), all, true or pred.", DefaultValueFactory = _ => "none" };
        normalization.AcceptOnlyFromAmong("none", "all", "true", "pred");
        var businessValue = new Option<string?>("--business-value-matrix") { Description = "For business_value: the value of TN,FP,FN,TP, e.g. \"2,-5,-10,10\"." };
        var perPrediction = new Option<bool>("--business-value-per-prediction") { Description = "Normalise business value per prediction." };
        var thresholds = new Option<string[]>("--threshold")
        {
            Description = "Per-metric threshold, repeatable: METRIC=std:LOWER,UPPER (multipliers of the reference std; empty disables a side) or METRIC=constant:LOWER,UPPER.",
            AllowMultipleArgumentsPerToken = false,
        };
        var model = new Option<string>("--model") { Description = "Model name written to the estimate file.", DefaultValueFactory = _ => "model" };
        var output = new Option<string>("--out") { Description = "Estimate file to write: .parquet, .csv or .json.", Required = true };
        var saveFitted = new Option<string?>("--save-fitted") { Description = "Also write the fitted estimator (JSON) here, to reuse without refitting." };
        var plot = new Option<string?>("--plot") { Description = "Also draw the estimated (and realized) performance per chunk here: .png or .svg." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress on stderr (progress shows only when stderr is a terminal)." };

        var command = new Command("estimate", "Fit CBPE on the reference, estimate every chunk of the analysis, write the estimate file.")
        {
            reference, analysis, targets, idColumn, yPredProba, yPred, yTrue, timestamp, chunkSize, chunkNumber, chunkPeriod,
            incomplete, metrics, calibration, normalization, businessValue, perPrediction, thresholds, model, output, saveFitted, plot, quiet,
        };

        command.Validators.Add(result =>
        {
            var chosen = new[] { chunkSize, chunkNumber }.Count(o => result.GetResult(o) is not null) + (result.GetResult(chunkPeriod) is null ? 0 : 1);
            if (chosen > 1)
            {
                result.AddError("Give at most one of --chunk-size, --chunk-number and --chunk-period.");
            }

            if (result.GetValue(chunkPeriod) is not null && result.GetValue(timestamp) is null)
            {
                result.AddError("--chunk-period needs --timestamp: period chunks are formed from the timestamp column.");
            }

            if (result.GetValue(targets) is not null && result.GetValue(idColumn) is null)
            {
                result.AddError("--targets needs --id-column to join the targets to the analysis rows.");
            }

            if (result.GetValue(plot) is string plotPath && !Plots.Chart.IsSupportedPath(plotPath))
            {
                result.AddError("--plot: the extension must be .png or .svg.");
            }

            if (result.GetValue(chunkSize) is <= 0 || result.GetValue(chunkNumber) is <= 0)
            {
                result.AddError("--chunk-size and --chunk-number must be positive.");
            }
        });

        command.SetAction(parse =>
        {
            var request = new EstimateRequest(
                parse.GetValue(reference)!,
                parse.GetValue(analysis)!,
                parse.GetValue(targets),
                parse.GetValue(idColumn),
                new ColumnMapping
                {
                    YPredProba = parse.GetValue(yPredProba)!,
                    YPred = parse.GetValue(yPred),
                    YTrue = parse.GetValue(yTrue),
                    Timestamp = parse.GetValue(timestamp),
                    Id = parse.GetValue(idColumn),
                },
                parse.GetValue(model)!,
                parse.GetValue(output)!,
                parse.GetValue(saveFitted),
                parse.GetValue(quiet))
            {
                Plot = parse.GetValue(plot),
            };
            try
            {
                var options = BuildOptions(
                    parse.GetValue(metrics)!,
                    parse.GetValue(chunkSize),
                    parse.GetValue(chunkNumber),
                    parse.GetValue(chunkPeriod),
                    parse.GetValue(incomplete)!,
                    parse.GetValue(calibration)!,
                    parse.GetValue(normalization)!,
                    parse.GetValue(businessValue),
                    parse.GetValue(perPrediction),
                    parse.GetValue(thresholds) ?? []);
                return EstimateRunner.Run(request, options, stdout, stderr);
            }
            catch (OptionException e)
            {
                stderr.WriteLine($"error: {e.Message}");
                return EstimatorCli.BadInput;
            }
        });
        return command;
    }

    internal static CbpeOptions BuildOptions(
        string metrics,
        int? chunkSize,
        int? chunkNumber,
        string? chunkPeriod,
        string incomplete,
        string calibration,
        string normalization,
        string? businessValue,
        bool perPrediction,
        string[] thresholds)
    {
        var metricList = new List<Metric>();
        foreach (var name in metrics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!MetricNames.TryParse(name, out var metric))
            {
                throw new OptionException($"--metrics: unknown metric '{name}'; known metrics: {string.Join(", ", MetricNames.All)}");
            }

            if (metricList.Contains(metric))
            {
                throw new OptionException($"--metrics: '{name}' is listed twice");
            }

            metricList.Add(metric);
        }

        if (metricList.Count == 0)
        {
            throw new OptionException("--metrics: no metric given");
        }

        var incompleteRule = Enum.Parse<IncompleteChunk>(incomplete, ignoreCase: true);
        var chunking = chunkSize is int size ? Chunking.BySize(size, incompleteRule)
            : chunkNumber is int number ? Chunking.ByNumber(number, incompleteRule)
            : chunkPeriod is string period ? Chunking.ByPeriod(ParsePeriod(period))
            : Chunking.Default;

        BusinessValueMatrix? matrix = null;
        if (businessValue is not null)
        {
            var parts = businessValue.Split(',', StringSplitOptions.TrimEntries);
            var values = new double[parts.Length];
            if (parts.Length != 4 || parts.Where((p, i) => !double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).Any())
            {
                throw new OptionException($"--business-value-matrix: expected four numbers TN,FP,FN,TP, got '{businessValue}'");
            }

            matrix = new BusinessValueMatrix(values[0], values[1], values[2], values[3]);
        }
        else if (metricList.Contains(Metric.BusinessValue))
        {
            throw new OptionException("the business_value metric needs --business-value-matrix TN,FP,FN,TP");
        }

        var thresholdMap = new Dictionary<Metric, Threshold>();
        foreach (var spec in thresholds)
        {
            var (metric, threshold) = ParseThreshold(spec);
            thresholdMap[metric] = threshold;
        }

        return new CbpeOptions
        {
            Metrics = metricList,
            Chunking = chunking,
            Calibration = Enum.Parse<CalibrationMode>(calibration, ignoreCase: true),
            ConfusionMatrixNormalization = Enum.Parse<ConfusionMatrixNormalization>(normalization, ignoreCase: true),
            BusinessValueMatrix = matrix,
            NormalizeBusinessValuePerPrediction = perPrediction,
            Thresholds = thresholdMap,
        };
    }

    /// <summary>Parses <c>METRIC=std:LOWER,UPPER</c> or <c>METRIC=constant:LOWER,UPPER</c>; an empty side is disabled.</summary>
    internal static (Metric Metric, Threshold Threshold) ParseThreshold(string spec)
    {
        var equals = spec.IndexOf('=', StringComparison.Ordinal);
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (equals <= 0 || colon < equals)
        {
            throw new OptionException($"--threshold: expected METRIC=std:LOWER,UPPER or METRIC=constant:LOWER,UPPER, got '{spec}'");
        }

        if (!MetricNames.TryParse(spec[..equals], out var metric))
        {
            throw new OptionException($"--threshold: unknown metric '{spec[..equals]}'");
        }

        var kind = spec[(equals + 1)..colon].Trim();
        var sides = spec[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries);
        if (sides.Length != 2)
        {
            throw new OptionException($"--threshold: expected two values LOWER,UPPER (either may be empty), got '{spec}'");
        }

        var lower = ParseSide(sides[0], spec);
        var upper = ParseSide(sides[1], spec);
        try
        {
            return kind switch
            {
                "std" or "standard_deviation" => (metric, Threshold.StandardDeviation(lower, upper)),
                "constant" => (metric, Threshold.Constant(lower, upper)),
                _ => throw new OptionException($"--threshold: unknown kind '{kind}' in '{spec}'; use std or constant"),
            };
        }
        catch (ArgumentException e)
        {
            throw new OptionException($"--threshold '{spec}': {e.Message}");
        }
    }

    private static ChunkPeriod ParsePeriod(string period) => period switch
    {
        "D" => ChunkPeriod.Day,
        "W" => ChunkPeriod.Week,
        "M" => ChunkPeriod.Month,
        "Q" => ChunkPeriod.Quarter,
        "Y" => ChunkPeriod.Year,
        _ => Enum.Parse<ChunkPeriod>(period, ignoreCase: true),
    };

    private static double? ParseSide(string text, string spec) =>
        text.Length == 0 ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
        : throw new OptionException($"--threshold: '{text}' is not a number in '{spec}'");
}

/// <summary>An option value that cannot be used; reported as a one-line error.</summary>
internal sealed class OptionException(string message) : Exception(message);
