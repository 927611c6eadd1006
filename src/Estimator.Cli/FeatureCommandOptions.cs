namespace Estimator.Cli;

/// <summary>The options <c>estimator drift</c> and <c>estimator quality</c> share: files, timestamp, chunking, output.</summary>
internal sealed class FeatureCommandOptions
{
    /// <summary>
    /// A feature command: its own options, then the shared ones; the action runs <paramref name="calculate"/> (bad input
    /// ends as one <c>error:</c> line) and writes the results it returns to <c>--out</c>.
    /// </summary>
    public static Command Create(
        string name,
        string description,
        IEnumerable<Option> options,
        TextWriter stdout,
        TextWriter stderr,
        Func<ParseResult, FeatureCommandOptions, IReadOnlyList<CalculatorResult>> calculate)
    {
        var shared = new FeatureCommandOptions { Stderr = stderr };
        var command = new Command(name, description);
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        shared.AddTo(command);
        command.SetAction(parse => EstimatorCli.Guarded(stderr, () =>
        {
            // The output is checked before the work and written only when all of it succeeded.
            using var outputs = new CommandOutputs().Input("--reference", parse.GetValue(shared.Reference)).Input("--analysis", parse.GetValue(shared.Analysis));
            outputs.Output("--out", parse.GetValue(shared.Output));
            return shared.Write(parse, calculate(parse, shared), outputs, stdout);
        }));
        return command;
    }

    /// <summary>Where notes go (the out-of-order fallback).</summary>
    public TextWriter Stderr { get; private init; } = TextWriter.Null;

    public Option<string> Reference { get; } = new("--reference") { Description = "Reference data (Parquet or CSV).", Required = true };

    public Option<string> Analysis { get; } = new("--analysis") { Description = "Analysis data to compare with the reference (Parquet or CSV).", Required = true };

    public Option<string?> Timestamp { get; } = new("--timestamp") { Description = "Timestamp column; rows are sorted by it before chunking. Needed for --chunk-period." };

    // Chunk options are read as text and parsed when the command runs (as estimate's are): a validator that asked the
    // library for the int of "abc" would crash the process instead of reporting the option.
    public Option<string?> ChunkSize { get; } = new("--chunk-size") { Description = "Rows per chunk." };

    public Option<string?> ChunkNumber { get; } = new("--chunk-number") { Description = "Number of chunks (size = rows / number)." };

    public Option<string?> ChunkPeriod { get; } = new("--chunk-period") { Description = "Calendar period per chunk: day, week, month, quarter or year (pandas' D, W, M, Q, Y also accepted)." };

    public Option<string> Model { get; } = Defaulted.Option("--model", "model", "Model name written to the output file.");

    public Option<string> Output { get; } = new("--out") { Description = "File to write: .parquet, .csv or .json (one row per chunk × calculator × column × method).", Required = true };

