using YamlDotNet.Core;

namespace Estimator.Host.Configuration;

/// <summary>A notification channel as read, before its default name is settled (that needs the model's other channels).</summary>
/// <param name="Name">The name given, or null for the default.</param>
/// <param name="Kind">The receiver's protocol.</param>
/// <param name="Url">Where to POST.</param>
/// <param name="RoutingKey">PagerDuty's routing key, or null.</param>
/// <param name="Severities">The severities routed to the channel.</param>
/// <param name="Start">Where the channel is written, for the duplicate-name problem.</param>
internal sealed record ChannelSpec(string? Name, NotifyKind Kind, Uri Url, string? RoutingKey, HashSet<Severity> Severities, Mark Start)
{
    /// <summary>The channel under its settled name.</summary>
    public NotifyChannel ToChannel(string name) => new(name, Kind, Url, RoutingKey, Severities);
}
