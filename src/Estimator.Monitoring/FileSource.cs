using Microsoft.Extensions.FileSystemGlobbing;

namespace Estimator.Monitoring;

/// <summary>Lists the data files of a source given as a directory or a glob (<c>dir/*.parquet</c>, <c>dir/**/*.csv</c>).</summary>
public static class FileSource
{
    private static readonly char[] Wildcards = ['*', '?', '['];

    /// <summary>The files of <paramref name="source"/>, full paths in ordinal order. A directory means its <c>.parquet</c> and <c>.csv</c> files.</summary>
    public static IReadOnlyList<string> List(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        var (root, pattern) = Split(source);
        if (!Directory.Exists(root))
        {
            return [];
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        if (pattern is null)
        {
            matcher.AddInclude("*.parquet").AddInclude("*.parq").AddInclude("*.csv");
        }
        else
        {
            matcher.AddInclude(pattern);
        }

        var files = matcher.GetResultsInFullPath(root)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>The directory to search and the pattern below it (null when the source is a plain directory).</summary>
    public static (string Root, string? Pattern) Split(string source)
    {
        var full = Path.GetFullPath(source);
        var wildcard = full.IndexOfAny(Wildcards);
        if (wildcard < 0)
        {
            return (full, null);
        }

        var separator = full.LastIndexOf(Path.DirectorySeparatorChar, wildcard);
        return (full[..separator], full[(separator + 1)..]);
    }
}
