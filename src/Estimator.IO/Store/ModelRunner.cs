using Microsoft.Extensions.Logging;

namespace Estimator.IO.Store;

/// <summary>What a calibrate run did.</summary>
/// <param name="Refitted">Whether the model was fitted now (first run, or the reference file's content changed).</param>
/// <param name="ReferenceHash">SHA-256 of the reference file's content, which names the fitted model in the store.</param>
/// <param name="CalibrationApplied">Whether scores are calibrated.</param>
public sealed record CalibrationOutcome(bool Refitted, string ReferenceHash, bool CalibrationApplied);

/// <summary>What an estimate run did.</summary>
/// <param name="RunId">Identifier of this run, written to every estimate row it produced.</param>
/// <param name="FilesProcessed">Analysis files picked up by this run (new since the last run), in processing order.</param>
/// <param name="RowsProcessed">Analysis rows read by this run.</param>
/// <param name="ChunksFinalized">Chunks that became final in this run.</param>
/// <param name="ChunksProvisional">Chunks still filling (or periods still open), estimated provisionally.</param>
public sealed record EstimateOutcome(string RunId, IReadOnlyList<string> FilesProcessed, long RowsProcessed, int ChunksFinalized, int ChunksProvisional);

/// <summary>
/// Runs a model's jobs against the store: <see cref="Calibrate"/> fits on the reference when it is new or changed and
/// persists the fitted model; <see cref="Estimate"/> picks up analysis files not yet processed, chunks the stream as the
/// core does, and writes final and provisional chunk estimates. Both are idempotent and crash-safe: every file is written
/// to a temporary name and renamed into place, and the model's state is committed last.
/// </summary>
public sealed class ModelRunner
{
    /// <summary>Creates a runner over the store directory.</summary>
    public ModelRunner(string storeDirectory, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(storeDirectory);
        StoreDirectory = Path.GetFullPath(storeDirectory);
        Time = time ?? TimeProvider.System;
        Logger = logger;
    }

    /// <summary>The store's root directory.</summary>
    public string StoreDirectory { get; }

    private TimeProvider Time { get; }

    private ILogger? Logger { get; }

    /// <summary>Fits the model on its reference unless the fitted model for this reference content is already stored.</summary>
    /// <exception cref="EstimatorDataException">The reference is missing or holds bad data.</exception>
    public CalibrationOutcome Calibrate(ModelDefinition model, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Estimates the analysis files that arrived since the last run (calibrating first if needed).</summary>
    /// <exception cref="EstimatorDataException">A new analysis file is missing columns or holds bad data; nothing of this run is committed.</exception>
    public EstimateOutcome Estimate(ModelDefinition model, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>The model's current estimates (reference rows, then analysis chunks in order; each chunk × metric once).</summary>
    public IReadOnlyList<EstimateRecord> ReadEstimates(string model) => throw new NotImplementedException();
}
