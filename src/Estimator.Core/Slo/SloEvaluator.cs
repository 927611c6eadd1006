namespace Estimator.Slo;

/// <summary>One chunk's estimate of one metric, as the SLO evaluation sees it (final chunks only, in chunk order).</summary>
/// <param name="ChunkKey">The chunk's key.</param>
/// <param name="ChunkIndex">The chunk's index in the analysis period.</param>
/// <param name="Estimated">The estimate.</param>
/// <param name="LowerConfidenceBound">Lower end of the confidence band.</param>
/// <param name="UpperConfidenceBound">Upper end of the confidence band.</param>
/// <param name="ThresholdAlert">Whether the estimate crossed a reference threshold.</param>
/// <param name="Realized">The realized value once labels are in, else null.</param>
/// <param name="EndDate">The chunk's end, if known.</param>
public sealed record ChunkPoint(
    string ChunkKey,
    int ChunkIndex,
    double Estimated,
    double LowerConfidenceBound,
    double UpperConfidenceBound,
    bool ThresholdAlert,
    double? Realized,
    DateTime? EndDate = null);

/// <summary>What kind of rule raised a flag: an absolute objective or the reference-based thresholds.</summary>
public enum AlertRule
{
    /// <summary>An SLO floor or ceiling on the metric (<c>objective</c>).</summary>
    Objective,

    /// <summary>NannyML's reference-based thresholds.</summary>
    Threshold,
}

/// <summary>Where an alert is in its lifecycle (Alertmanager's states).</summary>
public enum AlertState
{
    /// <summary>Not flagged.</summary>
    Inactive,

    /// <summary>Flagged, but for fewer chunks than <see cref="AlertPolicy.For"/>.</summary>
    Pending,

    /// <summary>Firing: notifications are sent.</summary>
    Firing,

    /// <summary>Was firing, now clear for longer than <see cref="AlertPolicy.KeepFiringFor"/>.</summary>
    Resolved,
}

/// <summary>The flag one chunk raises under one rule, with the reason in words.</summary>
/// <param name="Point">The chunk.</param>
/// <param name="Severity">The severity (None when clear).</param>
/// <param name="Reason">Why, in a sentence.</param>
public sealed record ChunkFlag(ChunkPoint Point, Severity Severity, string Reason);

/// <summary>A change of an alert's state or severity at a chunk: what a notification reports.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="State">The new state (Firing or Resolved).</param>
/// <param name="Severity">The severity at that chunk (for Resolved: the severity it had while firing).</param>
/// <param name="Point">The chunk at which it happened.</param>
/// <param name="Reason">Why.</param>
public sealed record AlertTransition(AlertRule Rule, AlertState State, Severity Severity, ChunkPoint Point, string Reason);

/// <summary>
/// Where the alert lifecycle stands after a chunk, so that a long stream is evaluated a few chunks at a time: folding the
/// flags of chunks 0..n in one call and folding 0..k, then k+1..n from the state after k give the same transitions.
/// </summary>
/// <param name="State">Inactive, pending or firing.</param>
/// <param name="Flagged">Consecutive flagged chunks so far.</param>
/// <param name="Clear">Consecutive clear chunks while firing.</param>
/// <param name="Severity">The firing severity.</param>
/// <param name="Crossings">Consecutive reference-threshold crossings (threshold rule only).</param>
/// <param name="LastSeverity">The last chunk's flag (what <see cref="SloEvaluator.Current(LifecycleState)"/> reports while pending).</param>
public sealed record LifecycleState(AlertState State, int Flagged, int Clear, Severity Severity, int Crossings, Severity LastSeverity)
{
    /// <summary>Before the first chunk.</summary>
    public static LifecycleState Initial { get; } = new(AlertState.Inactive, 0, 0, Severity.None, 0, Severity.None);
}

/// <summary>Error budget over the last <see cref="AlertPolicy.BudgetWindow"/> final chunks.</summary>
/// <param name="WindowChunks">Chunks in the window (fewer at the start of a stream).</param>
/// <param name="BadChunks">Chunks in the window whose estimate misses the objective (below a floor, above a ceiling).</param>
/// <param name="BudgetRemaining">1 − (bad share / budget); negative once the budget is spent.</param>
/// <param name="BurnRate">(bad share) / budget: 1 spends the budget exactly over the window, above 1 faster.</param>
public sealed record BudgetStatus(int WindowChunks, int BadChunks, double BudgetRemaining, double BurnRate);

/// <summary>What realized values say about a flagged chunk once labels are in.</summary>
public enum Verdict
{
    /// <summary>No labels yet.</summary>
    Pending,

    /// <summary>The realized value is on the decay side of the objective too: the decay was real.</summary>
    Confirmed,

    /// <summary>The realized value meets the objective: the flag was a false alarm.</summary>
    Retracted,
}

