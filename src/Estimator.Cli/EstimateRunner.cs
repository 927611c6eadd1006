namespace Estimator.Cli;

/// <summary>What <c>estimator estimate</c> was asked to do.</summary>
internal sealed record EstimateRequest(
    string Reference,
    string Analysis,
    string? Targets,
    string? IdColumn,
    ColumnMapping Columns,
    string Model,
    string Output,
    string? SaveFitted,
    bool Quiet = false)
{
    /// <summary>Chart file to write (.png or .svg); null for none.</summary>
    public string? Plot { get; init; }
}

/// <summary>Runs one estimate: read, fit, estimate, write. Bad input ends with a one-line error and no output file.</summary>
internal static class EstimateRunner
{
    public static int Run(EstimateRequest request, CbpeOptions options, TextWriter stdout, TextWriter stderr) =>
        EstimatorCli.Guarded(stderr, () =>
        {
            PhaseClock.Mark("start");
            EnsureWritableTarget(request.Output);
            using var outputs = Outputs(request);
            var needsPredictions = options.Metrics.Any(m => m.RequiresPredictions());

            var analysisColumns = request.Targets is null ? request.Columns : request.Columns with { YTrue = null };

            // An analysis file read whole (CSV, or any file joined with targets) is read on the second core while the
            // reference is read and fitted; a reference or fit error is still the one reported, and stops that read.
            using var stopAnalysisRead = new CancellationTokenSource();
            var analysisRead = request.Targets is null && IsParquet(request.Analysis)
                ? null
                : Task.Run(() => PredictionFileReader.ReadAsync(request.Analysis, analysisColumns, requireTargets: false, requirePredictions: needsPredictions, stopAnalysisRead.Token));
            FittedCbpe fitted;
            try
            {
                var reference = PredictionFileReader.Read(request.Reference, request.Columns with { Id = null }, requireTargets: true, requirePredictions: needsPredictions);
                PhaseClock.Mark("read reference");
                fitted = WithFile(request.Reference, () => Cbpe.Fit(reference.Set, options));
                PhaseClock.Mark("fit");
            }
            catch when (analysisRead is not null)
            {
                // Stop the read and let it end (its own error, if any, is dropped) so no file stays open behind the reported one.
                stopAnalysisRead.Cancel();
                analysisRead.ContinueWith(static _ => { }, TaskScheduler.Default).Wait();
                throw;
            }

            var streamed = analysisRead is null ? TryStream(request, analysisColumns, fitted, stderr) : null;
            if (streamed is not null)
            {
                return Finish(streamed, fitted, request, outputs, stdout, stderr);
            }

            var analysis = analysisRead is not null
                ? analysisRead.GetAwaiter().GetResult()
                : PredictionFileReader.Read(request.Analysis, analysisColumns, requireTargets: false, requirePredictions: needsPredictions);
            PhaseClock.Mark("read analysis");
            var analysisSet = analysis.Set;
            if (request.Targets is not null)
            {
                var join = TargetJoin.LeftJoin(analysis, request.Targets, request.IdColumn!, request.Columns.YTrue ?? "y_true");
                analysisSet = analysisSet.WithTargets(join.Targets);
                ReportJoin(join, request, stderr);
            }

            var result = WithFile(request.Analysis, () => fitted.Estimate(analysisSet, request.Model));
            PhaseClock.Mark("estimate");
            return Finish(result, fitted, request, outputs, stdout, stderr);
        });

    /// <summary>What a target join left unmatched, on stderr.</summary>
    internal static void ReportJoin(TargetJoinResult join, EstimateRequest request, TextWriter stderr)
    {
        if (join.UnmatchedTargetIds > 0)
        {
            stderr.WriteLine(Invariant($"warning: {join.UnmatchedTargetIds} target ids in '{request.Targets}' match no analysis row; they are ignored"));
        }

        if (join.RowsWithoutTarget > 0)
        {
            stderr.WriteLine(Invariant($"note: {join.RowsWithoutTarget} analysis rows have no target yet; realized values use the labelled rows"));
        }
    }

    private static int Finish(CbpeResult result, FittedCbpe fitted, EstimateRequest request, CommandOutputs outputs, TextWriter stdout, TextWriter stderr)
    {
        if (outputs.Staged("--save-fitted") is { } fittedPath)
        {
            AtomicFile.WriteText(fittedPath, fitted.ToJson());
        }

        EstimateFileWriter.Write(result, outputs.Staged("--out")!);
        PhaseClock.Mark("write");
        if (outputs.Staged("--plot") is { } plotPath)
        {
            Plots.PerformancePlot.Render(result).Save(plotPath);
        }

        outputs.Commit();
        Summarize(result, request, stdout, stderr);
        return 0;
    }

