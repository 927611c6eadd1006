using YamlDotNet.Core;

namespace Estimator.Host.Configuration;

/// <summary>
/// The checks against the disk that run after a configuration has been parsed: every referenced input exists (a
/// reference file; an analysis or targets file or folder, or the folder a wildcard pattern looks in). Kept out of the
/// parser so that parsing is text to typed configuration only.
/// </summary>
internal static class ConfigFileChecks
{
    /// <summary>Records a problem in <paramref name="nodes"/> for every path in <paramref name="paths"/> missing from the disk.</summary>
    /// <param name="paths">The paths the configuration names.</param>
    /// <param name="nodes">Where the problems go (at each path's line and column).</param>
    public static void Check(IEnumerable<ReferencedPath> paths, ConfigNodes nodes)
    {
        foreach (var path in paths)
        {
            if (Problem(path) is { } message)
            {
                nodes.Problem(path.KeyPath, path.Start, message);
            }
        }
    }

    /// <summary>
    /// Records a problem when the store cannot be a directory: it, or a folder above it, is a file. (A missing store is
    /// created by the first job.) Found here, at start-up, instead of by every model's first job.
    /// </summary>
    /// <param name="store">The store directory's full path.</param>
    /// <param name="at">Where the <c>store</c> key is (or the document's start for the default store).</param>
    /// <param name="nodes">Where the problem goes.</param>
    public static void CheckStore(string store, Mark at, ConfigNodes nodes)
    {
        for (var current = store; current is not null; current = Path.GetDirectoryName(current))
        {
            if (Directory.Exists(current))
            {
                return;
            }

            if (File.Exists(current))
            {
                var what = current == store ? $"'{store}' is a file" : $"'{current}' (a folder above '{store}') is a file";
                nodes.Problem("store", at, $"{what}; the store must be a directory (it is created when missing)");
                return;
            }
        }
    }

    private static string? Problem(ReferencedPath path)
    {
        var full = path.FullPath;
        if (path.Kind == ReferencedPathKind.File)
        {
            return File.Exists(full) ? null : $"file not found: '{full}'";
        }

        var wildcard = full.IndexOfAny(['*', '?', '[', '{']);
        if (wildcard < 0)
        {
            return Directory.Exists(full) || File.Exists(full) ? null : $"not found: '{full}' is neither a directory nor a file";
        }

        var folder = Path.GetDirectoryName(full[..wildcard]) ?? "";
        return Directory.Exists(folder) ? null : $"directory not found: '{folder}' (the folder the pattern '{path.Written}' looks in)";
    }
}
