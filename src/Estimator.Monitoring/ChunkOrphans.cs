using System.Collections.Concurrent;

namespace Estimator.Monitoring;

/// <summary>
/// Removes the chunk files (<c>rows/</c>, <c>estimates/analysis/</c>, <c>drift/</c>) and chunk logs a commit left unnamed: replaced
/// provisional chunks, re-formed chunks, and what a run that never committed wrote. Listing a model's folders costs as
/// much as its history, so a model's folders are swept whole only once per process, after a rebuild, after a run of
/// this process failed between its first write and its commit, and when the model's lock shows a holder died mid-run
/// (another process); otherwise only the files of the chunks the commit replaced are removed.
/// </summary>
internal sealed class ChunkOrphans(StoreLayout layout, ChunkLog log)
{
    private enum Sweep
    {
        Clean,
        Writing,
    }

    private readonly ConcurrentDictionary<string, Sweep> _models = new(StringComparer.Ordinal);

    /// <summary>Called (under the model's lock) before a run's first write.</summary>
    public void BeginWrites(string model)
    {
        if (!_models.TryUpdate(model, Sweep.Writing, Sweep.Clean))
        {
            // Not swept by this process, or its last run here failed after writing: sweep whole at the next commit.
            _models.TryRemove(model, out _);
        }
    }

    /// <summary>The model's folders may hold files of a run that died: sweep whole at the next commit.</summary>
    public void Forget(string model) => _models.TryRemove(model, out _);

    /// <summary>
    /// Called (under the model's lock) after the commit of <paramref name="committed"/>, which followed
    /// <paramref name="before"/>, kept its first <paramref name="kept"/> chunks and (re)formed <paramref name="formed"/>.
    /// </summary>
    public void Remove(string model, ModelState before, ModelState committed, int kept, IEnumerable<ChunkState> formed)
    {
        // Re-formed final chunks (a rebuild) leave files anywhere in the history.
        var rebuilt = kept < before.Log.Count + before.Tail.Count(c => c.Final);
        if (rebuilt || !_models.TryGetValue(model, out var sweep) || sweep != Sweep.Writing)
        {
            RemoveAll(model, committed);
        }
        else
        {
            // The logged chunks are final and stay; of the tail, the final chunks stay and the open ones were re-formed
            // (their rows files replaced, unless the new chunk got the same name), and an index without a visible
            // chunk now loses its estimate file.
            var named = committed.Tail.Concat(formed).Select(c => c.RowsFile).ToHashSet(StringComparer.Ordinal);
            foreach (var chunk in before.Tail)
            {
                if (!chunk.Final && !named.Contains(chunk.RowsFile))
                {
                    File.Delete(layout.RowsPath(model, chunk));
                }

                var now = chunk.Index < committed.Log.Count ? null : committed.Tail.FirstOrDefault(c => c.Index == chunk.Index);
                if (chunk.Visible && chunk.Index >= committed.Log.Count && now is not { Visible: true })
                {
                    File.Delete(layout.AnalysisEstimatesPath(model, chunk.Index));
                    File.Delete(layout.DriftPath(model, chunk.Index));
                }
            }
        }

        _models[model] = Sweep.Clean;
    }

    /// <summary>Called (under the model's lock) after a commit: sweeps the model's folders whole.</summary>
    public void RemoveAll(string model, ModelState state)
    {
        _models[model] = Sweep.Clean;
        var chunks = log.ReadAll(model, state);
        var visible = chunks.Where(c => c.Visible).Select(c => layout.AnalysisEstimatesPath(model, c.Index)).ToHashSet(StringComparer.Ordinal);
        var rows = chunks.Select(c => layout.RowsPath(model, c)).ToHashSet(StringComparer.Ordinal);
        Remove(layout.AnalysisEstimatesDirectory(model), visible);
        Remove(layout.RowsDirectory(model), rows);

        // Drift files follow the visible chunks while the model measures its inputs, and go with the measuring.
        var drift = state.InputFingerprint is null ? [] : chunks.Where(c => c.Visible).Select(c => layout.DriftPath(model, c.Index)).ToHashSet(StringComparer.Ordinal);
        Remove(layout.DriftDirectory(model), drift);
        if (state.InputFingerprint is null && File.Exists(layout.DriftReferencePath(model)))
        {
            File.Delete(layout.DriftReferencePath(model));
        }

        log.RemoveUnused(model, state);

        static void Remove(string directory, HashSet<string> keep)
        {
            if (!Directory.Exists(directory))
            {
                return;
            }

            foreach (var file in Directory.GetFiles(directory, "chunk-*.parquet"))
            {
                if (!keep.Contains(file))
                {
                    File.Delete(file);
                }
            }
        }
    }
}
