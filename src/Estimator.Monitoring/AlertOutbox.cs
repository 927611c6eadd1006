using System.Text.Json;
using Estimator.IO;

namespace Estimator.Monitoring;

/// <summary>
/// A model's notification outbox (<c>outbox/pending/</c>, <c>outbox/sent/</c>) and its alert files
/// (<c>alerts/current.json</c>, <c>alerts/flags.json</c>): one JSON file per notification, named by the state change's
/// id, so queueing the same change twice is a no-op and each delivery step is one atomic file operation.
/// </summary>
internal sealed class AlertOutbox(StoreContext context)
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private StoreLayout Layout => context.Layout;

    /// <summary>Queues the notification unless it was queued or sent before; true when queued now.</summary>
    public bool Enqueue(AlertNotification notification)
    {
        var pending = Layout.OutboxPath(notification.Model, "pending", notification.Id);
        if (File.Exists(pending) || File.Exists(Layout.OutboxPath(notification.Model, "sent", notification.Id)))
        {
            return false;
        }

        AtomicFile.WriteText(pending, JsonSerializer.Serialize(notification, Json));
        return true;
    }

    /// <summary>Notifications in <paramref name="box"/> (<c>pending</c> or <c>sent</c>), oldest first.</summary>
    public List<AlertNotification> Read(string model, string box)
    {
        var directory = Layout.OutboxDirectory(StoreLayout.CheckedName(model), box);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var files = Directory.GetFiles(directory, "*.json");
        Array.Sort(files, StringComparer.Ordinal);
        return files.Select(f => JsonSerializer.Deserialize<AlertNotification>(File.ReadAllText(f), Json)!).ToList();
    }

    /// <summary>Records a delivery to <paramref name="channel"/>; moves the notification to <c>sent/</c> when <paramref name="complete"/>.</summary>
    public AlertNotification RecordDelivery(AlertNotification notification, string channel, bool complete)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var model = StoreLayout.CheckedName(notification.Model);
        var pending = Layout.OutboxPath(model, "pending", notification.Id);
        var delivered = new Dictionary<string, DateTime>(notification.Delivered) { [channel] = context.Time.GetUtcNow().UtcDateTime };
        var updated = notification with { Delivered = delivered };
        AtomicFile.WriteText(pending, JsonSerializer.Serialize(updated, Json));
        if (complete)
        {
            var sent = Layout.OutboxPath(model, "sent", notification.Id);
            Directory.CreateDirectory(Path.GetDirectoryName(sent)!);
            File.Move(pending, sent, overwrite: true);
        }

        return updated;
    }

    /// <summary>The alerts' current states as of the last evaluation (empty before the first).</summary>
    public IReadOnlyList<AlertStatus> ReadCurrent(string model)
    {
        var path = Path.Combine(Layout.AlertsDirectory(StoreLayout.CheckedName(model)), "current.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<List<AlertStatus>>(File.ReadAllText(path), Json) ?? [] : [];
    }

    /// <summary>Every final chunk's flags as of the last evaluation; null when the file is missing or unreadable.</summary>
    public List<AlertFlag>? ReadFlags(string model)
    {
        var path = Path.Combine(Layout.AlertsDirectory(model), "flags.json");
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<List<AlertFlag>>(File.ReadAllText(path), Json) : null;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the current states and flags, each only when its content changed (most evaluations change nothing).</summary>
    public void WriteStates(string model, IReadOnlyList<AlertStatus> current, IReadOnlyList<AlertFlag> flags)
    {
        var alerts = Layout.AlertsDirectory(model);
        WriteIfChanged(Path.Combine(alerts, "current.json"), JsonSerializer.Serialize(current, Json));
        WriteIfChanged(Path.Combine(alerts, "flags.json"), JsonSerializer.Serialize(flags, Json));
    }

    /// <summary>Writes <paramref name="text"/> atomically unless the file already holds exactly it.</summary>
    private static void WriteIfChanged(string path, string text)
    {
        try
        {
            if (File.Exists(path) && File.ReadAllText(path) == text)
            {
                return;
            }
        }
        catch (IOException)
        {
            // Unreadable: rewrite it.
        }

        AtomicFile.WriteText(path, text);
    }
}
