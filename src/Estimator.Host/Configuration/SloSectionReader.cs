using Estimator.Metrics;

namespace Estimator.Host.Configuration;

/// <summary>
/// Reads a model's <c>slos</c> (objectives on its metrics, each a floor or a ceiling: <c>direction</c>, inferred from the
/// metric when not given, see <see cref="SloDirections.For"/>) and <c>alerting</c> (when flags become alerts).
/// </summary>
internal sealed class SloSectionReader(ConfigNodes nodes)
{
    private static readonly string[] SloKeys = ["metric", "objective", "direction"];
    private static readonly string[] AlertingKeys = ["for", "keep_firing_for", "consecutive_crossings", "budget_window", "error_budget"];

    /// <summary>The objectives, or null when any has a problem.</summary>
    /// <param name="node">The <c>slos</c> value.</param>
    /// <param name="path">Its key path.</param>
    /// <param name="metrics">The names objectives can be set on (see <see cref="ObjectiveNames"/>), or null when the model's metrics could not be read (objectives are then not matched to them).</param>
    public List<SloObjective>? ReadSlos(YamlNode node, string path, IReadOnlyList<string>? metrics)
    {
        if (nodes.Sequence(node, path, "expected a list of objectives, e.g. [{ metric: roc_auc, objective: 0.9 }]") is not { } sequence)
        {
            return null;
        }

        var slos = new List<SloObjective>();
        var ok = true;
        foreach (var (item, itemPath) in ConfigNodes.Items(sequence, path))
        {
            var map = nodes.Mapping(item, itemPath, SloKeys);
            if (map is null)
            {
                ok = false;
                continue;
            }

            var before = nodes.ProblemCount;
            var metric = nodes.Required(map, "metric", itemPath) is { } metricNode ? SloMetric(metricNode, itemPath + ".metric", metrics) : null;
            var objective = nodes.Required(map, "objective", itemPath) is { } objectiveNode ? nodes.Number(objectiveNode, itemPath + ".objective") : null;
            var direction = nodes.OptionalChoice(
                map,
                "direction",
                itemPath,
                SloDirections.For(metric ?? ""),
                "expected below (an estimate below the objective is decay: a floor) or above (an estimate above it is decay: a ceiling)",
                ("BELOW", SloDirection.Below),
                ("ABOVE", SloDirection.Above));
            if (metric is not null && objective is double o && direction is { } d && slos.Any(s => s.Metric == metric && s.Objective.Equals(o) && s.Direction == d))
            {
                nodes.Problem(itemPath, map.Start, $"the objective for '{metric}' is listed twice");
            }

            if (nodes.ProblemCount > before || metric is null || objective is null || direction is null)
            {
                ok = false;
                continue;
            }

            slos.Add(new SloObjective(metric, objective.Value, direction.Value));
        }

        return ok ? slos : null;
    }

    /// <summary>The alert policy, or null when the section has problems.</summary>
    public AlertPolicy? ReadAlerting(YamlNode node, string path)
    {
        var map = nodes.Mapping(node, path, AlertingKeys);
        if (map is null)
        {
            return null;
        }

        var before = nodes.ProblemCount;
        var defaults = new AlertPolicy();
        var forChunks = ConfigNodes.Get(map, "for") is { } f ? nodes.PositiveInt(f, path + ".for") : defaults.For;
        var keep = ConfigNodes.Get(map, "keep_firing_for") is { } k ? nodes.NonNegativeInt(k, path + ".keep_firing_for") : defaults.KeepFiringFor;
        var crossings = ConfigNodes.Get(map, "consecutive_crossings") is { } c ? nodes.PositiveInt(c, path + ".consecutive_crossings") : defaults.ConsecutiveCrossings;
        var window = ConfigNodes.Get(map, "budget_window") is { } w ? nodes.PositiveInt(w, path + ".budget_window") : defaults.BudgetWindow;
        var budget = defaults.ErrorBudget;
        if (ConfigNodes.Get(map, "error_budget") is { } b)
        {
            var value = nodes.Number(b, path + ".error_budget");
            if (value is double v && !(v > 0 && v <= 1))
            {
                // AlertPolicy.Validate rejects it too; checked here to point at the value, in the configuration's wording.
                nodes.Problem(path + ".error_budget", b.Start, FormattableString.Invariant($"must be a share in (0, 1], e.g. 0.1; got {v}"));
            }

            budget = value ?? budget;
        }

        if (nodes.ProblemCount > before || forChunks is null || keep is null || crossings is null || window is null)
        {
            return null;
        }

        var policy = new AlertPolicy { For = forChunks.Value, KeepFiringFor = keep.Value, ConsecutiveCrossings = crossings.Value, BudgetWindow = window.Value, ErrorBudget = budget };
        try
        {
            policy.Validate();
            return policy;
        }
        catch (ArgumentException e)
        {
            nodes.Rejected(path, map.Start, e);
            return null;
        }
    }

    /// <summary>What a classifier's objectives can be set on: its metrics, and the confusion-matrix components when it has that metric.</summary>
    public static List<string> ObjectiveNames(List<Metric> metrics)
    {
        var known = metrics.Where(m => m != Metric.ConfusionMatrix).Select(m => m.ToName()).ToList();
        if (metrics.Contains(Metric.ConfusionMatrix))
        {
            known.AddRange(MetricNames.ConfusionMatrixComponents);
        }

        return known;
    }

    /// <summary>An objective's metric: one of <paramref name="known"/> (the model's metrics or components).</summary>
    private string? SloMetric(YamlNode node, string path, IReadOnlyList<string>? known)
    {
        var name = nodes.NonEmptyString(node, path);
        if (name is null || known is null)
        {
            return name;
        }

        if (!known.Contains(name, StringComparer.Ordinal))
        {
            nodes.Problem(path, node.Start, $"'{name}' is not among the model's metrics; objectives can be set on: {string.Join(", ", known)}");
            return null;
        }

        return name;
    }
}
