namespace Estimator.Monitoring;

/// <summary>
/// A model's chunk files: each chunk's rows (<c>rows/</c>), estimates (<c>estimates/</c>) and, for a model that measures
/// its inputs, drift and data quality (<c>drift/</c>), and the labels received so far. Writes one chunk at a time, each file atomically, so a run killed between two chunks leaves whole files.
/// </summary>
internal sealed class ChunkFiles(StoreContext context)
{
    private StoreLayout Layout => context.Layout;

    /// <summary>
    /// Writes each chunk's rows and (for a visible chunk) its estimates, with realized values where labels are known, and
    /// its drift and quality rows when <paramref name="inputs"/> is given.
    /// </summary>
    public void Write(string model, IFittedCalculator fitted, FittedInputs? inputs, List<(ChunkState Chunk, RowBatch Rows)> changed, string runId, DateTime now, Action? onChunk = null)
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
            if (inputs is not null)
            {
                WriteDrift(model, inputs, rows, chunk);
            }

            onChunk?.Invoke();
        }
    }

    /// <summary>Writes the chunk's drift and quality rows (drift-file schema) atomically.</summary>
    /// <exception cref="EstimatorDataException">The rows lack a column or hold a value the calculators refuse (named with the chunk).</exception>
    public void WriteDrift(string model, FittedInputs inputs, RowBatch rows, ChunkState chunk)
    {
        IReadOnlyList<ChunkEstimate> computed;
        try
        {
            computed = inputs.CalculateChunk(rows.ToInputData(), chunk.ToChunk());
        }
        catch (EstimatorDataException e) when (e.File is null)
        {
            throw new EstimatorDataException($"model '{model}': drift and quality of chunk {chunk.Key}: {e.Problem}", Layout.RowsPath(model, chunk), e.Column, innerException: e);
        }

        WriteDriftRows(model, computed, Layout.DriftPath(model, chunk.Index));
    }

    /// <summary>Writes drift and quality rows to a drift file atomically, creating its directory.</summary>
    public static void WriteDriftRows(string model, IReadOnlyList<ChunkEstimate> rows, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        DriftFileWriter.Write([new CalculatorResult(model, rows)], path);
    }

    /// <summary>The model's stored drift and quality rows: the reference's, then the analysis chunks' in order (all when <paramref name="chunks"/> is null, else those chunks').</summary>
    public IReadOnlyList<ChunkEstimate> ReadDrift(string model, IReadOnlyCollection<int>? chunks)
    {
        var rows = new List<ChunkEstimate>();
        var reference = Layout.DriftReferencePath(model);
        if (chunks is null && File.Exists(reference))
        {
            rows.AddRange(DriftFileReader.Read(reference));
        }

        if (chunks is not null)
        {
            foreach (var index in chunks.Distinct().Order())
            {
                var path = Layout.DriftPath(model, index);
                if (File.Exists(path))
                {
                    rows.AddRange(DriftFileReader.Read(path));
                }
            }

            return rows;
        }

        foreach (var file in ChunkFilesIn(Layout.DriftDirectory(model)))
        {
            rows.AddRange(DriftFileReader.Read(file));
        }

        return rows;
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
        var rows = RowBatch.Read(path, state.HasIds, state.HasTimestamps, state.HasPredictions, state.Classes, state.Features, state.Inputs);
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

        foreach (var file in ChunkFilesIn(Layout.AnalysisEstimatesDirectory(model)))
        {
            records.AddRange(EstimateFileReader.Read(file));
        }

        return records;
    }

    /// <summary>The <c>chunk-NNNNNN.parquet</c> files of a folder in chunk order (none when it does not exist).</summary>
    private static string[] ChunkFilesIn(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var files = Directory.GetFiles(directory, "chunk-*.parquet");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
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