/// <summary>
/// Decides SLO decay flags from estimates, statistically rather than by a bare crossing, and runs the alert lifecycle.
/// </summary>
/// <remarks>
/// Tiers: P1 (page) when the whole confidence band lies on the decay side of the objective (below a floor, above a
/// ceiling: <see cref="SloDirection"/>); P2 (ticket) when the estimate is on the decay side but the band still reaches it, or a reference threshold is crossed on <see cref="AlertPolicy.ConsecutiveCrossings"/>
/// consecutive chunks; P3 (log) for a shorter run of threshold crossings. The lifecycle follows Alertmanager: pending
/// until flagged for <see cref="AlertPolicy.For"/> chunks, then firing; resolved after more than
/// <see cref="AlertPolicy.KeepFiringFor"/> clear chunks. Evaluation is a pure function of the chunk sequence, so it can be
/// re-run after every estimate and gives the same transitions for the same chunks.
/// </remarks>
public static class SloEvaluator
{
    /// <summary>
    /// Flags each chunk against an absolute objective: for a floor (<see cref="SloDirection.Below"/>) P1 when the whole
    /// band is below it, P2 when the estimate is below it but the band reaches it; for a ceiling
    /// (<see cref="SloDirection.Above"/>) the mirror image — P1 when the whole band is above it, P2 when the estimate is
    /// above it but the band reaches it. An estimate equal to the objective meets it.
    /// </summary>
    public static IReadOnlyList<ChunkFlag> FlagObjective(IReadOnlyList<ChunkPoint> points, double objective, SloDirection direction = SloDirection.Below)
    {
        ArgumentNullException.ThrowIfNull(points);
        var side = direction.Name();
        var flags = new ChunkFlag[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];

            // The band's near end is the bound on the objective's side: the upper bound of a floor, the lower of a ceiling.
            var nearEnd = direction == SloDirection.Above ? p.LowerConfidenceBound : p.UpperConfidenceBound;
            flags[i] = double.IsNaN(p.Estimated) ? new ChunkFlag(p, Severity.None, "no estimate")
                : direction.Misses(nearEnd, objective)
                    ? new ChunkFlag(p, Severity.P1, FormattableString.Invariant($"whole band [{p.LowerConfidenceBound:0.####}, {p.UpperConfidenceBound:0.####}] {side} objective {objective:0.####}"))
                : direction.Misses(p.Estimated, objective)
                    ? new ChunkFlag(p, Severity.P2, FormattableString.Invariant($"estimate {p.Estimated:0.####} {side} objective {objective:0.####}, band reaches it"))
                    : new ChunkFlag(p, Severity.None, FormattableString.Invariant($"estimate {p.Estimated:0.####} meets objective {objective:0.####}"));
        }

