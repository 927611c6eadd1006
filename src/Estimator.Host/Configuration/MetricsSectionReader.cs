using Estimator.Estimation;
using Estimator.Learning;
using Estimator.Metrics;
using Estimator.Thresholds;

namespace Estimator.Host.Configuration;

/// <summary>
/// Reads what a model measures: <c>metrics</c> (names parsed by <see cref="MetricNames"/>, or by
/// <see cref="DleMetrics"/> for a regression model), per-metric <c>thresholds</c>, and the <c>business_value_matrix</c>.
/// A metric of the other kind of model (<c>mae</c> on a classifier, <c>roc_auc</c> on a regression model) is a problem
/// that says so.
/// </summary>
internal sealed class MetricsSectionReader(ConfigNodes nodes)
{
    private static readonly string[] StdThresholdKeys = ["type", "std_lower_multiplier", "std_upper_multiplier"];
    private static readonly string[] ConstantThresholdKeys = ["type", "lower", "upper"];

    /// <summary>The metrics (the CBPE defaults when <paramref name="node"/> is null), or null when the list has problems.</summary>
    public List<Metric>? ReadMetrics(YamlNode? node, string path) =>
        node is null ? [.. new CbpeOptions().Metrics] : ReadList<Metric>(node, path, "[roc_auc, f1]", MetricName);

    /// <summary>A regression model's metrics (all six, NannyML's default, when <paramref name="node"/> is null), or null when the list has problems.</summary>
    public List<DleMetric>? ReadRegressionMetrics(YamlNode? node, string path) =>
        node is null ? [.. DleMetrics.Default] : ReadList<DleMetric>(node, path, "[mae, rmse]", RegressionMetricName);

    private List<T>? ReadList<T>(YamlNode node, string path, string example, Func<string, string, YamlNode, T?> parse)
        where T : struct => nodes.DistinctList(
            node,
            path,
            $"expected a list of metric names, e.g. {example}",
            (string text, string itemPath, YamlNode item, out T value) =>
            {
                var parsed = parse(text, itemPath, item);
                value = parsed.GetValueOrDefault();
                return parsed.HasValue;
            },
            "name at least one metric");

    /// <summary>The thresholds by metric (none when <paramref name="node"/> is null), or null when any has a problem.</summary>
    /// <param name="node">The <c>thresholds</c> value, or null.</param>
    /// <param name="path">Its key path.</param>
    /// <param name="metrics">The model's metrics (a threshold must be on one of them), or null when they could not be read.</param>
    public Dictionary<Metric, Threshold>? ReadThresholds(YamlNode? node, string path, List<Metric>? metrics) =>
        ReadThresholds(node, path, metrics, MetricName);

    /// <summary>A regression model's thresholds by metric, as <see cref="ReadThresholds(YamlNode?, string, List{Metric}?)"/>.</summary>
    public Dictionary<DleMetric, Threshold>? ReadRegressionThresholds(YamlNode? node, string path, List<DleMetric>? metrics) =>
        ReadThresholds(node, path, metrics, RegressionMetricName);

    private Dictionary<T, Threshold>? ReadThresholds<T>(YamlNode? node, string path, List<T>? metrics, Func<string, string, YamlNode, T?> parse)
        where T : struct
    {
        var thresholds = new Dictionary<T, Threshold>();
        if (node is null)
        {
            return thresholds;
        }

        if (node is not YamlMappingNode map)
        {
            nodes.Problem(path, node.Start, "expected a mapping of metric to threshold, e.g. {roc_auc: {type: constant, lower: 0.8}}");
            return null;
        }

        var ok = true;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            var itemPath = $"{path}.{key}";
            if (parse(key, itemPath, keyNode) is not { } metric)
            {
                ok = false;
                continue;
            }

            if (metrics is not null && !metrics.Contains(metric))
            {
                nodes.Problem(itemPath, keyNode.Start, $"a threshold for '{key}', which is not among the model's metrics");
                ok = false;
                continue;
            }

            if (ReadThreshold(valueNode, itemPath) is { } threshold)
            {
                thresholds[metric] = threshold;
            }
            else
            {
                ok = false;
            }
        }