    private void AddTo(Command command)
    {
        foreach (var option in new Option[] { Reference, Analysis, Timestamp, ChunkSize, ChunkNumber, ChunkPeriod, Model, Output })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            var chosen = (result.GetResult(ChunkSize) is null ? 0 : 1) + (result.GetResult(ChunkNumber) is null ? 0 : 1) + (result.GetResult(ChunkPeriod) is null ? 0 : 1);
            if (chosen > 1)
            {
                result.AddError("Give at most one of --chunk-size, --chunk-number and --chunk-period.");
            }

            if (result.GetValue(ChunkPeriod) is not null && result.GetValue(Timestamp) is null)
            {
                result.AddError("--chunk-period needs --timestamp: period chunks are formed from the timestamp column.");
            }

            if (result.GetValue(Output) is string path && Path.GetExtension(path).ToUpperInvariant() is not (".PARQUET" or ".PARQ" or ".CSV" or ".JSON"))
            {
                result.AddError($"--out: the extension of '{path}' must be .parquet, .parq, .csv or .json.");
            }
        });
    }

    public Chunking Chunking(ParseResult parse) =>
        parse.GetValue(ChunkSize) is string size ? Estimator.Chunking.BySize(Count(size, "--chunk-size"))
        : parse.GetValue(ChunkNumber) is string number ? Estimator.Chunking.ByNumber(Count(number, "--chunk-number"))
        : parse.GetValue(ChunkPeriod) is string text ? Estimator.Chunking.ByPeriod(
            ChunkingSyntax.TryParsePeriod(text, out var period, out var error) ? period : throw new OptionException($"--chunk-period: {error}"))
        : Estimator.Chunking.Default;

    private static int Count(string text, string option) =>
        ChunkingSyntax.TryParseCount(text, out var count, out var error) ? count : throw new OptionException($"{option}: {error}");

    /// <summary>Reads the columns from both files (the reference first, so its errors come first).</summary>
    public (ModelData Reference, ModelData Analysis) Read(ParseResult parse, IReadOnlyList<string> columns)
    {
        var timestamp = parse.GetValue(Timestamp);
        return (FeatureFileReader.Read(parse.GetValue(Reference)!, columns, timestamp), FeatureFileReader.Read(parse.GetValue(Analysis)!, columns, timestamp));
    }

    /// <summary>
    /// Fits every calculator on the reference, then calculates the analysis: a Parquet analysis file of several row groups is
    /// streamed row group by row group (memory bounded by a row group and the open chunk), a CSV file, one whose timestamps are out
    /// of order (the in-memory path sorts them) or <paramref name="stream"/> false is read whole. Same rows either way.
    /// </summary>
    public IReadOnlyList<CalculatorResult> FitAndCalculate(ParseResult parse, IReadOnlyList<ICalculator> calculators, IReadOnlyList<string> columns, bool stream = true)
    {
        var timestamp = parse.GetValue(Timestamp);
        var analysisPath = parse.GetValue(Analysis)!;
        if (!stream || !StreamingFeatureFile.WorthStreaming(analysisPath))
        {
            var (reference, analysis) = Read(parse, columns);
            return [.. calculators.Select(c => FitAndCalculate(parse, c, reference, analysis))];
        }

        var referenceData = FeatureFileReader.Read(parse.GetValue(Reference)!, columns, timestamp);
        var fitted = calculators.Select(c => Fit(parse, c, referenceData)).ToList();
        try
        {
            return EstimateRunner.WithFile(analysisPath, () =>
                StreamingFeatureFile.CalculateAsync(analysisPath, columns, timestamp, fitted, parse.GetValue(Model)!).GetAwaiter().GetResult());
        }
        catch (EstimatorDataException e) when (e.Kind == DataProblem.TimestampsOutOfOrder)
        {
            Stderr.WriteLine("note: the analysis rows are not in timestamp order; reading the whole file to sort it");
            var analysis = FeatureFileReader.Read(analysisPath, columns, timestamp);
            return [.. fitted.Select(f => Calculate(parse, f, analysis))];
        }
    }

    /// <summary>Fits <paramref name="calculator"/> on the reference and calculates the analysis under <c>--model</c>'s name.</summary>
    /// <remarks>The calculators convert the columns as they read them and do not know the file: a bad value is named with the file it came from.</remarks>
    public CalculatorResult FitAndCalculate(ParseResult parse, ICalculator calculator, ModelData reference, ModelData analysis) =>
        Calculate(parse, Fit(parse, calculator, reference), analysis);

    private IFittedCalculator Fit(ParseResult parse, ICalculator calculator, ModelData reference)
    {
        try
        {
            return calculator.Fit(reference, ComputeOptions.Default);
        }
        catch (EstimatorDataException e) when (e.File is null && e.Column is not null)
        {
            throw e.WithFile(parse.GetValue(Reference)!);
        }
    }

    private CalculatorResult Calculate(ParseResult parse, IFittedCalculator fitted, ModelData analysis)
    {
        try
        {
            return fitted.Calculate(analysis, parse.GetValue(Model)!, ComputeOptions.Default);
        }
        catch (EstimatorDataException e) when (e.File is null && e.Column is not null)
        {
            throw e.WithFile(parse.GetValue(Analysis)!);
        }
    }

    /// <summary>Splits a comma-separated list; empty entries are an error naming the option.</summary>
    public static List<string> List(string? text, string option)
    {
        if (text is null)
        {
            return [];
        }

        var items = text.Split(',', StringSplitOptions.TrimEntries);
        if (items.Any(i => i.Length == 0))
        {
            throw new OptionException($"{option}: empty entry in '{text}'");
        }

        var twice = items.GroupBy(i => i, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? [.. items] : throw new OptionException($"{option}: '{twice.Key}' is listed twice");
    }

    /// <summary>Writes the results and prints one line per alerting analysis row group.</summary>
    public int Write(ParseResult parse, IReadOnlyList<CalculatorResult> results, CommandOutputs outputs, TextWriter stdout)
    {
        var path = parse.GetValue(Output)!;
        DriftFileWriter.Write(results, outputs.Staged("--out")!);
        outputs.Commit();
        var rows = results.SelectMany(r => r.Rows).ToList();
        var analysis = rows.Where(r => r.Period == Period.Analysis).ToList();
        stdout.WriteLine(FormattableString.Invariant($"{rows.Count} rows ({analysis.Select(r => r.Chunk.Key).Distinct().Count()} analysis chunks) written to {path}"));
        foreach (var group in analysis.Where(r => r.Alert).GroupBy(r => (r.Calculator, r.Column, r.Metric)))
        {
            var column = group.Key.Column ?? "(all rows)";
            stdout.WriteLine(FormattableString.Invariant($"alert: {group.Key.Calculator.Name()} {column} {group.Key.Metric} in {group.Count()} chunk(s): {string.Join(", ", group.Select(r => r.Chunk.Key))}"));
        }

        return 0;
    }
}
