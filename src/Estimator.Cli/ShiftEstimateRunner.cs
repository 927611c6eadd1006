using Estimator.Estimation.Shift;

namespace Estimator.Cli;

/// <summary>
/// <c>estimator estimate --estimator auto|weighted|prior</c> on a binary model: reads the model's outputs and its input
/// features (kinds inferred as for drift), fits shift-aware CBPE, estimates, writes the estimate file with the
/// <c>estimator</c> and <c>effective_sample_size</c> columns filled, and prints each chunk's choice with its evidence.
/// Bad input ends with one <c>error:</c> line and no output file.
/// </summary>
internal static class ShiftEstimateRunner
{
    /// <summary>The options from the command's text options; each bad value is an <see cref="OptionException"/>.</summary>
    public static ShiftAwareCbpeOptions Options(CbpeOptions cbpe, ShiftEstimator estimator, string? features, string domainClassifier)
    {
        var featureList = FeatureCommandOptions.List(features, "--features");
        if (estimator is ShiftEstimator.Weighted or ShiftEstimator.Auto && featureList.Count == 0)
        {
            throw new OptionException($"--estimator {estimator.Name()} needs --features: the model's input columns, comma-separated (the domain classifier learns the shift from them)");
        }

        if (!DomainLearners.TryParse(domainClassifier, out var learner))
        {
            throw new OptionException($"--domain-classifier: '{domainClassifier}' is not logistic or boosting");
        }

        return new ShiftAwareCbpeOptions { Cbpe = cbpe, Estimator = estimator, Features = featureList, Learner = learner };
    }

    public static int Run(EstimateRequest request, ShiftAwareCbpeOptions options, TextWriter stdout, TextWriter stderr) =>
        EstimatorCli.Guarded(stderr, () =>
        {
            EstimateRunner.EnsureWritableTarget(request.Output);
            using var outputs = EstimateRunner.Outputs(request);
            var needsPredictions = options.Cbpe.Metrics.Any(m => m.RequiresPredictions());
            var reference = PredictionFileReader.Read(request.Reference, request.Columns with { Id = null }, requireTargets: true, requirePredictions: needsPredictions);
            var referenceData = reference.Set.WithFeatures(request.Reference, options.Features);
            var fitted = EstimateRunner.WithFile(request.Reference, () => new ShiftAwareCbpeCalculator(options).Fit(referenceData, ComputeOptions.Default));

            var analysisColumns = request.Targets is null ? request.Columns : request.Columns with { YTrue = null };
            var analysis = PredictionFileReader.Read(request.Analysis, analysisColumns, requireTargets: false, requirePredictions: needsPredictions);
            var analysisSet = analysis.Set;
            if (request.Targets is not null)
            {
                var join = TargetJoin.LeftJoin(analysis, request.Targets, request.IdColumn!, request.Columns.YTrue ?? "y_true");
                analysisSet = analysisSet.WithTargets(join.Targets);
                EstimateRunner.ReportJoin(join, request, stderr);
            }

            var analysisData = analysisSet.WithFeatures(request.Analysis, options.Features);
            var result = EstimateRunner.WithFile(request.Analysis, () => fitted.Estimate(analysisData, request.Model, ComputeOptions.Default));
            if (outputs.Staged("--save-fitted") is { } fittedPath)
            {
                // The shift-aware fit with the reference rows its estimators refit on; read back by CalculatorJson.
                AtomicFile.WriteText(fittedPath, fitted.ToJson());
            }

            outputs.CommitEstimates(result);
            Summarize(result, request, options, stdout, stderr);
            return 0;
        });

    private static void Summarize(ShiftAwareResult result, EstimateRequest request, ShiftAwareCbpeOptions options, TextWriter stdout, TextWriter stderr)
    {
        var plain = result.Plain;
        if (plain.RowsMissingScore > 0)
        {
            stderr.WriteLine(Invariant($"note: {plain.RowsMissingScore} analysis rows have no score and were left out of every metric"));
        }

        var analysisRows = result.Rows.Where(r => r.Period == Period.Analysis).ToList();
        stdout.WriteLine(Invariant($"{request.Model}: {result.Evidence.Count} analysis chunks estimated (--estimator {options.Estimator.Name()}), {result.Rows.Count} rows written to {request.Output}"));
        stdout.WriteLine($"calibration: {(plain.Calibration.Applied ? "applied" : "not applied")} ({plain.Calibration.Reason})");
        foreach (var e in result.Evidence)
        {
            stdout.WriteLine(Invariant($"  chunk {e.ChunkIndex}: {e.Estimator.Name()} — {e.Reason}"));
        }

        EstimateRunner.WriteAlerts(analysisRows, stdout);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
