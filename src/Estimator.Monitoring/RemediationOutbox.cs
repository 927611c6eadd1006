namespace Estimator.Monitoring;

/// <summary>
/// A model's remediation actions (<c>remediation/pending/</c>, <c>remediation/sent/</c>): one JSON file per action, named
/// by its incident and target, so deciding the same action twice is a no-op and each delivery step is one atomic file
/// operation. Sent actions are kept (one per incident and target: they do not grow with the chunks).
/// </summary>
internal sealed class RemediationOutbox(StoreContext context)
{
    private StoreLayout Layout => context.Layout;

    /// <summary>Queues the action unless it was queued or sent before; true when queued now.</summary>
    public bool Enqueue(RemediationAction action)
    {
        var pending = Layout.RemediationPath(action.Model, "pending", action.Id);
        if (File.Exists(pending) || File.Exists(Layout.RemediationPath(action.Model, "sent", action.Id)))
        {
            return false;
        }

        AtomicFile.WriteText(pending, JsonSerializer.Serialize(action, AlertOutbox.Json));
        return true;
    }

    /// <summary>Actions in <paramref name="box"/> (<c>pending</c> or <c>sent</c>), oldest incident first.</summary>
    public List<RemediationAction> Read(string model, string box) =>
        OutboxFiles.Read(Layout.RemediationDirectory(StoreLayout.CheckedName(model), box), f => JsonSerializer.Deserialize<RemediationAction>(File.ReadAllText(f), AlertOutbox.Json));

    /// <summary>
    /// Records a delivery pass: with <paramref name="error"/> null the receiver accepted the action and it moves to
    /// <c>sent/</c>; otherwise it stays pending with the error, to be retried by the next pass.
    /// </summary>
    public RemediationAction Record(RemediationAction action, string? error)
    {
        ArgumentNullException.ThrowIfNull(action);
        var model = StoreLayout.CheckedName(action.Model);
        var pending = Layout.RemediationPath(model, "pending", action.Id);
        var now = context.Time.GetUtcNow().UtcDateTime;
        if (error is not null)
        {
            var failed = action with { FailedPasses = action.FailedPasses + 1, LastError = error, LastFailedAt = now };
            AtomicFile.WriteText(pending, JsonSerializer.Serialize(failed, AlertOutbox.Json));
            return failed;
        }

        // Written to sent/ first, then removed from pending/: a crash in between leaves both, and Enqueue and the
        // dispatcher see it as sent (the pending copy is removed by the next pass).
        var sent = action with { SentAt = now };
        AtomicFile.WriteText(Layout.RemediationPath(model, "sent", action.Id), JsonSerializer.Serialize(sent, AlertOutbox.Json));
        File.Delete(pending);
        return sent;
    }

    /// <summary>Whether the action was sent (a pending copy left by a crash is then removed).</summary>
    public bool WasSent(RemediationAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!File.Exists(Layout.RemediationPath(action.Model, "sent", action.Id)))
        {
            return false;
        }

        File.Delete(Layout.RemediationPath(action.Model, "pending", action.Id));
        return true;
    }
}