        return flags;
    }

    /// <summary>Flags each chunk by its reference-threshold crossing: P2 from the n-th consecutive crossing on, P3 before.</summary>
    public static IReadOnlyList<ChunkFlag> FlagThresholds(IReadOnlyList<ChunkPoint> points, AlertPolicy policy)
    {
        var run = 0;
        return FlagThresholds(points, policy, ref run);
    }

    /// <summary>As <see cref="FlagThresholds(IReadOnlyList{ChunkPoint}, AlertPolicy)"/>, continuing a run of <paramref name="run"/> crossings before the first point (updated to the run after the last).</summary>
    public static IReadOnlyList<ChunkFlag> FlagThresholds(IReadOnlyList<ChunkPoint> points, AlertPolicy policy, ref int run)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(policy);
        var flags = new ChunkFlag[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            run = p.ThresholdAlert ? run + 1 : 0;
            flags[i] = run == 0 ? new ChunkFlag(p, Severity.None, "inside the reference thresholds")
                : run >= policy.ConsecutiveCrossings
                    ? new ChunkFlag(p, Severity.P2, FormattableString.Invariant($"reference threshold crossed on {run} consecutive chunks"))
                    : new ChunkFlag(p, Severity.P3, FormattableString.Invariant($"reference threshold crossed ({run} chunk{(run == 1 ? "" : "s")} in a row)"));
        }

        return flags;
    }

    /// <summary>
    /// Runs the alert lifecycle over the flags in chunk order and returns every notification-worthy change: becoming
    /// firing, a change of severity while firing, and resolving. Pending states are not notified.
    /// </summary>
    public static IReadOnlyList<AlertTransition> Lifecycle(AlertRule rule, IReadOnlyList<ChunkFlag> flags, AlertPolicy policy)
    {
        var state = LifecycleState.Initial;
        return Lifecycle(rule, flags, policy, ref state);
    }

    /// <summary>
    /// As <see cref="Lifecycle(AlertRule, IReadOnlyList{ChunkFlag}, AlertPolicy)"/>, starting from <paramref name="at"/>
    /// (the state after the chunks before the first flag) and leaving in it the state after the last flag.
    /// </summary>
    public static IReadOnlyList<AlertTransition> Lifecycle(AlertRule rule, IReadOnlyList<ChunkFlag> flags, AlertPolicy policy, ref LifecycleState at)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(at);
        policy.Validate();
        var transitions = new List<AlertTransition>();
        var state = at.State;
        var flagged = at.Flagged;
        var clear = at.Clear;
        var severity = at.Severity;
        var last = at.LastSeverity;
        foreach (var flag in flags)
        {
            last = flag.Severity;
            if (flag.Severity != Severity.None)
            {
                flagged++;
                clear = 0;
                if (state == AlertState.Firing)
                {
                    if (flag.Severity != severity)
                    {
                        severity = flag.Severity;
                        transitions.Add(new AlertTransition(rule, AlertState.Firing, severity, flag.Point, flag.Reason));
                    }
                }
                else if (flagged >= policy.For)
                {
                    state = AlertState.Firing;
                    severity = flag.Severity;
                    transitions.Add(new AlertTransition(rule, AlertState.Firing, severity, flag.Point, flag.Reason));
                }
                else
                {
                    state = AlertState.Pending;
                }
            }
            else
            {
                flagged = 0;
                if (state == AlertState.Firing)
                {
                    clear++;
                    if (clear > policy.KeepFiringFor)
                    {
                        transitions.Add(new AlertTransition(rule, AlertState.Resolved, severity, flag.Point, flag.Reason));
                        state = AlertState.Inactive;
                        severity = Severity.None;
                        clear = 0;
                    }
                }
                else
                {
                    state = AlertState.Inactive;
                }
            }
        }

        at = at with { State = state, Flagged = flagged, Clear = clear, Severity = severity, LastSeverity = last };
        return transitions;
    }

    /// <summary>The alert's state after the chunks folded into <paramref name="at"/>; the same as <see cref="Current(IReadOnlyList{AlertTransition}, IReadOnlyList{ChunkFlag}, AlertPolicy)"/> over all of them.</summary>
    public static (AlertState State, Severity Severity) Current(LifecycleState at)
    {
        ArgumentNullException.ThrowIfNull(at);
        return at.State == AlertState.Firing ? (AlertState.Firing, at.Severity)
            : at.LastSeverity != Severity.None ? (AlertState.Pending, at.LastSeverity)
            : (AlertState.Inactive, Severity.None);
    }

    /// <summary>The alert's state after the last chunk (what <c>/metrics</c> reports as firing or not).</summary>
    public static (AlertState State, Severity Severity) Current(IReadOnlyList<AlertTransition> transitions, IReadOnlyList<ChunkFlag> flags, AlertPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(policy);
        if (transitions.Count > 0 && transitions[^1].State == AlertState.Firing)
        {
            return (AlertState.Firing, transitions[^1].Severity);
        }

        var trailing = 0;
        for (var i = flags.Count - 1; i >= 0 && flags[i].Severity != Severity.None; i--)
        {
            trailing++;
        }

        return trailing > 0 ? (AlertState.Pending, flags[^1].Severity) : (AlertState.Inactive, Severity.None);
    }

    /// <summary>The error budget over the last window of chunks: how fast misses of the objective (estimates on its decay side) spend it.</summary>
    public static BudgetStatus Budget(IReadOnlyList<ChunkPoint> points, double objective, AlertPolicy policy, SloDirection direction = SloDirection.Below)
    {
        ArgumentNullException.ThrowIfNull(points);
        var estimates = new double[points.Count];
        for (var i = 0; i < estimates.Length; i++)
        {
            estimates[i] = points[i].Estimated;
        }

        return Budget(estimates, objective, policy, direction);
    }

    /// <summary>As <see cref="Budget(IReadOnlyList{ChunkPoint}, double, AlertPolicy, SloDirection)"/> over the chunks' estimates alone (the last <see cref="AlertPolicy.BudgetWindow"/> are enough).</summary>
    public static BudgetStatus Budget(ReadOnlySpan<double> estimates, double objective, AlertPolicy policy, SloDirection direction = SloDirection.Below)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var window = Math.Min(policy.BudgetWindow, estimates.Length);
        var bad = 0;
        for (var i = estimates.Length - window; i < estimates.Length; i++)
        {
            bad += direction.Misses(estimates[i], objective) ? 1 : 0;
        }

        var share = window == 0 ? 0 : (double)bad / window;
        var burn = share / policy.ErrorBudget;
        return new BudgetStatus(window, bad, 1 - burn, burn);
    }

    /// <summary>What the realized value says about an objective flag on a chunk: confirmed when it is on the decay side too.</summary>
    public static Verdict Judge(ChunkFlag flag, double objective, SloDirection direction = SloDirection.Below)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return flag.Point.Realized is not double realized || double.IsNaN(realized) ? Verdict.Pending
            : direction.Misses(realized, objective) ? Verdict.Confirmed
            : Verdict.Retracted;
    }
}
