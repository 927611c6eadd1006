namespace Estimator.Host.Configuration;

/// <summary>
/// Reads the notification settings: <c>notify</c> channel lists (top level and per model), how a model's channels
/// merge with the global ones, and <c>delivery</c> (how the <c>notify</c> job posts the outbox).
/// </summary>
internal sealed class NotifySectionReader(ConfigNodes nodes)
{
    private static readonly string[] NotifyKeys = ["kind", "url", "routing_key", "routing_key_env", "severities", "name"];
    private static readonly string[] DeliveryKeys = ["schedule", "retries", "backoff_seconds", "timeout_seconds"];

    /// <summary>The channels of a <c>notify</c> list that read without problems.</summary>
    public List<ChannelSpec> ReadNotify(YamlNode node, string path)
    {
        var channels = new List<ChannelSpec>();
        if (nodes.Sequence(node, path, "expected a list of channels, e.g. [{ kind: webhook, url: \"http://...\", severities: [P1, P2] }]") is not { } sequence)
        {
            return channels;
        }

        foreach (var (item, itemPath) in ConfigNodes.Items(sequence, path))
        {
            if (ReadChannel(item, itemPath) is { } channel)
            {
                channels.Add(channel);
            }
        }

        return channels;
    }

    /// <summary>The top-level channels, each under its own or its default name.</summary>
    public static List<NotifyChannel> GlobalChannels(List<ChannelSpec> global) =>
        global.Select(c => c.ToChannel(c.Name ?? DefaultChannelName(c, global))).ToList();

    /// <summary>A model's channels: its own, then the global ones; default names made unique, explicit duplicates reported.</summary>
    public List<NotifyChannel>? MergeChannels(List<ChannelSpec> own, List<ChannelSpec> global, string path)
    {
        var all = own.Concat(global).ToList();
        var names = new Dictionary<string, ChannelSpec>(StringComparer.Ordinal);
        var result = new List<NotifyChannel>();
        var ok = true;
        foreach (var spec in all)
        {
            var name = spec.Name ?? DefaultChannelName(spec, all);
            if (names.TryGetValue(name, out var first))
            {
                nodes.Problem(path + ".notify", spec.Start, FormattableString.Invariant($"two channels are named '{name}' (first on line {first.Start.Line}); give each a distinct name"));
                ok = false;
                continue;
            }

            names[name] = spec;
            result.Add(spec.ToChannel(name));
        }

        return ok ? result : null;
    }

    /// <summary>The <c>delivery</c> settings, or null when the section has problems.</summary>
    public DeliveryConfig? ReadDelivery(YamlNode node)
    {
        var map = nodes.Mapping(node, "delivery", DeliveryKeys);
        if (map is null)
        {
            return null;
        }

        var before = nodes.ProblemCount;
        var defaults = new DeliveryConfig();
        var schedule = ConfigNodes.Get(map, "schedule") is { } s ? nodes.Schedule(s, "delivery.schedule") : defaults.Schedule;
        var retries = ConfigNodes.Get(map, "retries") is { } r ? nodes.NonNegativeInt(r, "delivery.retries") : defaults.Retries;
        var backoff = ConfigNodes.Get(map, "backoff_seconds") is { } b ? nodes.PositiveSeconds(b, "delivery.backoff_seconds") : defaults.Backoff;
        var timeout = ConfigNodes.Get(map, "timeout_seconds") is { } t ? nodes.PositiveSeconds(t, "delivery.timeout_seconds") : defaults.Timeout;
        if (retries > 20)
        {
            nodes.Problem("delivery.retries", map.Start, "at most 20 retries per run (the next run retries again)");
        }

        return nodes.ProblemCount > before || schedule is null || retries is null || backoff is null || timeout is null
            ? null
            : new DeliveryConfig { Schedule = schedule, Retries = retries.Value, Backoff = backoff.Value, Timeout = timeout.Value };
    }

    /// <summary>The kind (<c>webhook</c>), or <c>webhook-2</c>, ... for the second and later unnamed channel of a kind.</summary>
    private static string DefaultChannelName(ChannelSpec spec, List<ChannelSpec> all)
    {
        var kind = spec.Kind.ToString().ToLowerInvariant();
        var ordinal = all.Where(c => c.Name is null && c.Kind == spec.Kind).ToList().IndexOf(spec) + 1;
        return ordinal <= 1 ? kind : FormattableString.Invariant($"{kind}-{ordinal}");
    }

    private ChannelSpec? ReadChannel(YamlNode node, string path)
    {
        if (nodes.Mapping(node, path, NotifyKeys) is not { } map)
        {
            return null;
        }

        var before = nodes.ProblemCount;
        var kind = nodes.RequiredChoice(map, "kind", path, "expected webhook, slack or pagerduty", ("WEBHOOK", NotifyKind.Webhook), ("SLACK", NotifyKind.Slack), ("PAGERDUTY", NotifyKind.PagerDuty));
        var url = nodes.RequiredUrl(map, path);
        var routingKey = nodes.Secret(map, "routing_key", "routing_key_env", path);
        if (kind == NotifyKind.PagerDuty && ConfigNodes.Get(map, "routing_key") is null && ConfigNodes.Get(map, "routing_key_env") is null)
        {
            nodes.Problem(path + ".routing_key", map.Start, "missing: PagerDuty needs the integration's routing key (routing_key, or routing_key_env naming an environment variable)");
        }
        else if (kind is NotifyKind.Webhook or NotifyKind.Slack && (ConfigNodes.Get(map, "routing_key") ?? ConfigNodes.Get(map, "routing_key_env")) is { } keyNode)
        {
            nodes.Problem(path + ".routing_key", keyNode.Start, "only pagerduty channels take a routing key");
        }

        var severities = nodes.Required(map, "severities", path) is { } severitiesNode ? Severities(severitiesNode, path + ".severities") : [];
        var name = nodes.OptionalName(map, path);

        return nodes.ProblemCount > before || kind is null || url is null
            ? null
            : new ChannelSpec(name, kind.Value, url, kind == NotifyKind.PagerDuty ? routingKey : null, severities, map.Start);
    }

    private HashSet<Severity> Severities(YamlNode node, string path)
    {
        var severities = new HashSet<Severity>();
        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            nodes.Problem(path, node.Start, $"expected a non-empty list of P1, P2, P3; got {ConfigNodes.Describe(node)}");
            return severities;
        }

        foreach (var (item, itemPath) in ConfigNodes.Items(list, path))
        {
            var severity = nodes.Choice(item, itemPath, "expected P1, P2 or P3", ("P1", Severity.P1), ("P2", Severity.P2), ("P3", Severity.P3));
            if (severity is { } s && !severities.Add(s))
            {
                nodes.Problem(itemPath, item.Start, $"'{s}' is listed twice");
            }
        }

        return severities;
    }
}
