using Estimator.Drift;

namespace Estimator.Host.Configuration;

/// <summary>
/// Reads a model's <c>drift</c> and <c>quality</c> sections: what <c>estimator drift</c> and <c>estimator quality</c>
/// take as options, with the same defaults (NannyML's) and Core's method names (<see cref="DriftMethods"/>).
/// </summary>
internal sealed class InputSectionsReader(ConfigNodes nodes)
{
    private static readonly string[] DriftKeys = ["columns", "categorical", "continuous_methods", "categorical_methods", "multivariate"];
    private static readonly string[] QualityKeys = ["missing_columns", "unseen_columns", "range_columns", "statistics_columns"];

    /// <summary>What the model measures of its inputs (nothing when it has neither section), or null when a section has problems.</summary>
    /// <param name="map">The model's mapping.</param>
    /// <param name="path">The model's key path.</param>
    public InputMonitoring? Read(YamlMappingNode map, string path)
    {
        var before = nodes.ProblemCount;
        var monitoring = new InputMonitoring();
        if (ConfigNodes.Get(map, "drift") is { } driftNode)
        {
            monitoring = Drift(driftNode, path + ".drift", monitoring);
        }

        if (ConfigNodes.Get(map, "quality") is { } qualityNode)
        {
            monitoring = Quality(qualityNode, path + ".quality", monitoring);
        }

        return nodes.ProblemCount > before ? null : monitoring;
    }

    private InputMonitoring Drift(YamlNode node, string path, InputMonitoring monitoring)
    {
        if (nodes.Mapping(node, path, DriftKeys) is not { } map)
        {
            return monitoring;
        }

        var columns = nodes.Required(map, "columns", path) is { } columnsNode ? Columns(columnsNode, path + ".columns", "the model's input columns, e.g. [car_value, salary_range]", allowEmpty: false) : null;
        var categorical = ConfigNodes.Get(map, "categorical") is { } categoricalNode ? Columns(categoricalNode, path + ".categorical", "columns to treat as categorical", allowEmpty: true) : [];
        if (columns is not null && categorical is not null && ConfigNodes.Get(map, "categorical") is YamlSequenceNode listed)
        {
            foreach (var (item, itemPath) in ConfigNodes.Items(listed, path + ".categorical"))
            {
                if (item is YamlScalarNode { Value: { } name } && !columns.Contains(name.Trim(), StringComparer.Ordinal))
                {
                    nodes.Problem(itemPath, item.Start, $"'{name.Trim()}' is not one of {path}.columns");
                }
            }
        }

        var defaults = new UnivariateDriftOptions { Columns = ["-"] };
        var continuousMethods = ConfigNodes.Get(map, "continuous_methods") is { } continuousNode ? Methods(continuousNode, path + ".continuous_methods", FeatureKind.Continuous) : defaults.ContinuousMethods;
        var categoricalMethods = ConfigNodes.Get(map, "categorical_methods") is { } categoricalMethodsNode ? Methods(categoricalMethodsNode, path + ".categorical_methods", FeatureKind.Categorical) : defaults.CategoricalMethods;
        var multivariate = MultivariateDrift.None;
        if (ConfigNodes.Get(map, "multivariate") is { } multivariateNode && nodes.NonEmptyString(multivariateNode, path + ".multivariate") is { } text
            && !MultivariateDrifts.TryParse(text, out multivariate))
        {
            nodes.Problem(path + ".multivariate", multivariateNode.Start, $"expected {string.Join(" or ", MultivariateDrifts.Names)}, got '{text}'");
        }

        if (columns is null || categorical is null || continuousMethods is null || categoricalMethods is null)
        {
            return monitoring;
        }

        var options = defaults with { Columns = columns, TreatAsCategorical = categorical, ContinuousMethods = continuousMethods, CategoricalMethods = categoricalMethods };
        return monitoring with { Drift = options, Multivariate = multivariate };
    }

    private InputMonitoring Quality(YamlNode node, string path, InputMonitoring monitoring)
    {
        if (nodes.Mapping(node, path, QualityKeys) is not { } map)
        {
            return monitoring;
        }

        var missing = List(map, path, "missing_columns", "columns whose missing-values rate is tracked");
        var unseen = List(map, path, "unseen_columns", "categorical columns whose unseen-values rate is tracked");
        var range = List(map, path, "range_columns", "numeric columns whose rate of values outside the reference's range is tracked");
        var statistics = List(map, path, "statistics_columns", "numeric columns whose mean, median and standard deviation are tracked");
        if (missing is { Count: 0 } && unseen is { Count: 0 } && range is { Count: 0 } && statistics is { Count: 0 })
        {
            // As estimator quality: a quality check needs something to check.
            nodes.Problem(path, map.Start, "give at least one of missing_columns, unseen_columns, range_columns and statistics_columns");
        }

        return missing is null || unseen is null || range is null || statistics is null
            ? monitoring
            : monitoring with { MissingColumns = missing, UnseenColumns = unseen, RangeColumns = range, StatisticsColumns = statistics };
    }

    private List<string>? List(YamlMappingNode map, string path, string key, string what) =>
        ConfigNodes.Get(map, key) is { } node ? Columns(node, path + "." + key, what, allowEmpty: false) : [];

    /// <summary>A list of column names, each once; empty only when <paramref name="allowEmpty"/>.</summary>
    private List<string>? Columns(YamlNode node, string path, string what, bool allowEmpty) =>
        nodes.DistinctNames(node, path, $"expected a list of {what}", allowEmpty ? null : $"give {what}");

    /// <summary>Drift methods by Core's names (<see cref="DriftMethods.TryParse"/>), each applying to <paramref name="kind"/> columns, each once.</summary>
    private List<DriftMethod>? Methods(YamlNode node, string path, FeatureKind kind)
    {
        if (Columns(node, path, $"{kind.Name()} drift methods", allowEmpty: false) is not { } names || node is not YamlSequenceNode sequence)
        {
            return null;
        }

        var methods = new List<DriftMethod>();
        var index = 0;
        foreach (var (item, itemPath) in ConfigNodes.Items(sequence, path))
        {
            var name = names[index++];
            if (!DriftMethods.TryParse(name, out var method))
            {
                nodes.Problem(itemPath, item.Start, $"unknown method '{name}'; {kind.Name()} columns take {string.Join(", ", Enum.GetValues<DriftMethod>().Where(m => m.Supports(kind)).Select(m => m.Name()))}");
            }
            else if (!method.Supports(kind))
            {
                nodes.Problem(itemPath, item.Start, $"{method.Name()} does not apply to {kind.Name()} columns");
            }
            else if (methods.Contains(method))
            {
                nodes.Problem(itemPath, item.Start, $"'{name}' is listed twice");
            }
            else
            {
                methods.Add(method);
                continue;
            }

            return null;
        }

        return methods;
    }
}
