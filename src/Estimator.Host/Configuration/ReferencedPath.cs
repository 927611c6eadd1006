using YamlDotNet.Core;

namespace Estimator.Host.Configuration;

/// <summary>What a configured path must be on disk.</summary>
internal enum ReferencedPathKind
{
    /// <summary>An existing file.</summary>
    File,

    /// <summary>An existing file or directory, or a wildcard pattern whose folder exists.</summary>
    Source,
}

/// <summary>A path the configuration names, as written and resolved, with where it was written.</summary>
/// <param name="KeyPath">The key it was read from, e.g. <c>models[0].reference</c>.</param>
/// <param name="Start">Where its value starts in the file.</param>
/// <param name="Written">The value as written (trimmed).</param>
/// <param name="FullPath">The value resolved against the configuration file's directory.</param>
/// <param name="Kind">What it must be on disk.</param>
internal sealed record ReferencedPath(string KeyPath, Mark Start, string Written, string FullPath, ReferencedPathKind Kind);
