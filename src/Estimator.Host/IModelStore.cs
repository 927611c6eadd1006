using Estimator.IO;
using Estimator.IO.Store;

namespace Estimator.Host;

/// <summary>
/// What the host's jobs and the Models page need from the store. The host registers <see cref="ModelRunnerStore"/>
/// (the real <see cref="ModelRunner"/>); tests may register a double instead.
/// </summary>
public interface IModelStore
{
    /// <summary>Fits the model on its reference unless it is already fitted for this reference content.</summary>
    /// <param name="model">The model.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    CalibrationOutcome Calibrate(ModelDefinition model, CancellationToken cancellationToken);

    /// <summary>Estimates the analysis files that arrived since the last run.</summary>
    /// <param name="model">The model.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    EstimateOutcome Estimate(ModelDefinition model, CancellationToken cancellationToken);

    /// <summary>The model's current estimates (reference chunks, then analysis chunks in order).</summary>
    /// <param name="model">The model's name.</param>
    IReadOnlyList<EstimateRecord> ReadEstimates(string model);
}

/// <summary>The store as <see cref="ModelRunner"/> implements it.</summary>
/// <param name="runner">The runner over the configured store directory.</param>
public sealed class ModelRunnerStore(ModelRunner runner) : IModelStore
{
    /// <inheritdoc />
    public CalibrationOutcome Calibrate(ModelDefinition model, CancellationToken cancellationToken) => runner.Calibrate(model, cancellationToken);

    /// <inheritdoc />
    public EstimateOutcome Estimate(ModelDefinition model, CancellationToken cancellationToken) => runner.Estimate(model, cancellationToken);

    /// <inheritdoc />
    public IReadOnlyList<EstimateRecord> ReadEstimates(string model) => runner.ReadEstimates(model);
}
