using Estimator.Estimation.Shift;

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
        var yPredProba = Defaulted.Option<string>("--y-pred-proba", "y_pred_proba", "Score column (probability of the positive class), or for a multiclass model CLASS=COLUMN pairs separated by commas, e.g. a=score_a,b=score_b,c=score_c.");
        var yPred = Defaulted.Option<string>("--y-pred", "y_pred", "Predicted label column (0/1; class labels for a multiclass model; the predicted value for a regression model).");
        var yTrue = Defaulted.Option<string>("--y-true", "y_true", "Target column (0/1; class labels for a multiclass model; the actual value for a regression model) in the reference (and in --targets).");
        var perClass = new Option<bool>("--per-class") { Description = "Multiclass models: also write each class's one-vs-rest roc_auc, f1, precision, recall and specificity (rows with the class column set)." };
        var timestamp = new Option<string?>("--timestamp") { Description = "Timestamp column; rows are sorted by it before chunking. Needed for --chunk-period." };
        // Chunking options are read as text and parsed by Core's ChunkingSyntax, so a bad value is one clear error
        // line naming the option (the configuration file's chunking section parses through the same code).
        var chunkSize = new Option<string?>("--chunk-size") { Description = "Rows per chunk." };
        var chunkNumber = new Option<string?>("--chunk-number") { Description = "Number of chunks (size = rows / number)." };
        var chunkPeriod = new Option<string?>("--chunk-period") { Description = "Calendar period per chunk: " + ChunkingSyntax.PeriodSpellings + "." };
        var incomplete = new Option<string?>("--incomplete") { Description = "Rows left over after the last whole chunk: keep (a short last chunk, the default), drop, or append (to the last chunk)." };
        var metrics = Defaulted.Option(
            "--metrics",
            "roc_auc,precision,recall,f1,accuracy,specificity",
            "Comma-separated metrics. Classification: " + string.Join(", ", MetricNames.All)
                + ". Regression: " + string.Join(", ", DleMetrics.All.Select(m => m.Name())) + " (when --metrics is not given: all six, as NannyML).");
        var calibration = Defaulted.Option<string>("--calibration", "auto", "Isotonic calibration of scores: auto (NannyML's check decides), always or never.");
        calibration.AcceptOnlyFromAmong("auto", "always", "never");
        var normalization = Defaulted.Option<string>("--confusion-matrix-normalization", "none", "For confusion_matrix: none (counts), all, true or pred.");
        normalization.AcceptOnlyFromAmong("none", "all", "true", "pred");
        var businessValue = new Option<string?>("--business-value-matrix") { Description = "For business_value: the value of TN,FP,FN,TP, e.g. \"2,-5,-10,10\"." };
        var perPrediction = new Option<bool>("--business-value-per-prediction") { Description = "Normalise business value per prediction." };
        var thresholds = new Option<string[]>("--threshold")
        {
            Description = "Per-metric threshold, repeatable: METRIC=std:LOWER,UPPER (multipliers of the reference std; empty disables a side) or METRIC=constant:LOWER,UPPER.",
            AllowMultipleArgumentsPerToken = false,
        };
        var model = Defaulted.Option<string>("--model", "model", "Model name written to the estimate file.");
        var output = new Option<string>("--out") { Description = "Estimate file to write: .parquet, .csv or .json.", Required = true };
        var saveFitted = new Option<string?>("--save-fitted") { Description = "Also write the fitted estimator (JSON) here, to reuse without refitting." };
        var plot = new Option<string?>("--plot") { Description = "Also draw the estimated (and realized) performance per chunk here: .png or .svg." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress on stderr (progress shows only when stderr is a terminal)." };
        var problemOption = Defaulted.Option<string>("--problem", "classification", "classification (binary or multiclass CBPE, the default) or regression (direct loss estimation from --features).");
        var features = new Option<string?>("--features")
        {
            Description = "The model's input columns, comma-separated. Regression: DLE learns each row's expected loss from them and the prediction. Classification with --estimator auto or weighted: the domain classifier learns the shift from them (numeric or categorical, as drift reads them).",
        };
        var estimator = Defaulted.Option<string>("--estimator", "cbpe", "Binary classification: cbpe (plain CBPE, NannyML's), weighted (importance-weighted CBPE: a domain classifier on --features reweights the reference), prior (prior-shift corrected CBPE: the chunk's class prior re-estimated by EM) or auto (chosen per chunk from the evidence; the estimate file's estimator column names it).");
        var domainClassifier = Defaulted.Option<string>("--domain-classifier", "logistic", "With --estimator auto or weighted: logistic (logistic regression, the default) or boosting (gradient-boosted trees, scored out of fold).");
        var seed = Defaulted.Option<int>("--seed", 42, "Regression: seed of the error models (same seed, same estimates).");
        var tune = new Option<bool>("--tune") { Description = "Regression: tune the error models' hyperparameters on a 20 % validation split of the reference (slower)." };

        var command = new Command(
            "estimate",
            "Fit on the reference, estimate every chunk of the analysis, write the estimate file: CBPE for a classifier, direct loss estimation (DLE) for a regression model (--problem regression).")
        {
            reference, analysis, targets, idColumn, yPredProba, yPred, yTrue, timestamp, chunkSize, chunkNumber, chunkPeriod,
            incomplete, metrics, calibration, normalization, businessValue, perPrediction, thresholds, model, output, saveFitted, plot, quiet,
            perClass, problemOption, features, seed, tune, estimator, domainClassifier,
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
                var problem = ProblemTypes.Parse(parse.GetValue(problemOption)!);
                var request = new EstimateRequest(
                    parse.GetValue(reference)!,
                    parse.GetValue(analysis)!,
                    parse.GetValue(targets),
                    parse.GetValue(idColumn),
                    new ColumnMapping
                    {
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
                var chunking = EstimateOptionParsing.ParseChunking(
                    parse.GetValue(chunkSize), parse.GetValue(chunkNumber), parse.GetValue(chunkPeriod), parse.GetValue(incomplete));
                if (problem == ProblemType.Regression)
                {
                    // Options of classifiers only: given explicitly, they are a mistake worth one line, not silence.
                    Option[] classificationOnly = [yPredProba, calibration, businessValue, perPrediction, normalization, perClass, estimator, domainClassifier];
                    if (classificationOnly.FirstOrDefault(o => IsGiven(parse, o)) is { } misplaced)
                    {
                        throw new OptionException($"{misplaced.Name} applies to classification models, not to --problem regression");
                    }

                    var settings = RegressionEstimateRunner.Options(
                        IsGiven(parse, metrics) ? parse.GetValue(metrics) : null,
                        chunking,
                        parse.GetValue(features),
                        parse.GetValue(thresholds) ?? [],
                        parse.GetValue(seed),
                        parse.GetValue(tune));
                    return RegressionEstimateRunner.Run(request, settings, metricsGiven: IsGiven(parse, metrics), stdout, stderr);
                }

                var estimatorName = parse.GetValue(estimator)!;
                if (!ShiftEstimators.TryParse(estimatorName, out var shiftEstimator))
                {
                    throw new OptionException($"--estimator: '{estimatorName}' is not one of {string.Join(", ", ShiftEstimators.All)}");
                }

                if (new Option[] { seed, tune }.FirstOrDefault(o => IsGiven(parse, o)) is { } regressionOnly)
                {
                    throw new OptionException($"{regressionOnly.Name} applies to regression models: give --problem regression");
                }

                if (shiftEstimator == ShiftEstimator.Cbpe && IsGiven(parse, features))
                {
                    throw new OptionException("--features applies to regression models: give --problem regression (or, for a binary classifier, --estimator auto, weighted or prior)");
                }

                if (shiftEstimator == ShiftEstimator.Cbpe && IsGiven(parse, domainClassifier))
                {
                    throw new OptionException("--domain-classifier applies to --estimator auto and weighted");
                }

                var scores = parse.GetValue(yPredProba)!;
                var classScores = EstimateOptionParsing.ParseClassScores(scores);
                request = request with { Columns = request.Columns with { YPredProba = scores, ClassScores = classScores } };
                var options = EstimateOptionParsing.BuildOptions(
                    parse.GetValue(metrics)!,
                    chunking,
                    parse.GetValue(calibration)!,
                    parse.GetValue(normalization)!,
                    parse.GetValue(businessValue),
                    parse.GetValue(perPrediction),
                    parse.GetValue(thresholds) ?? []);
                if (classScores is not null && shiftEstimator != ShiftEstimator.Cbpe)
                {
                    throw new OptionException($"--estimator {estimatorName} applies to binary models; a multiclass model is estimated with plain CBPE (--estimator cbpe)");
                }

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

                if (shiftEstimator != ShiftEstimator.Cbpe)
                {
                    var shift = ShiftEstimateRunner.Options(options, shiftEstimator, parse.GetValue(features), parse.GetValue(domainClassifier)!);
                    return ShiftEstimateRunner.Run(request, shift, stdout, stderr);
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

    /// <summary>Whether the option was on the command line (not merely its default value).</summary>
    private static bool IsGiven(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}

/// <summary>An option value that cannot be used; reported as a one-line error.</summary>
internal sealed class OptionException(string message) : Exception(message);
