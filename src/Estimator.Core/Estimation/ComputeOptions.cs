namespace Estimator.Estimation;

/// <summary>
/// How much of the machine a fit or an estimate may use. Results do not depend on it: the parallel paths give the
/// serial path's numbers bit for bit (chunks are computed independently and written in chunk order).
/// </summary>
public sealed record ComputeOptions
{
    /// <summary>The default: every core.</summary>
    public static ComputeOptions Default { get; } = new();

    /// <summary>One thread: the reference path.</summary>
    public static ComputeOptions Serial { get; } = new() { MaxDegreeOfParallelism = 1 };

    /// <summary>Most threads to use; -1 (or 0) means one per core.</summary>
    /// <value>Default: -1.</value>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>The effective number of threads (at least 1).</summary>
    public int Threads => MaxDegreeOfParallelism > 0 ? MaxDegreeOfParallelism : Environment.ProcessorCount;
}
