namespace Estimator.Host.Configuration;

/// <summary>
/// Reads the paths a configuration names (store, reference, analysis, targets): resolves them against the file's
/// directory, as text only, and notes each input for <see cref="ConfigFileChecks"/>, which looks at the disk once
/// parsing is done.
/// </summary>
internal sealed class ConfigPaths(ConfigNodes nodes, string baseDirectory)
{
    private readonly List<ReferencedPath> referenced = [];

    /// <summary>The inputs named so far, in the order read.</summary>
    public IReadOnlyList<ReferencedPath> Referenced => referenced;

    /// <summary>The absolute form of <paramref name="path"/>, relative to the configuration file's directory.</summary>
    public string Resolve(string path) => Path.GetFullPath(Path.Combine(baseDirectory, path));

    /// <summary>A directory (the store) that need not exist yet.</summary>
    public string? Directory(YamlNode node, string path) => nodes.NonEmptyString(node, path) is { } text ? Resolve(text) : null;

    /// <summary>A file that must exist (the reference data).</summary>
    public string? File(YamlNode node, string path) => Input(node, path, ReferencedPathKind.File);

    /// <summary>A file, a directory, or a pattern whose folder must exist (analysis and targets sources).</summary>
    public string? Source(YamlNode node, string path) => Input(node, path, ReferencedPathKind.Source);

    private string? Input(YamlNode node, string path, ReferencedPathKind kind)
    {
        if (nodes.NonEmptyString(node, path) is not { } text)
        {
            return null;
        }

        var full = Resolve(text);
        referenced.Add(new ReferencedPath(path, node.Start, text, full, kind));
        return full;
    }
}
