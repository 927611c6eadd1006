using Estimator.Slo;

namespace Estimator.Monitoring;

/// <summary>
/// When an incident gets an action for a remediation target: once it reaches <see cref="On"/> or worse, if it is an
/// incident of one of <see cref="Metrics"/> and <see cref="Rules"/>.
/// </summary>
/// <param name="Target">The target's name (unique per model).</param>
/// <param name="Kind">The target's kind, as recorded on the action (<c>webhook</c>).</param>
/// <param name="On">The least severity that triggers it: <c>P1</c> triggers on P1 only, <c>P2</c> on P2 and P1, <c>P3</c> on any.</param>
public sealed record RemediationRule(string Target, string Kind, Severity On)
{
    /// <summary>The metrics whose incidents count, or null for every metric.</summary>
    public IReadOnlySet<string>? Metrics { get; init; }

    /// <summary>The alert rules whose incidents count (<c>objective</c>, <c>threshold</c>, <c>assumption</c>), or null for every rule.</summary>
    public IReadOnlySet<string>? Rules { get; init; }

    /// <summary>Whether the firing notification <paramref name="n"/> reaches this rule: its severity, metric and alert rule.</summary>
    /// <param name="n">A firing notification.</param>
    public bool Applies(AlertNotification n)
    {
        ArgumentNullException.ThrowIfNull(n);
        return Triggers(n.Severity) && (Metrics is null || Metrics.Contains(n.Metric)) && (Rules is null || Rules.Contains(n.Rule));
    }

    /// <summary>Whether a firing notification of <paramref name="severity"/> (<c>P1</c>, <c>P2</c>, <c>P3</c>) reaches this rule.</summary>
    /// <param name="severity">The notification's severity.</param>
    public bool Triggers(string severity)
    {
        var s = SeverityExtensions.ParseOrNone(severity);
        return s != Severity.None && s.Rank() >= On.Rank();
    }
}
