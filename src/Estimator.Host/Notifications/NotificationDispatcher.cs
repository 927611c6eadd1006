using Estimator.Host.Metrics;
using Estimator.Host.Remediation;

namespace Estimator.Host.Notifications;

/// <summary>What one delivery pass did.</summary>
/// <param name="Delivered">Channel deliveries recorded by this pass.</param>
/// <param name="Failed">Channel deliveries that failed after their retries (they stay pending for the next pass).</param>
/// <param name="Pending">Notifications still pending after the pass, over all models.</param>
public sealed record DeliveryOutcome(int Delivered, int Failed, int Pending)
{
    /// <summary>Remediation actions the receivers accepted in this pass.</summary>
    public int ActionsSent { get; init; }

    /// <summary>Remediation actions still not accepted after their retries (they stay pending for the next pass).</summary>
    public int ActionsFailed { get; init; }
}

/// <summary>
/// Delivers every model's pending notifications (the outbox in the store) to the channels routed by severity, with
/// retries and exponential backoff (Polly), recording each channel's delivery in the store as soon as the receiver
/// accepted it.
/// </summary>
/// <remarks>
/// <para>Guarantees: a notification leaves <c>outbox/pending/</c> only once every routed channel has accepted it (2xx), so a
/// crash or an unreachable receiver loses nothing; the next pass retries. A channel recorded as delivered is never sent
/// to again. The window left is at-least-once: a crash after the receiver's 2xx and before the record is written sends
/// that notification to that channel again; receivers dedupe on the notification <c>id</c> (also sent as the
/// <c>Idempotency-Key</c> header) and group an alert's trigger and resolve by <c>dedup_key</c>.</para>
/// <para>Order: per channel, notifications go out in outbox order; when one fails, later ones for that channel wait for
/// the next pass, so a resolve never overtakes its trigger. A resolve also goes to every channel that received a
/// trigger of the same alert, even if routed by another severity (a P3 trigger's receiver learns the alert resolved
/// after it escalated to P2).</para>
/// <para>Remediation: before a model's notifications, its remediation actions are decided from them and posted
/// (<see cref="Remediation.RemediationDispatcher"/>), so an action is decided while its notification is still pending;
/// both go through the same <see cref="JsonPoster"/>.</para>
/// </remarks>
public sealed class NotificationDispatcher
{
    /// <summary>The name under which a notification routed to no channel is recorded when it moves to <c>sent/</c>.</summary>
    public const string NoChannel = ModelRunner.NoChannel;

    /// <summary>The named <see cref="HttpClient"/> the dispatcher uses.</summary>
    public const string HttpClientName = "estimator-notify";

    private readonly EstimatorConfig config;
    private readonly IModelStore store;
    private readonly HostMetrics metrics;
    private readonly ILogger<NotificationDispatcher> logger;
    private readonly JsonPoster poster;
    private readonly RemediationDispatcher remediation;

    /// <summary>Creates the dispatcher.</summary>
    /// <param name="config">The configuration (channels per model, delivery options).</param>
    /// <param name="store">The store holding the outbox.</param>
    /// <param name="http">HTTP clients.</param>
    /// <param name="metrics">Delivery counters.</param>
    /// <param name="logger">The logger.</param>
    public NotificationDispatcher(EstimatorConfig config, IModelStore store, IHttpClientFactory http, HostMetrics metrics, ILogger<NotificationDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.logger = logger;
        poster = new JsonPoster(http, config.Delivery, config.Delivery.Timeout, r =>
        {
            metrics.DeliveryFailed(r.Model, r.Receiver);
            logger.LogInformation("notify {Model}: {Channel} attempt {Attempt} failed ({Error}); retrying in {Delay} ms", r.Model, r.Receiver, r.Attempt, r.Error, (int)r.Delay.TotalMilliseconds);
        });
        remediation = new RemediationDispatcher(store, http, config.Delivery, metrics, logger);
    }

