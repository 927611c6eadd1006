namespace Estimator.Host.Online;

/// <summary>
/// The deployment gate of a model (<c>GET /v1/models/{model}/verdict</c>): <c>fail</c> while a P1 alert fires in the
/// store, or while the full window's estimate is a P1 against an objective (the whole confidence band on the decay
/// side, the rule the store's alerts use); otherwise <c>inconclusive</c> until the window holds N rows, then <c>pass</c>.
/// The window's check catches a bad release within N rows, before its chunk closes and is evaluated.
/// </summary>
internal static class OnlineVerdict
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string Inconclusive = "inconclusive";

    /// <summary>The verdict and its reasons, human-readable.</summary>
    public static (string Verdict, IReadOnlyList<string> Reasons) Decide(ModelDefinition model, OnlineSnapshot window, IReadOnlyList<AlertStatus> alerts)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(alerts);
        var failures = new List<string>();
        foreach (var alert in alerts)
        {
            if (alert.State == "firing" && alert.Severity == "P1")
            {
                failures.Add($"P1 alert firing in the store: {alert.Metric} ({alert.Rule}) as of chunk {alert.ChunkKey ?? "?"}");
            }
        }

        var checks = new List<string>();
        if (window.IsFull)
        {
            foreach (var slo in model.Slos)
            {
                var metric = window.Metrics.FirstOrDefault(m => string.Equals(m.Name, slo.Metric, StringComparison.Ordinal));
                if (metric is null)
                {
                    continue;
                }

                var point = new ChunkPoint("window", 0, metric.Estimated, metric.LowerConfidenceBound, metric.UpperConfidenceBound, metric.Alert, null);
                var flag = SloEvaluator.FlagObjective([point], slo.Objective, slo.Direction)[0];
                var text = string.Create(CultureInfo.InvariantCulture, $"window of the last {window.WindowRows} rows: {slo.Metric} {flag.Reason}");
                if (flag.Severity == Severity.P1)
                {
                    failures.Add(text);
                }
                else
                {
                    checks.Add(flag.Severity == Severity.None ? text : $"{text} (P2: not a failure)");
                }
            }
        }

        if (failures.Count > 0)
        {
            return (Fail, failures);
        }

        if (!window.IsFull)
        {
            return (Inconclusive, [string.Create(CultureInfo.InvariantCulture, $"the window holds {window.WindowRows} of {window.Window} rows")]);
        }

        checks.Add("no P1 alert firing in the store");
        return (Pass, checks);
    }
}
