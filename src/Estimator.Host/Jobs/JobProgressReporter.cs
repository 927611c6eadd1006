namespace Estimator.Host.Jobs;

/// <summary>
/// Turns a job's <see cref="RunProgress"/> reports into log lines (Information, at most every
/// <c>logInterval</c> and at each phase change, so watching the logs shows a long run moving) and into the job's
/// <see cref="JobProgress.ParameterName"/> parameter (at most every <see cref="StoreInterval"/> and at each phase change,
/// since with PostgreSQL storage each write is a round trip). The final report (phase done) is always logged and stored.
/// Reports arrive on the job's thread, one at a time.
/// </summary>
/// <param name="job">The job and model, e.g. <c>estimate car_loan</c>.</param>
/// <param name="logger">Where the progress lines go.</param>
/// <param name="time">The clock (for throttling and the update time).</param>
/// <param name="logInterval">Least time between two log lines of the same phase.</param>
/// <param name="store">Writes the job parameter; null when the code does not run as a Hangfire job (nothing stored).</param>
internal sealed class JobProgressReporter(string job, ILogger logger, TimeProvider time, TimeSpan logInterval, Action<JobProgress>? store) : IProgress<RunProgress>
{
    /// <summary>Least time between two parameter writes of the same phase.</summary>
    public static readonly TimeSpan StoreInterval = TimeSpan.FromSeconds(1);

    private RunPhase? _phase;
    private DateTimeOffset _lastLog = DateTimeOffset.MinValue;
    private DateTimeOffset _lastStore = DateTimeOffset.MinValue;
    private bool _storeFailed;
    private RunProgress? _stored;

    /// <summary>The latest report, or null before the first.</summary>
    public RunProgress? Latest { get; private set; }

    /// <summary>A reporter for the job being performed (<see cref="CurrentJobAttribute.Current"/>), storing into its parameters when there is one.</summary>
    /// <param name="job">The job and model, e.g. <c>estimate car_loan</c>.</param>
    /// <param name="logger">Where the progress lines go.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logInterval">Least time between two log lines of the same phase.</param>
    public static JobProgressReporter ForCurrentJob(string job, ILogger logger, TimeProvider time, TimeSpan logInterval)
    {
        var context = CurrentJobAttribute.Current;
        return new JobProgressReporter(job, logger, time, logInterval, context is null ? null : p => context.Connection.SetJobParameter(context.BackgroundJob.Id, JobProgress.ParameterName, p.ToJson()));
    }

    /// <inheritdoc />
    public void Report(RunProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Latest = value;
        var now = time.GetUtcNow();
        var changed = value.Phase != _phase;
        _phase = value.Phase;
        if (changed || now - _lastLog >= logInterval)
        {
            _lastLog = now;
            Log(value);
        }

        if (store is not null && (changed || now - _lastStore >= StoreInterval))
        {
            _lastStore = now;
            _stored = value;
            Store(JobProgress.From(job, value, now));
        }
    }

    /// <summary>
    /// Stores the latest report if throttling held it back: a run that fails mid-phase then shows where it stopped, not
    /// where it was up to a second earlier.
    /// </summary>
    public void Flush()
    {
        if (store is not null && Latest is { } latest && !ReferenceEquals(latest, _stored))
        {
            _stored = latest;
            Store(JobProgress.From(job, latest, time.GetUtcNow()));
        }
    }

    private void Log(RunProgress p)
    {
        var fraction = p.Fraction is double f && p.Phase != RunPhase.Done ? string.Create(CultureInfo.InvariantCulture, $" ({f * 100:0}% of the phase)") : "";
        // A run with nothing to read (the idle host's every tick) reports its phases at Debug only.
        var idle = p.Phase != RunPhase.Fitting && p.TotalFiles == 0 && p.RowsRead == 0 && p.TotalChunks == 0;
        var level = idle ? LogLevel.Debug : LogLevel.Information;
        logger.Log(
            level,
            "{Job}: {Phase}{Fraction}; {FilesRead}/{TotalFiles} file(s), {RowsRead} row(s) read, {ChunksEstimated}/{TotalChunks} chunk(s) estimated, {Rate}, {TimeLeft} left in this phase, {Elapsed} elapsed",
            job,
            JobProgress.Describe(p.Phase.ToString()),
            fraction,
            p.FilesRead,
            p.TotalFiles,
            p.RowsRead,
            p.ChunksEstimated,
            p.TotalChunks,
            JobProgress.Rate(p.RowsPerSecond),
            JobProgress.Duration(p.PhaseTimeLeft?.TotalSeconds),
            JobProgress.Duration(p.Elapsed.TotalSeconds));
    }

    private void Store(JobProgress snapshot)
    {
        try
        {
            store!(snapshot);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Progress is for watching only: a storage hiccup must not fail the run. Warn once per job, then quietly.
            if (!_storeFailed)
            {
                logger.LogWarning(e, "{Job}: cannot store progress in the job's parameters ({Error}); the run goes on", job, e.Message);
                _storeFailed = true;
            }
            else
            {
                logger.LogDebug(e, "{Job}: cannot store progress in the job's parameters", job);
            }
        }
    }
}
