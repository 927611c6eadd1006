using Estimator.Estimation;

namespace Estimator.Cli;

/// <summary>The <c>--input</c> part of the bench: streams an analysis Parquet file through a fitted estimator.</summary>
internal static class BenchStream
{
    public static void Run(string input, FittedCbpe fitted, BenchRequest request, ComputeOptions compute, Dictionary<string, object?> json, TerminalProgress progress)
    {
        throw new NotSupportedException($"{input} {fitted} {request} {compute} {json} {progress}");
    }
}
