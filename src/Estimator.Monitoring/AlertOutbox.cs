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
    /// <summary>Bounds <c>outbox/sent/</c>.</summary>
    public SentPruning Sent { get; } = new(context);

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    // Compact: the flags file holds every final chunk's flags and grows with the model's history.
    private static readonly JsonSerializerOptions FlagJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private StoreLayout Layout => context.Layout;

    private string FlagsPath(string model) => Path.Combine(Layout.AlertsDirectory(model), "flags.json");

    /// <summary>
    /// Queues the notification unless it was queued or sent before; true when queued now. One that no channel will
    /// receive (<see cref="StoreContext.Unrouted"/>) is recorded as delivered to no channel at once, in <c>sent/</c>.
    /// </summary>
    public bool Enqueue(AlertNotification notification)
    {
        var pending = Layout.OutboxPath(notification.Model, "pending", notification.Id);
        var sent = Layout.OutboxPath(notification.Model, "sent", notification.Id);
        if (File.Exists(pending) || File.Exists(sent))
        {
            return false;
        }

        if (context.Unrouted?.Invoke(notification) == true)
        {
            // What the delivery pass would write for it (the same file in the same place), without the pending file it
            // would first write, read back, rewrite and move: a crash before this write loses nothing the state holds,
            // since the alert evaluation that queues it commits its summary after this.
            var delivered = new Dictionary<string, DateTime>(notification.Delivered) { [ModelRunner.NoChannel] = context.Time.GetUtcNow().UtcDateTime };
            AtomicFile.WriteText(sent, JsonSerializer.Serialize(notification with { Delivered = delivered }, Json));
            Sent.AfterDelivery(notification.Model);
            return true;
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
            Sent.AfterDelivery(model);
        }

        return updated;
    }

    /// <summary>The alerts' current states as of the last evaluation (empty before the first).</summary>
    public IReadOnlyList<AlertStatus> ReadCurrent(string model)
    {
        var path = Path.Combine(Layout.AlertsDirectory(StoreLayout.CheckedName(model)), "current.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<List<AlertStatus>>(File.ReadAllText(path), Json) ?? [] : [];
    }

    /// <summary>Every final chunk's flags as of the last evaluation (empty before the first).</summary>
    public List<AlertFlag> ReadFlags(string model)
    {
        var path = FlagsPath(model);
        return File.Exists(path) ? JsonSerializer.Deserialize<List<AlertFlag>>(File.ReadAllText(path), FlagJson) ?? [] : [];
    }

    /// <summary>The length of the flags file, or -1 when there is none.</summary>
    public long FlagBytes(string model)
    {
        var info = new FileInfo(FlagsPath(model));
        return info.Exists ? info.Length : -1;
    }

    /// <summary>Writes the current states unless unchanged (most evaluations change nothing).</summary>
    public void WriteCurrent(string model, IReadOnlyList<AlertStatus> current) =>
        WriteIfChanged(Path.Combine(Layout.AlertsDirectory(model), "current.json"), JsonSerializer.Serialize(current, Json));

    /// <summary>Writes every flag (compact JSON, chunk by chunk) unless unchanged; returns the file's length.</summary>
    public long WriteFlags(string model, IReadOnlyList<AlertFlag> flags)
    {
        var text = JsonSerializer.Serialize(flags, FlagJson);
        WriteIfChanged(FlagsPath(model), text);
        return FlagBytes(model);
    }

    /// <summary>
    /// Appends <paramref name="added"/> to the flags file (atomically: the file is rewritten, but its earlier flags are
    /// copied as bytes, not parsed); the result is the same text <see cref="WriteFlags"/> would write for the whole list.
    /// Returns the file's length.
    /// </summary>
    public long AppendFlags(string model, IReadOnlyList<AlertFlag> added)
    {
        var path = FlagsPath(model);
        if (added.Count == 0)
        {
            return FlagBytes(model);
        }

        var items = JsonSerializer.SerializeToUtf8Bytes(added, FlagJson);
        using var before = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

        // The file ends with the array's ']' (compact JSON, no trailing whitespace): copy everything before it in pooled
        // blocks (never the whole file in one array: it grows with the history), then the new items and a new ']'.
        Span<byte> tail = stackalloc byte[2];
        before.Seek(-Math.Min(2, before.Length), SeekOrigin.End);
        var read = before.Read(tail);
        if (read < 2 || tail[1] != (byte)']' || items.Length < 2)
        {
            throw new InvalidOperationException($"{path} is not a compact JSON array");
        }

        var empty = tail[0] == (byte)'[';
        var keep = before.Length - 1;
        AtomicFile.Write(path, stream =>
        {
            before.Seek(0, SeekOrigin.Begin);
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
            try
            {
                for (long left = keep; left > 0;)
                {
                    var n = before.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                    if (n == 0)
                    {
                        throw new EndOfStreamException($"{path} shrank while it was copied");
                    }

                    stream.Write(buffer, 0, n);
                    left -= n;
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            if (!empty)
            {
                stream.WriteByte((byte)',');
            }

            stream.Write(items, 1, items.Length - 1);
        });
        return FlagBytes(model);
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
