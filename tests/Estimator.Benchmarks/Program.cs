using BenchmarkDotNet.Running;

namespace Estimator.Benchmarks;

internal static class Program
{
    /// <summary>
    /// Runs the kernels' benchmarks: <c>dotnet run -c Release --project tests/Estimator.Benchmarks -- --filter '*'</c>;
    /// <c>-- drift-medians [REPEAT]</c> for the drift medians, <c>-- write-hotel DIR</c> for the hotel-shaped CSV files, <c>-- write-large FILE COPIES</c> for a large car-loan analysis Parquet file, <c>-- online-load URL MODEL SECONDS CONNECTIONS BATCH</c> for the online path's load test (<c>tests/scale/bench-online.sh</c>), <c>-- online-kernel</c> for the window kernel's cost by N.
    /// </summary>
    private static void Main(string[] args)
    {
        if (args is ["drift-medians", ..])
        {
            DriftMedians.Run(args);
        }
        else if (args is ["write-hotel", var dir])
        {
            DriftMedians.WriteHotel(dir);
        }
        else if (args is ["write-large", var path, var copies])
        {
            DriftMedians.WriteLargeAsync(path, int.Parse(copies, System.Globalization.CultureInfo.InvariantCulture)).GetAwaiter().GetResult();
        }
        else if (args is ["online-kernel"])
        {
            OnlineKernelTimes.Run();
        }
        else if (args is ["online-load", var url, var model, var seconds, var connections, var batch])
        {
            var culture = System.Globalization.CultureInfo.InvariantCulture;
            OnlineLoad.RunAsync(url, model, int.Parse(seconds, culture), int.Parse(connections, culture), int.Parse(batch, culture)).GetAwaiter().GetResult();
        }
        else
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        }
    }
}
