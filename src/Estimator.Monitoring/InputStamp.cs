namespace Estimator.Monitoring;

/// <summary>
/// What a model's estimate run depends on, as file stamps (length and modification time): the reference file, the
/// analysis folder (a folder's modification time changes when a file is added, renamed in or removed) and the model's
/// committed state. A scheduler compares it with the stamp recorded after the last complete run and skips the run when
/// they are equal, instead of running a job only to find nothing new.
/// </summary>
/// <param name="Reference">The reference file's stamp.</param>
/// <param name="Analysis">The analysis folder's stamp, and an online model's inbox's after a <c>+</c>.</param>
/// <param name="State">The committed state's stamp (<c>state.json</c>): any run, reconciliation or rebuild changes it.</param>
/// <param name="Settled">
/// The analysis folder was last changed more than a second before the stamp was taken. A folder's modification time has
/// a coarse clock (a few milliseconds), so a file renamed in just after a run listed the folder can leave it unchanged:
/// only a settled stamp may be recorded as complete.
/// </param>
public sealed record InputStamp(string Reference, string Analysis, string State, bool Settled)
{
    /// <summary>How long a folder must be unchanged before its stamp counts as settled.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1);

    /// <summary>The stamp as one line (what a scheduler records).</summary>
    public override string ToString() => string.Join('|', Reference, Analysis, State);

    /// <summary>
    /// The stamp of <paramref name="model"/> at <paramref name="now"/>; null when a file stamp cannot tell (a reference
    /// that is a folder, an analysis glob that reaches into subfolders): such a model is run every time.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="statePath">Its committed state's path.</param>
    /// <param name="now">The current time (UTC).</param>
    internal static InputStamp? Of(ModelDefinition model, string statePath, DateTime now)
    {
        var (root, pattern) = FileSource.Split(model.Analysis);
        if (pattern is not null && (pattern.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || pattern.Contains('/', StringComparison.Ordinal)))
        {
            return null;
        }

        var reference = new FileInfo(Path.GetFullPath(model.Reference));
        if (!reference.Exists && Directory.Exists(reference.FullName))
        {
            return null;
        }

        var (analysis, changed) = Folder(root);

        // An online model's closed chunks land in its inbox, a second analysis source beside the configured one.
        if (model.OnlineInbox is { } inbox && !string.Equals(Path.GetFullPath(inbox), Path.GetFullPath(root), StringComparison.Ordinal))
        {
            var (online, onlineChanged) = Folder(inbox);
            analysis += "+" + online;
            changed = onlineChanged > changed ? onlineChanged : changed;
        }

        return new InputStamp(Stamp(reference), analysis, Stamp(new FileInfo(statePath)), now - changed > SettleTime);
    }

    private static (string Stamp, DateTime Changed) Folder(string path)
    {
        var folder = new DirectoryInfo(path);
        return folder.Exists ? (Ticks(folder.LastWriteTimeUtc), folder.LastWriteTimeUtc) : ("-", DateTime.MinValue);
    }

    private static string Stamp(FileInfo info) => info.Exists ? FormattableString.Invariant($"{info.Length}:{info.LastWriteTimeUtc.Ticks}") : "-";

    private static string Ticks(DateTime time) => time.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
