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

    /// <summary>The more urgent of two severities.</summary>
    public static Severity Max(this Severity a, Severity b) => a.Rank() >= b.Rank() ? a : b;
}
