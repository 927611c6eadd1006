using Estimator.Host.Configuration;

namespace Estimator.Cli;

/// <summary>Loads the host configuration for <c>serve</c> and <c>run</c>; problems are printed one per line.</summary>
internal static class ConfigLoading
{
    /// <summary>The configuration, or null after printing every problem to <paramref name="stderr"/>.</summary>
    public static EstimatorConfig? TryLoad(string path, TextWriter stderr)
    {
        try
        {
            return EstimatorConfig.Load(path);
        }
        catch (EstimatorConfigException e)
        {
            foreach (var problem in e.Problems)
            {
                stderr.WriteLine($"error: {problem}");
            }

            return null;
        }
    }
}
