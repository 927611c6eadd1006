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
            // would first write, read back, rewrite and move. Not flushed to disk: nothing is to be delivered, so after a
            // power loss a lost record only shortens the history (the evaluation that queued it may queue it again), and
            // an empty or partial one is skipped by the readers (Read, SentPruning).
            var delivered = new Dictionary<string, DateTime>(notification.Delivered) { [ModelRunner.NoChannel] = context.Time.GetUtcNow().UtcDateTime };
            AtomicFile.WriteText(sent, JsonSerializer.Serialize(notification with { Delivered = delivered }, Json), durable: false);
            Sent.AfterDelivery(notification.Model);
            return true;
        }

        AtomicFile.WriteText(pending, JsonSerializer.Serialize(notification, Json));
        return true;
    }

    /// <summary>Notifications in <paramref name="box"/> (<c>pending</c> or <c>sent</c>), oldest first.</summary>
    public List<AlertNotification> Read(string model, string box) =>
        OutboxFiles.Read(Layout.OutboxDirectory(StoreLayout.CheckedName(model), box), Parse);

    /// <summary>The notification in <paramref name="path"/>; null when the file is empty or not a notification (a record not flushed before a power loss).</summary>
    public static AlertNotification? Parse(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<AlertNotification>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            return null;
        }
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
    /// Appends <paramref name="added"/> to the flags file in place (its closing <c>]</c> is overwritten by the new items
    /// and a new <c>]</c>, in one write): the result is the same text <see cref="WriteFlags"/> would write for the whole
    /// list. The file grows with the model's history, so it is not copied per run. Returns the file's length, which the
    /// summary records: a write cut short leaves another length (or a file not ending in <c>]</c>,
    /// <see cref="FlagsIntact"/>), and the next evaluation then rewrites the file from the estimates.
    /// </summary>
    public long AppendFlags(string model, IReadOnlyList<AlertFlag> added)
    {
        var path = FlagsPath(model);
        if (added.Count == 0)
        {
            return FlagBytes(model);
        }

        var items = JsonSerializer.SerializeToUtf8Bytes(added, FlagJson);
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
        Span<byte> tail = stackalloc byte[2];
        file.Seek(-Math.Min(2, file.Length), SeekOrigin.End);
        var read = file.Read(tail);
        if (read < 2 || tail[1] != (byte)']' || items.Length < 2)
        {
            throw new InvalidOperationException($"{path} is not a compact JSON array");
        }

        // ",item,...,item]" from the old ']' on (the new array's '[' dropped; no comma after an empty array).
        var empty = tail[0] == (byte)'[';
        if (!empty)
        {
            items[0] = (byte)',';
        }

        file.Seek(-1, SeekOrigin.End);
        file.Write(items, empty ? 1 : 0, items.Length - (empty ? 1 : 0));
        file.Flush();
        return file.Length;
    }

    /// <summary>Whether the flags file has <paramref name="bytes"/> bytes and ends its array (an append was not cut short).</summary>
    public bool FlagsIntact(string model, long bytes)
    {
        try
        {
            using var file = new FileStream(FlagsPath(model), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            if (file.Length != bytes || bytes < 2)
            {
                return false;
            }

            file.Seek(-1, SeekOrigin.End);
            return file.ReadByte() == ']';
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
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

        // Not flushed to disk: the alert files are derived from the estimates (and checked against the summary), so
        // after a power loss the next evaluation rewrites whichever did not survive.
        AtomicFile.WriteText(path, text, durable: false);
    }
}
