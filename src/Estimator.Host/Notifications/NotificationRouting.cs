namespace Estimator.Host.Notifications;

/// <summary>
/// Which channels a notification is routed to: those whose severities include its own, and for a resolve also every
/// channel that received a trigger of the same alert. Tells ahead of delivery which notifications no channel will
/// receive, so the store records them as delivered when it queues them (<see cref="ModelRunner.Unrouted"/>).
/// </summary>
public sealed class NotificationRouting
{
    private readonly Dictionary<string, ModelConfig> models;

    /// <summary>Creates the routing of the configured models.</summary>
    /// <param name="config">The configuration (channels per model).</param>
    public NotificationRouting(EstimatorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        models = config.Models.ToDictionary(m => m.Name, StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether nothing will take <paramref name="notification"/>: its model has no channel, or it is a trigger whose
    /// severity no channel takes, and the model has no remediation target (the remediation planner opens and closes
    /// incidents from the pending notifications, so a model with targets keeps every notification pending). A resolve of
    /// a model with channels is never unrouted here, since a channel that received the alert's trigger under another
    /// severity receives its resolve too (that needs the sent notifications).
    /// </summary>
    /// <param name="notification">A notification being queued.</param>
    public bool Unrouted(AlertNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!models.TryGetValue(notification.Model, out var model) || model.Remediation.Count > 0)
        {
            return false;
        }

        return model.Notify.Count == 0 || (notification.State == "firing" && !model.Notify.Any(c => c.Routes(SeverityOf(notification))));
    }

    /// <summary>The channels of <paramref name="model"/> that receive <paramref name="n"/>, given the channels each alert's trigger reached.</summary>
    /// <param name="model">The notification's model.</param>
    /// <param name="n">The notification.</param>
    /// <param name="triggered">Per dedup key, the channels that received a trigger of that alert.</param>
    public static List<NotifyChannel> Route(ModelConfig model, AlertNotification n, Dictionary<string, HashSet<string>> triggered)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(n);
        ArgumentNullException.ThrowIfNull(triggered);
        var severity = SeverityOf(n);
        var receivedTrigger = n.State == "resolved" && triggered.TryGetValue(n.DedupKey, out var set) ? set : null;
        return model.Notify.Where(c => c.Routes(severity) || receivedTrigger?.Contains(c.Name) == true).ToList();
    }

    private static Severity SeverityOf(AlertNotification n) => SeverityExtensions.ParseOrNone(n.Severity);
}
