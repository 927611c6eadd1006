namespace Estimator.Host.Configuration;

/// <summary>
/// One remediation target of a model (<c>remediation: [{ on: P1, kind: webhook, url, name, headers, bearer_token,
/// timeout_seconds, metrics, rules }]</c>): where a rollback request is posted, once per incident, when the incident reaches
/// <see cref="On"/> or worse. Immutable.
/// </summary>
/// <param name="Name">Unique per model; actions are recorded under it. Default: the kind, with <c>-2</c>, <c>-3</c>, ... for further ones.</param>
/// <param name="Kind">How it is called.</param>
/// <param name="On">The least severity that triggers it: P1 (P1 only), P2 (P2 and P1) or P3 (any).</param>
/// <param name="Url">Where to POST (absolute http or https).</param>
/// <param name="Headers">Extra request headers (e.g. a tenant); never printed.</param>
/// <param name="BearerToken">Sent as <c>Authorization: Bearer ...</c>, or null; a secret, never printed.</param>
/// <param name="Timeout">Time limit of one POST, or null for <c>delivery.timeout_seconds</c>.</param>
public sealed record RemediationTarget(
    string Name,
    RemediationKind Kind,
    Severity On,
    Uri Url,
    IReadOnlyDictionary<string, string> Headers,
    string? BearerToken,
    TimeSpan? Timeout)
{
    /// <summary>The metrics whose incidents count (<c>metrics</c>), or null for all of the model's.</summary>
    /// <value>Default: null.</value>
    public IReadOnlyList<string>? Metrics { get; init; }

    /// <summary>The alert rules whose incidents count (<c>rules</c>: objective, threshold, assumption), or null for all.</summary>
    /// <value>Default: null.</value>
    public IReadOnlyList<string>? Rules { get; init; }

    /// <summary>What the store's planner needs: the name, the kind, the severity and the filters.</summary>
    public RemediationRule ToRule() => new(Name, Kind.Name, On)
    {
        Metrics = Metrics is null ? null : new HashSet<string>(Metrics, StringComparer.Ordinal),
        Rules = Rules is null ? null : new HashSet<string>(Rules, StringComparer.Ordinal),
    };

    /// <summary>Name, kind and severity; neither the URL nor the headers or token.</summary>
    public override string ToString() => $"{Name} ({Kind.Name} on {On})";
}