    /// <summary>
    /// One pass over every model's outbox: first the model's remediation (its incidents' actions are decided from the
    /// pending notifications, then the actions are posted), then its notifications.
    /// </summary>
    /// <param name="cancellationToken">Stops the pass (what was recorded stays recorded).</param>
    public async Task<DeliveryOutcome> DeliverAsync(CancellationToken cancellationToken)
    {
        int delivered = 0, failed = 0, pending = 0, actionsSent = 0, actionsFailed = 0;
        foreach (var model in config.Models)
        {
            // One read of the outbox for both: an action is decided from a notification while it is still pending, and
            // only the notifications planned from may be delivered (one an estimate run writes meanwhile waits a pass).
            var outbox = store.PendingNotifications(model.Name);
            var (sent, notSent) = await remediation.DeliverAsync(model, outbox, cancellationToken).ConfigureAwait(false);
            actionsSent += sent;
            actionsFailed += notSent;
            var (d, f, p) = await DeliverModelAsync(model, outbox, cancellationToken).ConfigureAwait(false);
            delivered += d;
            failed += f;
            pending += p;
        }

        return new DeliveryOutcome(delivered, failed, pending) { ActionsSent = actionsSent, ActionsFailed = actionsFailed };
    }

    private async Task<(int Delivered, int Failed, int Pending)> DeliverModelAsync(ModelConfig model, IReadOnlyList<AlertNotification> outbox, CancellationToken cancellationToken)
    {
        if (outbox.Count == 0)
        {
            return (0, 0, 0);
        }

        // Channels that received a trigger of an alert (by dedup key): its resolve goes to them too. Only a resolve
        // consults it, and the sent notifications grow with the model's history, so they are read only when one waits.
        var triggered = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var earlier = outbox.Any(n => n.State == "resolved") ? store.SentNotifications(model.Name) : [];
        foreach (var n in earlier.Concat(outbox).Where(n => n.State == "firing"))
        {
            if (!triggered.TryGetValue(n.DedupKey, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                triggered[n.DedupKey] = set;
            }

            set.UnionWith(n.Delivered.Keys);
        }

        var blocked = new HashSet<string>(StringComparer.Ordinal);
        int delivered = 0, failed = 0, left = 0;
        foreach (var original in outbox)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = original;
            var routed = NotificationRouting.Route(model, n, triggered);
            if (routed.Count == 0)
            {
                store.RecordDelivery(n, NoChannel, complete: true);
                continue;
            }

            foreach (var channel in routed)
            {
                if (n.Delivered.ContainsKey(channel.Name) || blocked.Contains(channel.Name))
                {
                    continue;
                }

                if (await SendAsync(model.Name, channel, n, cancellationToken).ConfigureAwait(false))
                {
                    var complete = routed.All(c => c.Name == channel.Name || n.Delivered.ContainsKey(c.Name));
                    n = store.RecordDelivery(n, channel.Name, complete);
                    metrics.Delivered(model.Name, channel.Name);
                    delivered++;
                    if (n.State == "firing")
                    {
                        if (!triggered.TryGetValue(n.DedupKey, out var set))
                        {
                            set = new HashSet<string>(StringComparer.Ordinal);
                            triggered[n.DedupKey] = set;
                        }

                        set.Add(channel.Name);
                    }
                }
                else
                {
                    blocked.Add(channel.Name);
                    failed++;
                }
            }

            var done = routed.All(c => n.Delivered.ContainsKey(c.Name));
            if (done && ReferenceEquals(n, original))
            {
                // Every routed channel had it already (e.g. a channel was removed from the configuration since).
                store.RecordDelivery(n, NoChannel, complete: true);
            }
            else if (!done)
            {
                left++;
            }
        }

        return (delivered, failed, left);
    }

    private async Task<bool> SendAsync(string model, NotifyChannel channel, AlertNotification n, CancellationToken cancellationToken)
    {
        var body = channel.Kind switch
        {
            NotifyKind.Webhook => NotificationPayloads.Webhook(n),
            NotifyKind.Slack => NotificationPayloads.Slack(n),
            NotifyKind.PagerDuty => NotificationPayloads.PagerDuty(n, channel.RoutingKey ?? ""),
            _ => throw new InvalidOperationException($"unknown channel kind {channel.Kind}"),
        };
        var error = await poster.PostAsync(model, channel.Name, channel.Url, body, n.Id, null, cancellationToken).ConfigureAwait(false);
        if (error is null)
        {
            logger.LogInformation("notify {Model}: {Id} ({Severity} {State}) delivered to {Channel}", model, n.Id, n.Severity, n.State, channel.Name);
            return true;
        }

        logger.LogWarning("notify {Model}: {Id} not delivered to {Channel} after retries ({Error}); it stays in the outbox for the next run", model, n.Id, channel.Name, error);
        return false;
    }
}

/// <summary>A receiver did not accept a notification (a non-2xx answer).</summary>
public sealed class NotificationDeliveryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NotificationDeliveryException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public NotificationDeliveryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NotificationDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
