namespace Estimator.Monitoring;

/// <summary>
/// Reads a model's stored drift rows for the given analysis chunks, for the root-cause evidence of a firing alert; null
/// when the model monitors no drift.
/// </summary>
/// <param name="model">The model.</param>
/// <param name="chunks">The analysis chunks' indices.</param>
internal delegate IReadOnlyList<ChunkEstimate>? DriftEvidenceSource(ModelDefinition model, IReadOnlyCollection<int> chunks);
