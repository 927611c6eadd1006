using System.CommandLine;
using System.Globalization;
using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.Estimation.Multiclass;
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
        var yPredProba = new Option<string>("--y-pred-proba")
        {
            Description = "Score column (probability of the positive class), or for a multiclass model CLASS=COLUMN pairs separated by commas, e.g. a=score_a,b=score_b,c=score_c.",
            DefaultValueFactory = _ => "y_pred_proba",
        };
        var yPred = new Option<string>("--y-pred") { Description = "Predicted label column (0/1; class labels for a multiclass model).", DefaultValueFactory = _ => "y_pred" };
        var yTrue = new Option<string>("--y-true") { Description = "Target column (0/1; class labels for a multiclass model) in the reference (and in --targets).", DefaultValueFactory = _ => "y_true" };
        var perClass = new Option<bool>("--per-class") { Description = "Multiclass models: also write each class's one-vs-rest roc_auc, f1, precision, recall and specificity (rows with the class column set)." };
        var timestamp = new Option<string?>("--timestamp") { Description = "Timestamp column; rows are sorted by it before chunking. Needed for --chunk-period." };
        // Chunking options are read as text and parsed by Core's ChunkingSyntax, so a bad value is one clear error
        // line naming the option (the configuration file's chunking section parses through the same code).
        var chunkSize = new Option<string?>("--chunk-size") { Description = "Rows per chunk." };
        var chunkNumber = new Option<string?>("--chunk-number") { Description = "Number of chunks (size = rows / number)." };
        var chunkPeriod = new Option<string?>("--chunk-period") { Description = "Calendar period per chunk: " + ChunkingSyntax.PeriodSpellings + "." };
        var incomplete = new Option<string?>("--incomplete") { Description = "Rows left over after the last whole chunk: keep (a short last chunk, the default), drop, or append (to the last chunk)." };
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
            perClass,
        };

        command.Validators.Add(result =>
        {
            var chosen = new[] { chunkSize, chunkNumber, chunkPeriod }.Count(o => result.GetResult(o) is not null);
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
        });

        command.SetAction(parse =>
        {
            try
            {
                var scores = parse.GetValue(yPredProba)!;
                var classScores = ParseClassScores(scores);
                var request = new EstimateRequest(
                    parse.GetValue(reference)!,
                    parse.GetValue(analysis)!,
                    parse.GetValue(targets),
                    parse.GetValue(idColumn),
                    new ColumnMapping
                    {
                        YPredProba = scores,
                        ClassScores = classScores,
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
                var options = BuildOptions(
                    parse.GetValue(metrics)!,
                    parse.GetValue(chunkSize),
                    parse.GetValue(chunkNumber),
                    parse.GetValue(chunkPeriod),
                    parse.GetValue(incomplete),
                    parse.GetValue(calibration)!,
                    parse.GetValue(normalization)!,
                    parse.GetValue(businessValue),
                    parse.GetValue(perPrediction),
                    parse.GetValue(thresholds) ?? []);
                if (classScores is not null)
                {
                    var businessValueGiven = parse.GetValue(businessValue) is not null || parse.GetValue(perPrediction);
                    var multiclass = MulticlassEstimateRunner.Options(options, parse.GetValue(perClass), businessValueGiven);
                    return MulticlassEstimateRunner.Run(request, multiclass, stdout, stderr);
                }

                if (parse.GetValue(perClass))
                {
                    throw new OptionException("--per-class applies to multiclass models: give --y-pred-proba as CLASS=COLUMN pairs");
                }

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
        string? chunkSize,
        string? chunkNumber,
        string? chunkPeriod,
        string? incomplete,
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

        var chunking = ParseChunking(chunkSize, chunkNumber, chunkPeriod, incomplete);

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

    /// <summary>
    /// A multiclass model's class → score column pairs when <paramref name="text"/> is in the pair form
    /// (<c>CLASS=COLUMN,...</c>); null when it names one binary score column, as before multiclass support.
    /// </summary>
    internal static ClassScoreColumns? ParseClassScores(string text)
    {
        if (!ClassScoreColumns.IsPairSyntax(text))
        {
            return null;
        }

        return ClassScoreColumns.TryParse(text, out var columns, out var error) ? columns : throw new OptionException($"--y-pred-proba: {error}");
    }

    /// <summary>Parses <c>METRIC=std:LOWER,UPPER</c> or <c>METRIC=constant:LOWER,UPPER</c>; an empty side is disabled.</summary>
    internal static (Metric Metric, Threshold Threshold) ParseThreshold(string spec) =>
        ThresholdSyntax.TryParse(spec, out var metric, out var threshold, out var error)
            ? (metric, threshold)
            : throw new OptionException($"--threshold: {error}");

    /// <summary>The chunking from the four options, each parsed by Core's <see cref="ChunkingSyntax"/>.</summary>
    internal static Chunking ParseChunking(string? chunkSize, string? chunkNumber, string? chunkPeriod, string? incomplete)
    {
        int? size = chunkSize is null ? null
            : ChunkingSyntax.TryParseCount(chunkSize, out var s, out var sizeError) ? s : throw new OptionException($"--chunk-size: {sizeError}");
        int? number = chunkNumber is null ? null
            : ChunkingSyntax.TryParseCount(chunkNumber, out var n, out var numberError) ? n : throw new OptionException($"--chunk-number: {numberError}");
        ChunkPeriod? period = chunkPeriod is null ? null
            : ChunkingSyntax.TryParsePeriod(chunkPeriod, out var p, out var periodError) ? p : throw new OptionException($"--chunk-period: {periodError}");
        IncompleteChunk? rule = incomplete is null ? null
            : ChunkingSyntax.TryParseIncomplete(incomplete, out var r, out var ruleError) ? r : throw new OptionException($"--incomplete: {ruleError}");
        if (period is not null && rule is not null)
        {
            throw new OptionException("--incomplete applies to --chunk-size and --chunk-number, not to --chunk-period");
        }

        return ChunkingSyntax.TryCreate(size, number, period, rule, out var chunking, out var error)
            ? chunking
            : throw new OptionException($"chunking: {error}");
    }
}

/// <summary>An option value that cannot be used; reported as a one-line error.</summary>
internal sealed class OptionException(string message) : Exception(message);
