using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Estimator.Cli;

/// <summary>The <c>estimator</c> command line: one root command with a subcommand per job.</summary>
internal static class EstimatorCli
{
    /// <summary>Exit code for bad input (data or options); 0 is success, 1 an unexpected failure.</summary>
    public const int BadInput = 2;

    /// <summary>Parses <paramref name="args"/> and runs the chosen subcommand, writing to the given streams.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // A fitted DLE or shift-aware CBPE saved by --save-fitted is read back through CalculatorJson; register its reader before any read.
        LearningCalculators.Register();
        var root = new RootCommand(
            "Estimator: estimates a model's performance on unlabelled production data (CBPE for binary and multiclass classifiers, DLE for regression models; NannyML-compatible).");
        root.Subcommands.Add(EstimateCommand.Create(stdout, stderr));
        root.Subcommands.Add(BenchCommand.Create(stdout, stderr));
        root.Subcommands.Add(GenerateCommand.Create(stdout, stderr));
        root.Subcommands.Add(ServeCommand.Create(stdout, stderr));
        root.Subcommands.Add(RunCommand.Create(stdout, stderr));
        root.Subcommands.Add(ReconcileCommand.Create(stdout, stderr));
        root.Subcommands.Add(DriftCommand.Create(stdout, stderr));
        root.Subcommands.Add(QualityCommand.Create(stdout, stderr));
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            // Every command's --help ends with the exit codes a script can test.
            help.Action = new HelpWithExitCodes((SynchronousCommandLineAction)help.Action!);
        }

        var verbose = new Option<bool>("--verbose") { Description = "On an unexpected failure, also print the stack trace.", Recursive = true };
        root.Options.Add(verbose);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line per problem and a usage exit code, instead of the library's error-plus-help page.
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"error: {OneLine(error)}");
            }

            stderr.WriteLine("(run with --help for the options)");
            return BadInput;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Anything the commands did not turn into a bad-input line is a bug or the environment: one line, exit 1,
            // and the stack trace only when asked for.
            stderr.WriteLine($"error: unexpected failure: {e.GetType().Name}: {e.Message}{(parse.GetValue(verbose) ? "" : " (run with --verbose for the stack trace)")}");
            if (parse.GetValue(verbose))
            {
                stderr.WriteLine(e.ToString());
            }

            return 1;
        }
    }

    /// <summary>
    /// A parse error as one line that names its option: the library's message for an enum value lists the allowed
    /// values on separate lines and does not say which option it is about.
    /// </summary>
    private static string OneLine(ParseError error)
    {
        var message = string.Join(' ', error.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var option = error.SymbolResult switch
        {
            OptionResult o => o.Option.Name,
            ArgumentResult { Parent: OptionResult o } => o.Option.Name,
            _ => null,
        };
        return option is null || message.Contains(option, StringComparison.Ordinal) ? message : $"{option}: {message}";
    }

    /// <summary>The library's help page followed by the exit codes.</summary>
    private sealed class HelpWithExitCodes(SynchronousCommandLineAction help) : SynchronousCommandLineAction
    {
        /// <summary>As for the library's help: <c>estimate --help</c> is not an error for lacking required options.</summary>
        public override bool ClearsParseErrors => help.ClearsParseErrors;

        public override int Invoke(ParseResult parseResult)
        {
            var code = help.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Exit codes:");
            output.WriteLine("  0  success");
            output.WriteLine("  1  unexpected failure (a bug or an environment problem; the message says which)");
            output.WriteLine($"  {BadInput}  bad input: an option, file, column or value is wrong (one line starting with 'error:' names it)");
            return code;
        }
    }

    /// <summary>Runs a command body; bad input (data, options, files) ends as one line <c>error: ...</c> and exit code 2.</summary>
    internal static int Guarded(TextWriter stderr, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is EstimatorDataException or OptionException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return BadInput;
        }
    }
}
