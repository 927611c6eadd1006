namespace Estimator.Host.Configuration;

/// <summary>
/// Reads a model's <c>remediation</c> list: <c>[{ on: P1, kind: webhook, url, name, headers, bearer_token |
/// bearer_token_env, timeout_seconds, metrics, rules }]</c>. Every mistake is a problem at its line and column.
/// </summary>
internal sealed class RemediationSectionReader(ConfigNodes nodes)
{
    private static readonly string[] Keys = ["on", "kind", "url", "name", "headers", "bearer_token", "bearer_token_env", "timeout_seconds", "metrics", "rules"];

    private static readonly string[] AlertRules = ["objective", "threshold", "assumption"];

    // Set by the dispatcher: a configured value would break the idempotency contract or the JSON body.
    private static readonly string[] ReservedHeaders = ["Idempotency-Key", "Content-Type", "Content-Length", "Host"];

    /// <summary>The targets, or null when the list has problems.</summary>
    /// <param name="node">The <c>remediation</c> value.</param>
    /// <param name="path">Its key path.</param>
    /// <param name="metricNames">The model's metric names (what <c>metrics</c> may list), or null when they could not be read.</param>
    public IReadOnlyList<RemediationTarget>? Read(YamlNode node, string path, IReadOnlyList<string>? metricNames)
    {
        if (nodes.Sequence(node, path, "expected a list of targets, e.g. [{ on: P1, kind: webhook, url: \"https://deploy.example/rollback\" }]") is not { } sequence)
        {
            return null;
        }

        var before = nodes.ProblemCount;
        var targets = new List<(RemediationTarget Target, bool Named, YamlNode Node)>();
        foreach (var (item, itemPath) in ConfigNodes.Items(sequence, path))
        {
            if (ReadTarget(item, itemPath, metricNames) is { } target)
            {
                targets.Add(target);
            }
        }

        // Default names: the kind, then kind-2, kind-3, ... among the unnamed ones; any two equal names are a problem.
        var result = new List<RemediationTarget>();
        var seen = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (target, named, item) in targets)
        {
            var ordinal = named ? 0 : targets.Where(t => !t.Named && t.Target.Kind == target.Kind).Select(t => t.Node).ToList().IndexOf(item) + 1;
            var name = named || ordinal <= 1 ? target.Name : FormattableString.Invariant($"{target.Name}-{ordinal}");
            if (seen.TryGetValue(name, out var first))
            {
                nodes.Problem(path, item.Start, FormattableString.Invariant($"two targets are named '{name}' (first on line {first.Start.Line}); give each a distinct name"));
                continue;
            }

            seen[name] = item;
            result.Add(target with { Name = name });
        }

        return nodes.ProblemCount > before ? null : result;
    }

    private (RemediationTarget Target, bool Named, YamlNode Node)? ReadTarget(YamlNode node, string path, IReadOnlyList<string>? metricNames)
    {
        var map = nodes.Mapping(node, path, Keys);
        if (map is null)
        {
            return null;
        }

        var before = nodes.ProblemCount;
        var on = nodes.RequiredChoice(map, "on", path, "expected P1, P2 or P3 (the least severity that triggers the action)", ("P1", Severity.P1), ("P2", Severity.P2), ("P3", Severity.P3));
        var kind = nodes.Required(map, "kind", path) is { } kindNode ? Kind(kindNode, path + ".kind") : null;
        var url = nodes.RequiredUrl(map, path);
        var token = nodes.Secret(map, "bearer_token", "bearer_token_env", path);
        var timeout = ConfigNodes.Get(map, "timeout_seconds") is { } t ? nodes.PositiveSeconds(t, path + ".timeout_seconds") : null;
        var headers = ConfigNodes.Get(map, "headers") is { } h ? Headers(h, path + ".headers", token is not null) : new Dictionary<string, string>();
        var metrics = ConfigNodes.Get(map, "metrics") is { } m ? Names(m, path + ".metrics", metricNames, "the model's metrics") : null;
        var rules = ConfigNodes.Get(map, "rules") is { } r ? Names(r, path + ".rules", AlertRules, "the alert rules") : null;
        var name = nodes.OptionalName(map, path);

        return nodes.ProblemCount > before || on is null || kind is null || url is null || headers is null
            ? null
            : (new RemediationTarget(name ?? kind.Name, kind, on.Value, url, headers, token, timeout) { Metrics = metrics, Rules = rules }, name is not null, node);
    }

    /// <summary>A non-empty list of distinct names (<see cref="ConfigNodes.DistinctList{T}"/>), each among <paramref name="known"/> when that is given.</summary>
    private List<string>? Names(YamlNode node, string path, IReadOnlyList<string>? known, string what)
    {
        var expected = $"expected a non-empty list of {what}; got {ConfigNodes.Describe(node)}";
        if (node is YamlSequenceNode { Children.Count: 0 })
        {
            nodes.Problem(path, node.Start, expected);
            return null;
        }

        return nodes.DistinctList(node, path, expected, (string text, string itemPath, YamlNode item, out string value) =>
        {
            value = text;
            if (known is null || known.Contains(text, StringComparer.Ordinal))
            {
                return true;
            }

            nodes.Problem(itemPath, item.Start, $"'{text}' is not among {what}: {string.Join(", ", known)}");
            return false;
        }, whenEmpty: null);
    }

    private RemediationKind? Kind(YamlNode node, string path)
    {
        if (nodes.NonEmptyString(node, path) is not { } text)
        {
            return null;
        }

        if (RemediationKind.TryParse(text, out var kind))
        {
            return kind;
        }

        nodes.Problem(path, node.Start, $"'{text}' is not a remediation kind; expected {string.Join(" or ", RemediationKind.All.Select(k => k.Name))}");
        return null;
    }

    /// <summary>Extra headers: a mapping of header names (HTTP tokens) to values; the dispatcher's own headers are refused.</summary>
    private Dictionary<string, string>? Headers(YamlNode node, string path, bool hasToken)
    {
        if (node is not YamlMappingNode map)
        {
            nodes.Problem(path, node.Start, $"expected a mapping of header names to values, e.g. {{ X-Team: ml }}; got {ConfigNodes.Describe(node)}");
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { } k } ? k.Trim() : "";
            var where = $"{path}.{key}";
            if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal))))
            {
                nodes.Problem(where, keyNode.Start, $"'{key}' is not a header name (letters, digits and !#$%&'*+-.^_`|~)");
                continue;
            }

            if (ReservedHeaders.Contains(key, StringComparer.OrdinalIgnoreCase) || (hasToken && key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
            {
                nodes.Problem(where, keyNode.Start, $"'{key}' is set by the dispatcher{(key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ? " from bearer_token" : "")}; remove it");
                continue;
            }

            if (nodes.NonEmptyString(valueNode, where) is { } value)
            {
                if (value.Any(char.IsControl))
                {
                    nodes.Problem(where, valueNode.Start, "a header value cannot hold control characters (line breaks, tabs)");
                }
                else if (!headers.TryAdd(key, value))
                {
                    nodes.Problem(where, keyNode.Start, $"'{key}' is given twice");
                }
            }
        }

        return headers;
    }
}
