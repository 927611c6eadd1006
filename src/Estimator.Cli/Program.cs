namespace Estimator.Cli;

internal static class Program
{
    private static int Main(string[] args) => EstimatorCli.Run(args, Console.Out, Console.Error);
}
