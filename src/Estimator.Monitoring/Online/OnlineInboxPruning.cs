namespace Estimator.Monitoring.Online;

/// <summary>
/// Keeps a model's online inbox from growing with its history: after an estimate run has committed the closed chunks it
/// read (their rows are in the store's <c>rows/</c> from then on), all but the newest <see cref="Kept"/> inbox files are
/// deleted. The newest files stay: a restart rebuilds the window from the last closed chunk and counts the stream from
/// the highest chunk index.
/// </summary>
internal static class OnlineInboxPruning
{
    /// <summary>How many of the newest closed-chunk files stay in the inbox.</summary>
    public const int Kept = 64;

    /// <summary>Deletes the consumed inbox files <paramref name="consumed"/> that are older than the newest <see cref="Kept"/>.</summary>
    public static void Prune(ModelDefinition model, IEnumerable<string> consumed)
    {
        if (model.OnlineInbox is not { } inbox)
        {
            return;
        }

        var files = FileSource.List(inbox);
        if (files.Count <= Kept)
        {
            return;
        }

        var newest = files.Skip(files.Count - Kept).ToHashSet(StringComparer.Ordinal);
        foreach (var file in consumed)
        {
            if (model.IsOnlineFile(file) && !newest.Contains(file))
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // Left for the disk's owner: a stray consumed file is listed and skipped, never read again.
                }
            }
        }
    }
}