    /// <summary>
    /// Streams a Parquet analysis file row group by row group (bounded memory, progress on a terminal); null when the
    /// file is not Parquet, or when its timestamps are out of order (the in-memory path sorts them).
    /// </summary>
    private static CbpeResult? TryStream(EstimateRequest request, ColumnMapping columns, FittedCbpe fitted, TextWriter stderr)
    {
        if (!IsParquet(request.Analysis))
        {
            return null;
        }

        using var progress = TerminalProgress.Create(request.Quiet, stderr);
        try
        {
            var result = StreamingFileEstimator.EstimateFileAsync(request.Analysis, columns, fitted, request.Model, null, progress.Reporter())
                .GetAwaiter().GetResult();
            PhaseClock.Mark("stream analysis");
            return result;
        }
        catch (EstimatorDataException e) when (e.Kind == DataProblem.TimestampsOutOfOrder)
        {
            progress.Dispose();
            stderr.WriteLine("note: the analysis rows are not in timestamp order; reading the whole file to sort it");
            return null;
        }
    }

    private static bool IsParquet(string path) => Path.GetExtension(path).ToUpperInvariant() is ".PARQUET" or ".PARQ";

    internal static T WithFile<T>(string file, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (EstimatorDataException e) when (e.File is null)
        {
            throw e.WithFile(file);
        }
    }

    internal static void EnsureWritableTarget(string output)
    {
        var extension = Path.GetExtension(output).ToUpperInvariant();
        if (extension is not (".PARQUET" or ".CSV" or ".JSON"))
        {
            throw new OptionException($"--out '{output}': the extension must be .parquet, .csv or .json");
        }
    }

    /// <summary>The command's outputs, checked against its inputs and staged until the whole command succeeds.</summary>
    internal static CommandOutputs Outputs(EstimateRequest request)
    {
        var outputs = new CommandOutputs()
            .Input("--reference", request.Reference)
            .Input("--analysis", request.Analysis)
            .Input("--targets", request.Targets);
        try
        {
            outputs.Output("--out", request.Output);
            outputs.Output("--save-fitted", request.SaveFitted);
            outputs.Output("--plot", request.Plot);
            return outputs;
        }
        catch
        {
            outputs.Dispose();
            throw;
        }
    }

    private static void Summarize(CbpeResult result, EstimateRequest request, TextWriter stdout, TextWriter stderr)
    {
        var referenceChunks = result.Rows.Where(r => r.Period == Period.Reference).Select(r => r.Chunk.Index).Distinct().Count();
        if (referenceChunks < 2)
        {
            stderr.WriteLine(Invariant($"warning: the reference forms {referenceChunks} chunk with this chunking; thresholds need the spread of at least 2 reference chunks, so none is set and no threshold alert is raised (use a smaller chunk size or a larger reference)"));
        }

        var analysisRows = result.Rows.Where(r => r.Period == Period.Analysis).ToList();
        var analysisCount = analysisRows.Select(r => (r.Chunk.Index, r.Chunk.Rows)).Distinct().Sum(c => c.Rows);
        if (result.RowsMissingScore > 0 && result.RowsMissingScore >= analysisCount)
        {
            stderr.WriteLine(Invariant($"warning: every one of the {result.RowsMissingScore} analysis rows of '{request.Analysis}' has no score ({request.Columns.YPredProba}): nothing could be estimated, every estimate is empty"));
        }
        else if (result.RowsMissingScore > 0)
        {
            stderr.WriteLine(Invariant($"note: {result.RowsMissingScore} analysis rows have no score and were left out of every metric"));
        }

        if (result.RowsMissingPrediction > 0)
        {
            stderr.WriteLine(Invariant($"note: {result.RowsMissingPrediction} analysis rows have no predicted label ({request.Columns.YPred}); they count in roc_auc and average_precision but are left out of the metrics computed from predicted labels"));
        }

        var chunks = analysisRows.Select(r => r.Chunk.Index).Distinct().Count();
        var calibration = result.Calibration;
        stdout.WriteLine(Invariant($"{request.Model}: {chunks} analysis chunks estimated, {result.Rows.Count} rows written to {request.Output}"));
        stdout.WriteLine($"calibration: {(calibration.Applied ? "applied" : "not applied")} ({calibration.Reason})");
        WriteAlerts(analysisRows, stdout);
    }

    /// <summary>One line per metric: its alerting chunks, or "no alert".</summary>
    internal static void WriteAlerts(IEnumerable<ChunkEstimate> analysisRows, TextWriter stdout)
    {
        foreach (var group in analysisRows.GroupBy(r => r.Metric))
        {
            var alerts = group.Where(r => r.Alert).Select(r => r.Chunk.Key).ToList();
            stdout.WriteLine(alerts.Count == 0
                ? $"  {group.Key}: no alert"
                : Invariant($"  {group.Key}: {alerts.Count} alert(s) in {string.Join(", ", alerts)}"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
