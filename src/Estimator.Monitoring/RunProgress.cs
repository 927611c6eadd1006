namespace Estimator.Monitoring;

/// <summary>What a model run (<see cref="ModelRunner"/>) is doing now.</summary>
public enum RunPhase
{
    /// <summary>Fitting the estimator on the reference (a new or changed reference, or new options).</summary>
    Fitting,

    /// <summary>Reading the new analysis files.</summary>
    Reading,

    /// <summary>Estimating chunks and writing their files.</summary>
    Estimating,

    /// <summary>A split run waits for, or runs, the work items handed to other workers.</summary>
    Settling,

    /// <summary>The run has finished (the numbers are final).</summary>
    Done,
}

/// <summary>
/// Progress of one model run, reported by <see cref="ModelRunner"/> after each file read and each chunk written (never
/// per row). Counts only grow within a run; totals are zero until known (the chunk total is known once the files are read).
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Phase">What the run is doing.</param>
/// <param name="FilesRead">Analysis files read so far.</param>
/// <param name="TotalFiles">Analysis files this run reads.</param>
/// <param name="RowsRead">Rows read so far (from analysis files, or from a work item's stored rows).</param>
/// <param name="BytesRead">Bytes of the analysis files read so far.</param>
/// <param name="TotalBytes">Bytes of all the analysis files this run reads: the reading phase's measure before row counts are known.</param>
/// <param name="ChunksEstimated">Chunks written so far (a chunk hidden by <c>incomplete: drop</c> counts once its rows are stored).</param>
/// <param name="TotalChunks">Chunks this run writes (0 until they are formed).</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="PhaseElapsed">Time since the current phase started.</param>
public sealed record RunProgress(
    string Model,
    RunPhase Phase,
    int FilesRead,
    int TotalFiles,
    long RowsRead,
    long BytesRead,
    long TotalBytes,
    int ChunksEstimated,
    int TotalChunks,
    TimeSpan Elapsed,
    TimeSpan PhaseElapsed)
{
    /// <summary>The work item's id when this is a work item's progress (<see cref="ModelRunner.EstimateWorkItem(string, string, IProgress{RunProgress}?, CancellationToken)"/>); otherwise null.</summary>
    public string? Item { get; init; }

    /// <summary>
    /// How far the current phase is, in [0, 1]: bytes read of the total while reading, chunks written of the total while
    /// estimating or settling, 1 when done; null when the phase has no measure (fitting).
    /// </summary>
    public double? Fraction => Phase switch
    {
        RunPhase.Done => 1,
        RunPhase.Reading when TotalBytes > 0 => Math.Clamp((double)BytesRead / TotalBytes, 0, 1),
        RunPhase.Reading when TotalFiles > 0 => Math.Clamp((double)FilesRead / TotalFiles, 0, 1),
        RunPhase.Estimating or RunPhase.Settling when TotalChunks > 0 => Math.Clamp((double)ChunksEstimated / TotalChunks, 0, 1),
        _ => null,
    };

    /// <summary>Rows read per second of the run so far; null before the first row or the first tick.</summary>
    public double? RowsPerSecond => RowsRead > 0 && Elapsed > TimeSpan.Zero ? RowsRead / Elapsed.TotalSeconds : null;

    /// <summary>
    /// Time left in the current phase at the phase's pace so far; null when there is no measure yet (nothing done in
    /// the phase, or a phase without one). The phases run at different paces, so this is not extrapolated across them.
    /// </summary>
    public TimeSpan? PhaseTimeLeft
    {
        get
        {
            if (Phase == RunPhase.Done)
            {
                return TimeSpan.Zero;
            }

            if (Fraction is not double f || f <= 0 || PhaseElapsed <= TimeSpan.Zero)
            {
                return null;
            }

            return TimeSpan.FromSeconds(PhaseElapsed.TotalSeconds * (1 - f) / f);
        }
    }
}
