using Estimator.Estimation.Multiclass;

namespace Estimator.Cli;

/// <summary>
/// <c>estimator estimate</c> for a multiclass model (<c>--y-pred-proba CLASS=COLUMN,...</c>): read, fit multiclass
/// CBPE, estimate, write. Bad input ends with a one-line error and no output file, as for binary models.
/// </summary>
internal static class MulticlassEstimateRunner
{
    /// <summary>
    /// The multiclass options from the ones the command parsed for binary CBPE: same metrics, chunking, calibration,
    /// thresholds and confusion-matrix normalisation; business value has no multiclass form.
    /// </summary>
    public static MulticlassCbpeOptions Options(CbpeOptions binary, bool perClass, bool businessValueGiven)
    {
        foreach (var metric in binary.Metrics)
        {
            if (!MulticlassCbpeOptions.SupportedMetrics.Contains(metric))
            {
                throw new OptionException(
                    $"--metrics: multiclass CBPE does not estimate '{metric.ToName()}'; it estimates {string.Join(", ", MulticlassCbpeOptions.SupportedMetrics.Select(m => m.ToName()))}");
            }
        }

        if (businessValueGiven)
        {
            throw new OptionException("--business-value-matrix and --business-value-per-prediction apply to binary models only");
        }

        return new MulticlassCbpeOptions
        {
            Metrics = binary.Metrics,
            Chunking = binary.Chunking,
            Calibration = binary.Calibration,
            Thresholds = binary.Thresholds,
            ConfusionMatrixNormalization = binary.ConfusionMatrixNormalization,
            PerClassRows = perClass,
        };
    }

    public static int Run(EstimateRequest request, MulticlassCbpeOptions options, TextWriter stdout, TextWriter stderr) =>
        EstimatorCli.Guarded(stderr, () =>
        {
            EstimateRunner.EnsureWritableTarget(request.Output);
            using var outputs = EstimateRunner.Outputs(request);
            var needsPredictions = options.Metrics.Any(m => m.RequiresPredictions());

            var reference = MulticlassFileReader.Read(request.Reference, request.Columns with { Id = null }, requireTargets: true, requirePredictions: needsPredictions);
            WarnScoreSum(reference, stderr);
            var fitted = EstimateRunner.WithFile(request.Reference, () => new MulticlassCbpeCalculator(options).Fit(reference.Data));

            var analysisColumns = request.Targets is null ? request.Columns : request.Columns with { YTrue = null };
            var analysis = MulticlassFileReader.Read(request.Analysis, analysisColumns, requireTargets: false, requirePredictions: needsPredictions);
            WarnScoreSum(analysis, stderr);
            if (request.Targets is not null)
            {
                var join = TargetJoin.LeftJoinClassLabelsAsync(analysis, request.Targets, request.IdColumn!, request.Columns.YTrue ?? "y_true")
                    .GetAwaiter().GetResult();
                analysis = analysis.WithTargets(join.Targets);
                EstimateRunner.ReportJoin(join, request, stderr);
            }

            var result = EstimateRunner.WithFile(request.Analysis, () => fitted.Estimate(analysis.Data, request.Model));
            if (outputs.Staged("--save-fitted") is { } fittedPath)
            {
                AtomicFile.WriteText(fittedPath, fitted.ToJson());
            }

            EstimateFileWriter.Write(result, outputs.Staged("--out")!);
            if (outputs.Staged("--plot") is { } plotPath)
            {
                // The chart shows the macro-averaged rows, one panel per metric, as for a binary model.
                var macro = EstimateRecord.FromRows(result.Model, [.. result.Rows.Where(r => r.Class is null)]);
                Plots.PerformancePlot.Render(macro).Save(plotPath);
            }

            outputs.Commit();

            Summarize(result, request, stdout, stderr);
            return 0;
        });

    /// <summary>One warning line per file whose scores do not sum to 1 (not an error: NannyML takes them as they are).</summary>
    private static void WarnScoreSum(MulticlassPredictionData data, TextWriter stderr)
    {
        if (data.RowsScoreSumOff > 0)
        {
            stderr.WriteLine(Invariant(
                $"warning: {data.RowsScoreSumOff} rows of '{data.Source}' have class scores that do not sum to 1 (off by more than {MulticlassFileReader.ScoreSumTolerance}); they are used as they are, as NannyML does not renormalise raw scores, but the realized roc_auc and the calibration assume probabilities"));
        }
    }

    private static void Summarize(MulticlassCbpeResult result, EstimateRequest request, TextWriter stdout, TextWriter stderr)
    {
        if (result.RowsMissingScore > 0)
        {
            stderr.WriteLine(Invariant($"note: {result.RowsMissingScore} analysis rows miss a class score and were left out of every metric"));
        }

        var analysisRows = result.Rows.Where(r => r.Period == Period.Analysis).ToList();
        var chunks = analysisRows.Select(r => r.Chunk.Index).Distinct().Count();
        stdout.WriteLine(Invariant($"{request.Model}: {result.Classes.Count} classes, {chunks} analysis chunks estimated, {result.Rows.Count} rows written to {request.Output}"));
        var calibration = result.Classes.Select((c, k) => $"{c} {(result.Calibration[k].Applied ? "applied" : "not applied")}");
        stdout.WriteLine($"calibration: {string.Join(", ", calibration)}");
        foreach (var group in analysisRows.GroupBy(r => (r.Metric, r.Class)))
        {
            var name = group.Key.Class is null ? group.Key.Metric : $"{group.Key.Metric} [{group.Key.Class}]";
            var alerts = group.Where(r => r.Alert).Select(r => r.Chunk.Key).ToList();
            stdout.WriteLine(alerts.Count == 0
                ? $"  {name}: no alert"
                : Invariant($"  {name}: {alerts.Count} alert(s) in {string.Join(", ", alerts)}"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
