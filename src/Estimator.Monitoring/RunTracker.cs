namespace Estimator.Monitoring;

/// <summary>
/// One run's counters and the sink they go to. Reports go out synchronously on the run's thread, so a sink sees them in
/// order and a slow sink slows the run: callers keep theirs cheap (the host throttles what it logs and stores).
/// </summary>
internal sealed class RunTracker(string model, IProgress<RunProgress>? sink, TimeProvider time, string? item = null)
{
    private readonly long _started = time.GetTimestamp();
    private long _phaseStarted = time.GetTimestamp();
    private RunPhase _phase = RunPhase.Reading;
    private bool _reported;

    public int FilesRead { get; private set; }

    public int TotalFiles { get; set; }

    public long RowsRead { get; set; }

    public long BytesRead { get; private set; }

    public long TotalBytes { get; set; }

    public int ChunksEstimated { get; private set; }

    /// <summary>Grows by each batch of chunks formed (a refit's re-estimated chunks, then the new ones), so counts never go back.</summary>
    public int TotalChunks { get; set; }

    public void Enter(RunPhase phase)
    {
        _phase = phase;
        _phaseStarted = time.GetTimestamp();
        Report();
    }

    public void FileRead(long bytes, long rows)
    {
        FilesRead++;
        BytesRead += bytes;
        RowsRead += rows;
        Report();
    }

    public void ChunkWritten() => ChunksWritten(1);

    public void ChunksWritten(int count)
    {
        ChunksEstimated += count;
        Report();
    }

    /// <summary>Reports the final numbers, only when the run reported anything (a run with nothing to do stays silent).</summary>
    public void Finish()
    {
        if (_reported)
        {
            Enter(RunPhase.Done);
        }
    }

    public void Report()
    {
        if (sink is null)
        {
            return;
        }

        _reported = true;
        sink.Report(new RunProgress(model, _phase, FilesRead, TotalFiles, RowsRead, BytesRead, TotalBytes, ChunksEstimated, TotalChunks, time.GetElapsedTime(_started), time.GetElapsedTime(_phaseStarted)) { Item = item });
    }
}
