namespace Estimator;

/// <summary>A chunk cut by <see cref="Chunker.Plan"/>, and whether its rows are complete.</summary>
/// <param name="Chunk">The chunk (keys and row positions in the stream).</param>
/// <param name="Final">True when no later row can join it; false while it is still filling (provisional).</param>
public readonly record struct PlannedChunk(Chunk Chunk, bool Final);
