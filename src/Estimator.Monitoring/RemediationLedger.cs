namespace Estimator.Monitoring;

/// <summary>
/// A model's open incidents as remediation sees them (<c>remediation/incidents.json</c>): per alert (dedup key), the
/// last notification folded in, the notification that opened the current incident, and the targets already acted on
/// in it. One entry per alert rule, so the file does not grow with the history.
/// </summary>
internal sealed class RemediationLedger(StoreContext context)
{
    /// <summary>The ledger, empty before the first plan.</summary>
    public Dictionary<string, IncidentEntry> Read(string model)
    {
        var path = context.Layout.IncidentsPath(StoreLayout.CheckedName(model));
        return File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, IncidentEntry>>(File.ReadAllText(path), AlertOutbox.Json) ?? new(StringComparer.Ordinal)
            : new(StringComparer.Ordinal);
    }

    /// <summary>Writes the ledger atomically.</summary>
    public void Write(string model, Dictionary<string, IncidentEntry> incidents) =>
        AtomicFile.WriteText(context.Layout.IncidentsPath(StoreLayout.CheckedName(model)), JsonSerializer.Serialize(incidents, AlertOutbox.Json));
}

/// <summary>One alert's remediation state.</summary>
/// <param name="Through">Id of the last notification folded in: notifications up to it (ids sort by chunk) are not folded again.</param>
/// <param name="Open">Id of the notification that opened the current incident, or null while none is open.</param>
/// <param name="Acted">Targets that got an action in the current incident.</param>
internal sealed record IncidentEntry(string? Through, string? Open, IReadOnlyList<string> Acted)
{
    public static IncidentEntry None { get; } = new(null, null, []);
}
