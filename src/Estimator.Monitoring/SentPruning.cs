using System.Collections.Concurrent;

namespace Estimator.Monitoring;

/// <summary>
/// Keeps a model's <c>outbox/sent/</c> from growing with its history: delivered notifications older than
/// <see cref="Retention"/>, and beyond the newest <see cref="Limit"/>, are removed, except the newest of each alert (dedup
/// key) and the newest firing one of each (a later resolve is routed by the channels its trigger reached, and a full
/// re-evaluation must find the latest change already sent). Runs after a delivery, at most once an hour per model and
/// process; a folder within both bounds is only listed.
/// </summary>
internal sealed class SentPruning(StoreContext context)
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _last = new(StringComparer.Ordinal);

    /// <summary>How long a delivered notification is kept. Default: 30 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many delivered notifications of a model are kept at most. Default: 1,000.</summary>
    public int Limit { get; set; } = 1000;

    /// <summary>Called after a notification of <paramref name="model"/> moved to <c>sent/</c>.</summary>
    public void AfterDelivery(string model)
    {
        var now = context.Time.GetUtcNow();
        if (_last.TryGetValue(model, out var last) && now - last < Interval)
        {
            return;
        }

        _last[model] = now;
        Prune(model, now.UtcDateTime);
    }

    /// <summary>Removes what the bounds leave out; returns how many notifications were removed.</summary>
    public int Prune(string model, DateTime now)
    {
        var directory = context.Layout.OutboxDirectory(model, "sent");
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var files = new DirectoryInfo(directory).GetFiles("*.json");
        if (files.Length <= Limit && files.All(f => now - f.LastWriteTimeUtc <= Retention))
        {
            return 0;
        }

        // Newest first, by delivery time (the file's last write is the delivery that completed it).
        var sent = files
            .Select(f => (File: f, Notification: AlertOutbox.Parse(f.FullName)))
            .OrderByDescending(s => s.File.LastWriteTimeUtc).ThenByDescending(s => s.File.Name, StringComparer.Ordinal)
            .ToList();
        var newest = new HashSet<string>(StringComparer.Ordinal);
        var newestFiring = new HashSet<string>(StringComparer.Ordinal);
        var removed = 0;
        for (var k = 0; k < sent.Count; k++)
        {
            var (file, n) = sent[k];
            // An unreadable record (not flushed before a power loss) protects nothing and goes like any other.
            var protectedOne = n is not null && (newest.Add(n.DedupKey) | (n.State == "firing" && newestFiring.Add(n.DedupKey)));
            if (!protectedOne && (k >= Limit || now - file.LastWriteTimeUtc > Retention))
            {
                file.Delete();
                removed++;
            }
        }

        return removed;
    }
}
