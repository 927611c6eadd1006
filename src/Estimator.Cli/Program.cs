namespace Estimator.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        PhaseClock.Mark("main");
        var code = EstimatorCli.Run(args, Console.Out, Console.Error);
        PhaseClock.Mark("exit");
        return code;
    }
}
