namespace Estimator.Host.Jobs;

/// <summary>
/// A job's latest progress as stored in its <see cref="ParameterName"/> job parameter and shown on the dashboard's job
/// details page: plain JSON (<see cref="ToJson"/>), written without Hangfire's serializer so it carries no type names and
/// reading it never instantiates anything but this class.
/// </summary>
public sealed class JobProgress
{
    /// <summary>The job parameter holding the latest progress.</summary>
    public const string ParameterName = "estimator:progress";

    /// <summary>The job and model, as in the job's log lines (e.g. <c>estimate car_loan</c>).</summary>
    public string Job { get; set; } = "";

    /// <summary>The phase (<see cref="RunPhase"/>'s name).</summary>
    public string Phase { get; set; } = "";

    /// <summary>Analysis files read so far.</summary>
    public int FilesRead { get; set; }

    /// <summary>Analysis files the run reads.</summary>
    public int TotalFiles { get; set; }

    /// <summary>Rows read so far.</summary>
    public long RowsRead { get; set; }

    /// <summary>Bytes of analysis files read so far.</summary>
    public long BytesRead { get; set; }

    /// <summary>Bytes of all the analysis files the run reads.</summary>
    public long TotalBytes { get; set; }

    /// <summary>Chunks estimated (written) so far.</summary>
    public int ChunksEstimated { get; set; }

    /// <summary>Chunks the run writes (0 until formed).</summary>
    public int TotalChunks { get; set; }

    /// <summary>How far the current phase is, in [0, 1]; null when the phase has no measure.</summary>
    public double? Fraction { get; set; }

    /// <summary>Rows read per second of the run so far.</summary>
    public double? RowsPerSecond { get; set; }

    /// <summary>Seconds left in the current phase at its pace so far; null when unknown.</summary>
    public double? SecondsLeft { get; set; }

    /// <summary>Seconds since the run started.</summary>
    public double ElapsedSeconds { get; set; }

    /// <summary>When this was reported (UTC).</summary>
    public DateTime UpdatedAt { get; set; }

    /// <summary>The JSON stored in the job parameter.</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Reads <see cref="ToJson"/>'s output.</summary>
    /// <param name="json">The stored JSON.</param>
    /// <exception cref="JsonException">The text is not such JSON.</exception>
    public static JobProgress? FromJson(string json) => JsonSerializer.Deserialize<JobProgress>(json);

    /// <summary>The snapshot of <paramref name="progress"/> reported by <paramref name="job"/> at <paramref name="now"/>.</summary>
    /// <param name="job">The job and model (e.g. <c>estimate car_loan</c>).</param>
    /// <param name="progress">The run's progress.</param>
    /// <param name="now">The report's time.</param>
    public static JobProgress From(string job, RunProgress progress, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return new JobProgress
        {
            Job = job,
            Phase = progress.Phase.ToString(),
            FilesRead = progress.FilesRead,
            TotalFiles = progress.TotalFiles,
            RowsRead = progress.RowsRead,
            BytesRead = progress.BytesRead,
            TotalBytes = progress.TotalBytes,
            ChunksEstimated = progress.ChunksEstimated,
            TotalChunks = progress.TotalChunks,
            Fraction = progress.Fraction,
            RowsPerSecond = progress.RowsPerSecond,
            SecondsLeft = progress.PhaseTimeLeft?.TotalSeconds,
            ElapsedSeconds = progress.Elapsed.TotalSeconds,
            UpdatedAt = now.UtcDateTime,
        };
    }

    /// <summary>The phase in words (<c>reading files</c>, <c>estimating chunks</c>, ...); an unknown name as it is.</summary>
    /// <param name="phase">A <see cref="RunPhase"/> name.</param>
    public static string Describe(string? phase) => phase switch
    {
        nameof(RunPhase.Fitting) => "fitting on the reference",
        nameof(RunPhase.Reading) => "reading files",
        nameof(RunPhase.Estimating) => "estimating chunks",
        nameof(RunPhase.Settling) => "settling work items",
        nameof(RunPhase.Done) => "done",
        _ => phase ?? "",
    };

    /// <summary>A duration as <c>h:mm:ss</c> or <c>m:ss</c>; <c>unknown</c> when null.</summary>
    /// <param name="seconds">The duration in seconds.</param>
    public static string Duration(double? seconds)
    {
        if (seconds is not double s || double.IsNaN(s) || double.IsInfinity(s) || s < 0)
        {
            return "unknown";
        }

        var t = TimeSpan.FromSeconds(Math.Min(Math.Ceiling(s), TimeSpan.MaxValue.TotalSeconds / 2));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:D2}");
    }

    /// <summary>A rate as whole rows per second (<c>12,345 rows/s</c>); <c>unknown</c> when null.</summary>
    /// <param name="rowsPerSecond">The rate.</param>
    public static string Rate(double? rowsPerSecond) =>
        rowsPerSecond is double r && double.IsFinite(r) ? r.ToString("N0", CultureInfo.InvariantCulture) + " rows/s" : "unknown";
}
