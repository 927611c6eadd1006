using System.Collections.Concurrent;

namespace Estimator.Monitoring;

/// <summary>
/// Loads and commits models' <c>state.json</c>, keeping the last parsed state of each path while the file's length and
/// last write time stay the same: one run loads the state up to three times (fit check, estimate, alert evaluation)
/// and a long-lived host loads it on every tick, and the file grows with the model's history. A state committed by
/// another process has another write time, so it is read again.
/// </summary>
internal sealed class ModelStates
{
    private readonly ConcurrentDictionary<string, (long Length, DateTime Written, ModelState State)> _states = new(StringComparer.Ordinal);

    public ModelState Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            _states.TryRemove(path, out _);
            return ModelState.Empty;
        }

        var (length, written) = (info.Length, info.LastWriteTimeUtc);
        if (_states.TryGetValue(path, out var cached) && cached.Length == length && cached.Written == written)
        {
            return cached.State;
        }

        var state = ModelState.Load(path);
        _states[path] = (length, written, state);
        return state;
    }

    public void Save(string path, ModelState state)
    {
        state.Save(path);
        var info = new FileInfo(path);
        _states[path] = (info.Length, info.LastWriteTimeUtc, state);
    }
}
