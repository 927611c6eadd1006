using Estimator.Scenarios;

namespace Estimator.Cli;

/// <summary><c>estimator generate</c>: write a seeded synthetic scenario (reference, analysis, analysis targets) as Parquet.</summary>
internal static class GenerateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var scenario = new Option<string>("--scenario") { Description = "The world: " + string.Join(", ", ScenarioNames.All) + ".", Required = true };
        scenario.AcceptOnlyFromAmong([.. ScenarioNames.All]);
        var rows = Defaulted.Option<int>("--rows", 20_000, "Rows in each of the reference and analysis periods.");
        var seed = Defaulted.Option<int>("--seed", 42, "Random seed; the same seed gives the same files.");
        var uncalibrated = new Option<bool>("--uncalibrated") { Description = "Give the model over-confident (uncalibrated) scores." };
        var batches = Defaulted.Option<int>("--label-batches", 3, "For label_delay: number of target files, by arrival.");
        var analysisFiles = Defaulted.Option<int>("--analysis-files", 1, "Cut the analysis into this many files, analysis/part-NNNN.parquet in time order (a backlog of arrivals for the job host).");
        var output = new Option<string>("--out") { Description = "Directory to write reference.parquet, analysis.parquet and the target file(s) into.", Required = true };

        var command = new Command("generate", "Write a synthetic scenario whose ground truth is known: a binary classifier's, or a regression model's (regression_*).")
        {
            scenario, rows, seed, uncalibrated, batches, analysisFiles, output,
        };
        command.SetAction(parse =>
        {
            // Checked here, not in a validator: validators do not see option defaults.
            if (parse.GetValue(rows) < 2 || parse.GetValue(batches) < 1)
            {
                stderr.WriteLine("error: --rows must be at least 2 and --label-batches at least 1");
                return EstimatorCli.BadInput;
            }

            if (parse.GetValue(analysisFiles) < 1 || parse.GetValue(analysisFiles) > parse.GetValue(rows))
            {
                stderr.WriteLine("error: --analysis-files must be between 1 and --rows");
                return EstimatorCli.BadInput;
            }

            var options = new ScenarioOptions
            {
                ReferenceRows = parse.GetValue(rows),
                AnalysisRows = parse.GetValue(rows),
                Seed = parse.GetValue(seed),
                CalibratedScores = !parse.GetValue(uncalibrated),
                LabelBatches = parse.GetValue(batches),
            };
            var world = ScenarioNames.Parse(parse.GetValue(scenario)!);
            if (world.IsRegression())
            {
                return GenerateRegression(world, options, parse.GetValue(analysisFiles), parse.GetValue(output)!, stdout, stderr);
            }

            var data = ScenarioGenerator.Generate(world, options);
            return EstimatorCli.Guarded(stderr, () =>
            {
                var paths = ScenarioFileWriter.Write(data, parse.GetValue(output)!, parse.GetValue(analysisFiles));
                foreach (var path in paths)
                {
                    stdout.WriteLine(path);
                }

                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{data.Scenario.ToName()}: {options.ReferenceRows} reference and {options.AnalysisRows} analysis rows, seed {options.Seed}; columns id, timestamp, x1..x3, y_pred_proba, y_pred, y_true"));
                return 0;
            });
        });
        return command;
    }

    // A regression world: one analysis file, its targets with each row's true expected errors.
    private static int GenerateRegression(Scenario world, ScenarioOptions options, int analysisFiles, string output, TextWriter stdout, TextWriter stderr)
    {
        if (analysisFiles != 1 || options.ReferenceRows < 20)
        {
            stderr.WriteLine("error: a regression world needs --rows of at least 20 and is written as one analysis file (no --analysis-files)");
            return EstimatorCli.BadInput;
        }

        var data = RegressionScenarioGenerator.Generate(world, options);
        return EstimatorCli.Guarded(stderr, () =>
        {
            foreach (var path in RegressionScenarioFileWriter.Write(data, output))
            {
                stdout.WriteLine(path);
            }

            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{world.ToName()}: {options.ReferenceRows} reference and {options.AnalysisRows} analysis rows, seed {options.Seed}; columns id, timestamp, x1..x3, g, y_pred, y_true; targets id, y_true, exp_abs_err, exp_sq_err"));
            return 0;
        });
    }
}