        return ok ? thresholds : null;
    }

    /// <summary>The matrix <c>[[TN, FP], [FN, TP]]</c>, or null when it has problems.</summary>
    public BusinessValueMatrix? ReadBusinessValueMatrix(YamlNode node, string path)
    {
        const string Expected = "expected [[TN, FP], [FN, TP]] (rows: actual 0, 1; columns: predicted 0, 1)";
        if (node is not YamlSequenceNode { Children.Count: 2 } rows
            || rows.Children[0] is not YamlSequenceNode { Children.Count: 2 } row0
            || rows.Children[1] is not YamlSequenceNode { Children.Count: 2 } row1)
        {
            nodes.Problem(path, node.Start, Expected);
            return null;
        }

        var cells = new[] { row0.Children[0], row0.Children[1], row1.Children[0], row1.Children[1] };
        var values = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (nodes.Number(cells[i], path) is not double v)
            {
                return null;
            }

            values[i] = v;
        }

        return new BusinessValueMatrix(values[0], values[1], values[2], values[3]);
    }

    /// <summary>A metric name parsed by <see cref="MetricNames.TryParse"/>; an unknown one is a problem listing the known names.</summary>
    private Metric? MetricName(string name, string path, YamlNode node)
    {
        if (MetricNames.TryParse(name, out var metric))
        {
            return metric;
        }

        nodes.Problem(path, node.Start, DleMetrics.TryParse(name, out _)
            ? $"'{name}' is a regression metric; this model is a classifier (set problem: regression for a regression model); classification metrics: {string.Join(", ", MetricNames.All)}"
            : $"unknown metric '{name}'; known metrics: {string.Join(", ", MetricNames.All)}");
        return null;
    }

    /// <summary>A regression metric name parsed by <see cref="DleMetrics.TryParse"/>; a classification metric or an unknown name is a problem.</summary>
    private DleMetric? RegressionMetricName(string name, string path, YamlNode node)
    {
        if (DleMetrics.TryParse(name, out var metric))
        {
            return metric;
        }

        var known = string.Join(", ", DleMetrics.All.Select(m => m.Name()));
        nodes.Problem(path, node.Start, MetricNames.TryParse(name, out _)
            ? $"'{name}' is a classification metric; this model is a regression model (problem: regression), which estimates {known}"
            : $"unknown regression metric '{name}'; a regression model estimates {known}");
        return null;
    }

    private Threshold? ReadThreshold(YamlNode node, string path)
    {
        if (node is not YamlMappingNode map)
        {
            nodes.Problem(path, node.Start, "expected {type: standard_deviation, std_lower_multiplier: 3, std_upper_multiplier: 3} or {type: constant, lower: L, upper: U}");
            return null;
        }

        var typeNode = ConfigNodes.Get(map, "type");
        if (typeNode is null)
        {
            nodes.Problem(path + ".type", map.Start, "missing: standard_deviation or constant");
            return null;
        }

        var type = nodes.NonEmptyString(typeNode, path + ".type");
        var before = nodes.ProblemCount;
        try
        {
            switch (type)
            {
                case null:
                    return null;
                case "standard_deviation":
                    {
                        nodes.CheckKeys(map, path, StdThresholdKeys);
                        var lower = nodes.OptionalNumber(map, "std_lower_multiplier", path, 3);
                        var upper = nodes.OptionalNumber(map, "std_upper_multiplier", path, 3);
                        if (lower is < 0 || upper is < 0)
                        {
                            // Core rejects these too; checked here to keep the configuration's wording.
                            nodes.Problem(path, map.Start, "standard-deviation multipliers must not be negative");
                        }

                        return nodes.ProblemCount > before ? null : Threshold.StandardDeviation(lower, upper);
                    }

                case "constant":
                    {
                        nodes.CheckKeys(map, path, ConstantThresholdKeys);
                        var lower = nodes.OptionalNumber(map, "lower", path, null);
                        var upper = nodes.OptionalNumber(map, "upper", path, null);
                        return nodes.ProblemCount > before ? null : Threshold.Constant(lower, upper);
                    }

                default:
                    nodes.Problem(path + ".type", typeNode.Start, $"unknown threshold type '{type}': expected standard_deviation or constant");
                    return null;
            }
        }
        catch (ArgumentException e)
        {
            nodes.Rejected(path, map.Start, e);
            return null;
        }
    }
}
