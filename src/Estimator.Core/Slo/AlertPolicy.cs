namespace Estimator.Slo;

/// <summary>
/// How decay flags become alerts, in the manner of Prometheus/Alertmanager rules, counted in chunks instead of time.
/// Immutable; validated by <see cref="Validate"/>.
/// </summary>
public sealed record AlertPolicy
{
    /// <summary>Consecutive flagged chunks before an alert goes from pending to firing (Prometheus' <c>for</c>).</summary>
    /// <value>Default: 1 (fires on the first flagged chunk).</value>
    public int For { get; init; } = 1;

    /// <summary>Clear chunks an alert keeps firing for before it resolves (Prometheus' <c>keep_firing_for</c>), against flapping.</summary>
    /// <value>Default: 1 (resolves after two clear chunks in a row).</value>
    public int KeepFiringFor { get; init; } = 1;

    /// <summary>Consecutive chunks with a reference-threshold crossing that make it a ticket (P2) rather than a log entry (P3).</summary>
    /// <value>Default: 3.</value>
    public int ConsecutiveCrossings { get; init; } = 3;

    /// <summary>Chunks in the error-budget window.</summary>
    /// <value>Default: 20.</value>
    public int BudgetWindow { get; init; } = 20;

    /// <summary>Share of chunks in the window that may miss the objective (the error budget).</summary>
    /// <value>Default: 0.1.</value>
    public double ErrorBudget { get; init; } = 0.1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (For < 1)
        {
            throw new ArgumentException("'for' must be at least 1 chunk.", nameof(For));
        }

        if (KeepFiringFor < 0)
        {
            throw new ArgumentException("'keep_firing_for' must not be negative.", nameof(KeepFiringFor));
        }

        if (ConsecutiveCrossings < 1)
        {
            throw new ArgumentException("'consecutive_crossings' must be at least 1.", nameof(ConsecutiveCrossings));
        }

        if (BudgetWindow < 1)
        {
            throw new ArgumentException("'budget_window' must be at least 1 chunk.", nameof(BudgetWindow));
        }

        if (!(ErrorBudget > 0 && ErrorBudget <= 1))
        {
            throw new ArgumentException("'error_budget' must be in (0, 1].", nameof(ErrorBudget));
        }
    }
}

/// <summary>
/// A service-level objective on one metric's estimated value: a floor (e.g. <c>roc_auc &gt;= 0.90</c>) or a ceiling
/// (e.g. <c>mae &lt;= 2.5</c>).
/// </summary>
/// <param name="Metric">The metric or component name as in the estimates (<c>roc_auc</c>, <c>f1</c>, <c>mae</c>, ...).</param>
/// <param name="Objective">The floor or ceiling.</param>
/// <param name="Direction">Which side of <paramref name="Objective"/> is decay: <see cref="SloDirection.Below"/> (a floor,
/// the default) or <see cref="SloDirection.Above"/> (a ceiling). Configuration infers it from the metric
/// (<see cref="SloDirections.For"/>) when not given.</param>
public sealed record SloObjective(string Metric, double Objective, SloDirection Direction = SloDirection.Below);
