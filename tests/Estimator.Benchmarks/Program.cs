using BenchmarkDotNet.Running;

namespace Estimator.Benchmarks;

internal static class Program
{
    /// <summary>Runs the kernels' benchmarks: <c>dotnet run -c Release --project tests/Estimator.Benchmarks -- --filter '*'</c>.</summary>
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
