using System.Collections;

namespace Estimator.Monitoring;

/// <summary>
/// The flags of an incremental evaluation, read from <c>alerts/flags.json</c> only when a caller enumerates them (the job
/// host never does; <c>estimator reconcile</c> and tests do). The file holds exactly these flags until the model's next
/// evaluation, which returns a new outcome.
/// </summary>
internal sealed class StoredFlags(AlertOutbox outbox, string model) : IReadOnlyList<AlertFlag>
{
    private readonly Lazy<List<AlertFlag>> _flags = new(() => outbox.ReadFlags(model));

    public int Count => _flags.Value.Count;

    public AlertFlag this[int index] => _flags.Value[index];

    public IEnumerator<AlertFlag> GetEnumerator() => _flags.Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
