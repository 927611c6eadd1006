using Estimator.Calculators;
using Estimator.IO;

namespace Estimator.Monitoring;

/// <summary>
/// A model's chunk files: each chunk's rows (<c>rows/</c>) and estimates (<c>estimates/</c>), and the labels received
/// so far. Writes one chunk at a time, each file atomically, so a run killed between two chunks leaves whole files.
/// </summary>
internal sealed class ChunkFiles(StoreContext context)
{
    private StoreLayout Layout => context.Layout;

    /// <summary>Writes each chunk's rows and (for a visible chunk) its estimates, with realized values where labels are known.</summary>
    public void Write(string model, IFittedCalculator fitted, List<(ChunkState Chunk, RowBatch Rows)> changed, string runId, DateTime now, Action? onChunk = null)
    {
        var labels = KnownLabels(model);
        foreach (var (chunk, rows) in changed)
        {
            rows.Write(Layout.RowsPath(model, chunk));
            if (!chunk.Visible)
            {
                onChunk?.Invoke();
                continue;
            }

            // Labels that arrived before this chunk was (re)formed keep their realized values.
            var targets = labels is not null && rows.Ids is not null ? labels.Match(rows.Ids).Targets : null;
            var result = rows.Estimate(fitted, targets, chunk.ToChunk());
            WriteEstimates(EstimateRecord.FromRows(model, result, now, runId, provisional: !chunk.Final), Layout.AnalysisEstimatesPath(model, chunk.Index));
            onChunk?.Invoke();
        }
    }

    /// <summary>Writes one estimate file atomically, creating its directory.</summary>
    public static void WriteEstimates(IReadOnlyList<EstimateRecord> records, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        EstimateFileWriter.Write(records, path);
    }

    /// <summary>The chunk's stored rows, checked against the count the state records.</summary>
    public RowBatch LoadRows(string model, ChunkState chunk, ModelState state)
    {
        var path = Layout.RowsPath(model, chunk);
        var rows = RowBatch.Read(path, state.HasIds, state.HasTimestamps, state.HasPredictions, state.Classes, state.Features);
        return rows.Count == chunk.Rows
            ? rows
            : throw new EstimatorDataException(FormattableString.Invariant($"the store's rows of chunk {chunk.Key} hold {rows.Count} rows, the state says {chunk.Rows}"), path);
    }

    /// <summary>The model's current estimates: reference rows, then analysis chunks in order; each chunk × metric once.</summary>
    public IReadOnlyList<EstimateRecord> ReadEstimates(string model)
    {
        var records = new List<EstimateRecord>();
        var reference = Layout.ReferenceEstimatesPath(model);
        if (File.Exists(reference))
        {
            records.AddRange(EstimateFileReader.Read(reference));
        }

        var analysis = Layout.AnalysisEstimatesDirectory(model);
        if (Directory.Exists(analysis))
        {
            var files = Directory.GetFiles(analysis, "chunk-*.parquet");
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
            {
                records.AddRange(EstimateFileReader.Read(file));
            }
        }

        return records;
    }

    /// <summary>The labels of the reconciliation state (empty before any arrived).</summary>
    public LabelIndex LoadLabels(string model, ReconcileState reconcile) =>
        reconcile.LabelsFile is null ? LabelIndex.Empty() : LabelIndex.Read(Path.Combine(Layout.LabelsDirectory(model), reconcile.LabelsFile));

    /// <summary>The labels received so far, to fill realized values when chunks are (re)estimated; null before any arrived.</summary>
    public LabelIndex? KnownLabels(string model)
    {
        var reconcile = ReconcileState.Load(Layout.ReconcileStatePath(model));
        return reconcile.LabelsFile is null ? null : LoadLabels(model, reconcile);
    }
}
