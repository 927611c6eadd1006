namespace Estimator.Host.Configuration;

/// <summary>Which receiver a notification channel posts to.</summary>
public enum NotifyKind
{
    /// <summary>A generic JSON webhook: one POST per alert state change with the documented payload.</summary>
    Webhook,

    /// <summary>A Slack-compatible incoming webhook: <c>{"text": "..."}</c>.</summary>
    Slack,

    /// <summary>PagerDuty Events API v2: <c>trigger</c> / <c>resolve</c> events keyed by <c>dedup_key</c>.</summary>
    PagerDuty,
}

/// <summary>
/// One notification channel (<c>notify: [{ kind, url, routing_key, severities, name }]</c>): where alert state changes of
/// the routed severities are posted. Immutable.
/// </summary>
/// <param name="Name">The channel's name, unique per model: deliveries are recorded under it, so a channel already
/// delivered to is never sent to again. Defaults to the kind (<c>webhook</c>, <c>slack</c>, <c>pagerduty</c>), with
/// <c>-2</c>, <c>-3</c>, ... when a model has several of a kind.</param>
/// <param name="Kind">The receiver's protocol.</param>
/// <param name="Url">Where to POST (absolute http or https).</param>
/// <param name="RoutingKey">PagerDuty's integration (routing) key; a secret, never printed. Null for other kinds.</param>
/// <param name="Severities">The severities routed to this channel.</param>
public sealed record NotifyChannel(string Name, NotifyKind Kind, Uri Url, string? RoutingKey, IReadOnlySet<Severity> Severities)
{
    /// <summary>Whether notifications of <paramref name="severity"/> go to this channel.</summary>
    /// <param name="severity">The notification's severity.</param>
    public bool Routes(Severity severity) => Severities.Contains(severity);

    /// <summary>Name, kind and severities; neither the URL (Slack URLs are secrets) nor the routing key.</summary>
    public override string ToString() => $"{Name} ({Kind.ToString().ToLowerInvariant()}: {string.Join(", ", Severities.OrderBy(s => (int)s))})";
}

/// <summary>How the <c>notify</c> job delivers the outbox (<c>delivery</c>).</summary>
public sealed class DeliveryConfig
{
    /// <summary>When the <c>notify</c> job runs (<c>schedule</c>, cron with optional seconds).</summary>
    /// <value>Default: every 5 seconds (<c>*/5 * * * * *</c>).</value>
    public CronSchedule Schedule { get; init; } = CronSchedule.Parse("*/5 * * * * *");

    /// <summary>Retries of a failed POST within one run, with exponential backoff (<c>retries</c>); the next run tries again.</summary>
    /// <value>Default: 3.</value>
    public int Retries { get; init; } = 3;

    /// <summary>The first retry's delay; each further retry doubles it, with jitter (<c>backoff_seconds</c>).</summary>
    /// <value>Default: 1 second.</value>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Time limit of one POST (<c>timeout_seconds</c>).</summary>
    /// <value>Default: 10 seconds.</value>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Options of the Prometheus endpoint <c>/metrics</c> (<c>metrics</c>).</summary>
public sealed class MetricsConfig
{
    /// <summary>
    /// Whether remote scrapers may read <c>/metrics</c> without credentials (<c>allow_remote</c>). Otherwise, like the
    /// dashboard, it answers local requests and remote ones carrying the dashboard's bearer token or basic credentials.
    /// </summary>
    /// <value>Default: false.</value>
    public bool AllowRemote { get; init; }
}
