using System.Diagnostics;
using System.Runtime;

namespace Estimator.Cli;

/// <summary>
/// Cold-start evidence for the benchmarks: with <c>ESTIMATOR_PHASES=1</c> in the environment, each phase of a command
/// prints to stderr the wall time since the process started and the process's CPU time (user + system) so far. The
/// process's own clocks are used, not a profiler, so the figures cost nothing when the variable is unset.
/// </summary>
internal static class PhaseClock
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("ESTIMATOR_PHASES") == "1";

    /// <summary>Reports that <paramref name="phase"/> has just ended (when enabled).</summary>
    public static void Mark(string phase)
    {
        if (!Enabled)
        {
            return;
        }

        using var process = Process.GetCurrentProcess();
        var wall = DateTime.Now - process.StartTime;
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"phase {phase,-16} wall {wall.TotalSeconds,6:F3} s  cpu {process.TotalProcessorTime.TotalSeconds,6:F3} s  gc {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} paused {GC.GetTotalPauseDuration().TotalSeconds:F3} s  jit {JitInfo.GetCompiledMethodCount()} methods {JitInfo.GetCompilationTime().TotalSeconds:F3} s"));
    }
}
