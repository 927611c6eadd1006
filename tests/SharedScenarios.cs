namespace Estimator.TestSupport;

/// <summary>
/// The seeded worlds with known truth in <c>../shared/scenarios</c>, found above the test binaries. One source file,
/// compiled into every test project (tests/Directory.Build.props).
/// </summary>
internal static class SharedScenarios
{
    private static readonly Lazy<string> Folder = new(Find);

    /// <summary>The <c>shared/scenarios</c> folder.</summary>
    /// <exception cref="DirectoryNotFoundException">No <c>shared/scenarios</c> above the test binaries.</exception>
    public static string Root => Folder.Value;

    /// <summary>The folder of world <paramref name="name"/> (e.g. <c>covariate_shift_subgroup</c>).</summary>
    /// <exception cref="DirectoryNotFoundException">No <c>shared/scenarios</c> above the test binaries.</exception>
    public static string World(string name) => Path.Combine(Root, name);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "scenarios");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/scenarios not found above " + AppContext.BaseDirectory);
    }
}
