namespace Estimator.Host.Metrics;

/// <summary>
/// The host process's own counters, exposed at <c>/metrics</c>: job runs and durations, rows processed, notification
/// deliveries and failures. Thread-safe; counts since the process started (each host of a scale-out reports its own).
/// </summary>
public sealed class HostMetrics
{
    /// <summary>Upper bounds (seconds) of the job-duration histogram's buckets.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly Lock gate = new();
    private readonly Dictionary<(string Job, string Model, string Outcome), long> runs = [];
    private readonly Dictionary<(string Job, string Model), Histogram> durations = [];
    private readonly Dictionary<(string Job, string Model), long> rows = [];
    private readonly Dictionary<(string Model, string Channel), long> delivered = [];
    private readonly Dictionary<(string Model, string Channel), long> failures = [];
    private readonly Dictionary<(string Model, string Kind, string Result), long> remediation = [];

    /// <summary>Records a finished job run.</summary>
    /// <param name="job"><c>calibrate</c>, <c>estimate</c>, <c>reconcile</c> or <c>notify</c>.</param>
    /// <param name="model">The model (empty for jobs over all models).</param>
    /// <param name="seconds">How long it took.</param>
    /// <param name="succeeded">Whether it succeeded.</param>
    public void JobFinished(string job, string model, double seconds, bool succeeded)
    {
        lock (gate)
        {
            var key = (job, model, succeeded ? "success" : "failure");
            runs[key] = runs.GetValueOrDefault(key) + 1;
            if (!durations.TryGetValue((job, model), out var histogram))
            {
                histogram = new Histogram(new long[DurationBuckets.Count]);
                durations[(job, model)] = histogram;
            }

            histogram.Observe(seconds);
        }
    }

    /// <summary>Adds rows read by a job (analysis rows for <c>estimate</c>, label rows for <c>reconcile</c>).</summary>
    /// <param name="job">The job.</param>
    /// <param name="model">The model.</param>
    /// <param name="count">Rows read.</param>
    public void RowsProcessed(string job, string model, long count)
    {
        lock (gate)
        {
            rows[(job, model)] = rows.GetValueOrDefault((job, model)) + count;
        }
    }

    /// <summary>Counts a notification delivered to a channel.</summary>
    /// <param name="model">The model.</param>
    /// <param name="channel">The channel's name.</param>
    public void Delivered(string model, string channel)
    {
        lock (gate)
        {
            delivered[(model, channel)] = delivered.GetValueOrDefault((model, channel)) + 1;
        }
    }

    /// <summary>Counts a failed delivery attempt (each retry counts).</summary>
    /// <param name="model">The model.</param>
    /// <param name="channel">The channel's name.</param>
    public void DeliveryFailed(string model, string channel)
    {
        lock (gate)
        {
            failures[(model, channel)] = failures.GetValueOrDefault((model, channel)) + 1;
        }
    }

    /// <summary>Counts a remediation delivery pass: <c>sent</c> when the target accepted the action, <c>failed</c> when it did not after the retries.</summary>
    /// <param name="model">The model.</param>
    /// <param name="kind">The target's kind (<c>webhook</c>).</param>
    /// <param name="result"><c>sent</c> or <c>failed</c>.</param>
    public void RemediationAction(string model, string kind, string result)
    {
        lock (gate)
        {
            remediation[(model, kind, result)] = remediation.GetValueOrDefault((model, kind, result)) + 1;
        }
    }

    /// <summary>A consistent copy of every counter.</summary>
    public Snapshot Read()
    {
        lock (gate)
        {
            return new Snapshot(
                runs.ToDictionary(),
                durations.ToDictionary(kv => kv.Key, kv => kv.Value.Copy()),
                rows.ToDictionary(),
                delivered.ToDictionary(),
                failures.ToDictionary())
            {
                Remediation = remediation.ToDictionary(),
            };
        }
    }

    /// <summary>A copy of the counters.</summary>
    /// <param name="Runs">Job runs by job, model and outcome (<c>success</c>/<c>failure</c>).</param>
    /// <param name="Durations">Job durations by job and model.</param>
    /// <param name="Rows">Rows processed by job and model.</param>
    /// <param name="Delivered">Notifications delivered by model and channel.</param>
    /// <param name="Failures">Failed delivery attempts by model and channel.</param>
    public sealed record Snapshot(
        IReadOnlyDictionary<(string Job, string Model, string Outcome), long> Runs,
        IReadOnlyDictionary<(string Job, string Model), Histogram> Durations,
        IReadOnlyDictionary<(string Job, string Model), long> Rows,
        IReadOnlyDictionary<(string Model, string Channel), long> Delivered,
        IReadOnlyDictionary<(string Model, string Channel), long> Failures)
    {
        /// <summary>Remediation delivery passes by model, target kind and result (<c>sent</c>/<c>failed</c>).</summary>
        public IReadOnlyDictionary<(string Model, string Kind, string Result), long> Remediation { get; init; } = new Dictionary<(string, string, string), long>();
    }

    /// <summary>A duration histogram: per-bucket (non-cumulative) counts over <see cref="DurationBuckets"/>, plus sum and count.</summary>
    /// <param name="Buckets">Observations per bucket (the last bucket's bound is the last of <see cref="DurationBuckets"/>; above it only count).</param>
    public sealed record Histogram(long[] Buckets)
    {
        /// <summary>Sum of the observations (seconds).</summary>
        public double Sum { get; private set; }

        /// <summary>Number of observations.</summary>
        public long Count { get; private set; }

        internal void Observe(double seconds)
        {
            for (var i = 0; i < DurationBuckets.Count; i++)
            {
                if (seconds <= DurationBuckets[i])
                {
                    Buckets[i]++;
                    break;
                }
            }

            Sum += seconds;
            Count++;
        }

        internal Histogram Copy() => new((long[])Buckets.Clone()) { Sum = Sum, Count = Count };
    }
}
