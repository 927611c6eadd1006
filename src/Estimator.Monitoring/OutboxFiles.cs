namespace Estimator.Monitoring;

/// <summary>
/// What the alert and remediation outboxes share: a box is a directory holding one JSON file per entry, named so that
/// name order is the order the entries were queued in.
/// </summary>
internal static class OutboxFiles
{
    /// <summary>The entries in <paramref name="directory"/> in name order (none when it does not exist); files <paramref name="parse"/> rejects with null are skipped.</summary>
    public static List<T> Read<T>(string directory, Func<string, T?> parse)
        where T : class
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var files = Directory.GetFiles(directory, "*.json");
        Array.Sort(files, StringComparer.Ordinal);
        return [.. files.Select(parse).OfType<T>()];
    }
}
