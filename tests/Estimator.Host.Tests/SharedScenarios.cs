namespace Estimator.Host.Tests;

/// <summary>The seeded worlds with known truth in <c>../shared/scenarios</c> (found above the test binaries).</summary>
internal static class SharedScenarios
{
    /// <summary>The folder of world <paramref name="name"/> (e.g. <c>covariate_shift_subgroup</c>).</summary>
    /// <exception cref="DirectoryNotFoundException">No <c>shared/scenarios/name</c> above the test binaries.</exception>
    public static string World(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "scenarios", name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"shared/scenarios/{name} not found above {AppContext.BaseDirectory}");
    }
}
