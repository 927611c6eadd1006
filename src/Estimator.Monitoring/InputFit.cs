namespace Estimator.Monitoring;

/// <summary>
/// The drift and quality part of a calibrate run, under the model's lock: fits the model's drift and data-quality
/// calculators on the reference unless the fit for this reference content and these options is stored (its own
/// fingerprint, so changing a drift option never refits the performance estimator), and rewrites the stored chunks'
/// drift files after a refit. The state is committed last, as for the estimates.
/// </summary>
internal sealed class InputFit(StoreContext context, ChunkFiles files, ModelSummaries summaries)
{
    private StoreLayout Layout => context.Layout;

    /// <summary>
    /// The fitted calculators and their fingerprint (nulls when the model measures nothing), and whether they were fitted
    /// now: a new fit is written under <c>fitted/</c> but not yet committed to the state.
    /// </summary>
    /// <exception cref="EstimatorDataException">The stored rows lack the columns now configured, or the reference lacks one or holds bad values.</exception>
    public (FittedInputs? Fitted, string? Fingerprint, bool Refitted) Prepare(ModelDefinition model, ModelState state)
    {
        CheckStoredColumns(model, state);
        if (model.Inputs.IsEmpty)
        {
            return (null, null, false);
        }

        var fingerprint = context.Fitted.CachedInputFingerprint(model);
        var path = Layout.FittedPath(model.Name, fingerprint);
        if (state.InputFingerprint == fingerprint && File.Exists(path))
        {
            return (context.Fitted.LoadInputs(model.Name, fingerprint), fingerprint, false);
        }

        FittedInputs fitted;
        try
        {
            var reference = FeatureFileReader.Read(model.Reference, model.Inputs.Columns, model.Columns.Timestamp).SortedByTimestamp();
            fitted = FittedInputs.Fit(model.Inputs, model.Options.Chunking, reference);
        }
        catch (EstimatorDataException e) when (e.File is null)
        {
            throw e.WithFile(model.Reference);
        }

        AtomicFile.WriteText(path, fitted.ToJson());
        context.Fitted.RememberInputs(model.Name, fingerprint, fitted);
        context.Logger?.LogInformation("Model {Model}: drift and quality fitted on {Reference} ({Calculators})", model.Name, model.Reference, string.Join(", ", fitted.Calculators.Select(c => c.Kind.Name())));
        return (fitted, fingerprint, true);
    }

    /// <summary>Writes the reference chunks' drift and quality rows (<c>drift/reference.parquet</c>).</summary>
    public void WriteReference(string model, FittedInputs fitted) =>
        ChunkFiles.WriteDriftRows(model, fitted.ReferenceRows, Layout.DriftReferencePath(model));

    /// <summary>
    /// After a drift refit with the performance estimator unchanged: the reference rows and every stored visible chunk's
    /// drift file again, then the state with the new fingerprint (last), then the files no longer named.
    /// </summary>
    public void Rewrite(ModelDefinition model, ModelState state, FittedInputs? fitted, string? fingerprint, RunTracker tracker, CancellationToken cancellationToken)
    {
        // The summary holds the latest chunk's drift values: dropped before any file changes.
        summaries.Invalidate(model.Name);
        if (fitted is not null)
        {
            WriteReference(model.Name, fitted);
            var visible = context.ChunkLog.ReadAll(model.Name, state).Where(c => c.Visible).ToList();
            tracker.TotalChunks += visible.Count;
            tracker.Enter(RunPhase.Estimating);
            foreach (var chunk in visible)
            {
                cancellationToken.ThrowIfCancellationRequested();
                files.WriteDrift(model.Name, fitted, files.LoadRows(model.Name, chunk, state), chunk);
                tracker.ChunkWritten();
            }
        }

        var committed = state with { InputFingerprint = fingerprint };
        context.States.Save(Layout.StatePath(model.Name), committed);
        context.Orphans.RemoveAll(model.Name, committed);
    }

    /// <summary>
    /// Stored rows hold the drift and quality columns configured when they were stored: columns added later cannot be
    /// measured on them, so a change of the stored columns is an error naming the way out (as for a regression model's features).
    /// </summary>
    private static void CheckStoredColumns(ModelDefinition model, ModelState state)
    {
        var wanted = model.StoredInputs() ?? [];
        var stored = state.Inputs?.Select(f => f.Name).ToList() ?? [];
        if (state.ChunkCount > 0 && !wanted.SequenceEqual(stored, StringComparer.Ordinal))
        {
            throw new EstimatorDataException(
                $"model '{model.Name}': the input columns its rows keep (drift, quality, a shift-aware estimator's features) are now {Describe(wanted)}, the store's rows hold {Describe(stored)}; remove the model's store directory to rebuild it with the new columns");
        }

        static string Describe(IReadOnlyList<string> columns) => columns.Count == 0 ? "none" : string.Join(", ", columns);
    }
}
