using System.CommandLine;

namespace Estimator.Cli;

/// <summary>The <c>estimator</c> command line: one root command with a subcommand per job.</summary>
internal static class EstimatorCli
{
    /// <summary>Exit code for bad input (data or options); 0 is success, 1 an unexpected failure.</summary>
    public const int BadInput = 2;

    /// <summary>Parses <paramref name="args"/> and runs the chosen subcommand, writing to the given streams.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand(
            "Estimator: estimates a binary classifier's performance on unlabelled production data (CBPE, NannyML-compatible).");
        root.Subcommands.Add(EstimateCommand.Create(stdout, stderr));
        root.Subcommands.Add(BenchCommand.Create(stdout, stderr));
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr };
        return root.Parse(args).Invoke(configuration);
    }
}
