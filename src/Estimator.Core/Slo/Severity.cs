namespace Estimator.Slo;

/// <summary>How urgent a decay flag is. Ordered: a larger value is more urgent.</summary>
public enum Severity
{
    /// <summary>No decay.</summary>
    None = 0,

    /// <summary>Log: a reference threshold is crossed on a single chunk (or fewer than the configured run of chunks).</summary>
    P3 = 3,

    /// <summary>Ticket: the estimate is on the decay side of the objective (below a floor, above a ceiling) but its confidence band still reaches it, or a reference threshold is crossed on several consecutive chunks.</summary>
    P2 = 2,

    /// <summary>Page: the whole confidence band is on the decay side of the objective — the decay is certain beyond sampling error.</summary>
    P1 = 1,
}

/// <summary>Ordering helpers for <see cref="Severity"/> (P1 is the most urgent, None the least).</summary>
public static class SeverityExtensions
{
    /// <summary>Urgency rank: 0 for None, 1 for P3, 2 for P2, 3 for P1.</summary>
    public static int Rank(this Severity severity) => severity switch
    {
        Severity.P1 => 3,
        Severity.P2 => 2,
        Severity.P3 => 1,
        _ => 0,
    };

    /// <summary>
    /// Parses a severity as notifications and the configuration spell it: exactly <c>P1</c>, <c>P2</c> or <c>P3</c>.
    /// Anything else (also <c>p1</c> or the enum's number <c>1</c>) is <see cref="Severity.None"/>, so routing and
    /// remediation read a hand-edited notification the same way.
    /// </summary>
    /// <param name="text">The severity's name.</param>
    public static Severity ParseOrNone(string? text) => text switch
    {
        "P1" => Severity.P1,
        "P2" => Severity.P2,
        "P3" => Severity.P3,
        _ => Severity.None,
    };

    /// <summary>The more urgent of two severities.</summary>
    public static Severity Max(this Severity a, Severity b) => a.Rank() >= b.Rank() ? a : b;
}
