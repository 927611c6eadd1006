using Estimator.Learning;

namespace Estimator.Host.Configuration;

/// <summary>
/// Reads what a regression model (<c>problem: regression</c>) has: <c>features</c> (its input columns, which direct
/// loss estimation learns from), its <c>metrics</c> and <c>thresholds</c>, <c>seed</c> and <c>tune_hyperparameters</c>.
/// Keys of the other kind of model are problems that say so, on either side.
/// </summary>
internal sealed class RegressionSectionReader(ConfigNodes nodes, MetricsSectionReader metricsReader)
{
    private static readonly string[] ClassificationOnlyKeys = ["calibration", "normalize_confusion_matrix", "business_value_matrix", "normalize_business_value", "estimator", "domain_classifier"];
    private static readonly string[] RegressionOnlyKeys = ["seed", "tune_hyperparameters"];

    /// <summary>The model's features and DLE options (metrics, thresholds, seed, tuning); null parts where they have problems.</summary>
    /// <param name="map">The model's mapping.</param>
    /// <param name="path">The model's key path.</param>
    public (List<string>? Features, DleOptions? Options) Read(YamlMappingNode map, string path)
    {
        foreach (var key in ClassificationOnlyKeys)
        {
            if (ConfigNodes.Get(map, key) is { } node)
            {
                nodes.Problem($"{path}.{key}", node.Start, "applies to classification models only; this model is a regression model (problem: regression)");
            }
        }

        var before = nodes.ProblemCount;
        var features = nodes.Required(map, "features", path) is { } featuresNode ? Features(featuresNode, path + ".features", "direct loss estimation learns the error from them") : null;
        var metrics = metricsReader.ReadRegressionMetrics(ConfigNodes.Get(map, "metrics"), path + ".metrics");
        var thresholds = metricsReader.ReadRegressionThresholds(ConfigNodes.Get(map, "thresholds"), path + ".thresholds", metrics);
        var defaults = new DleOptions();
        var seed = ConfigNodes.Get(map, "seed") is { } seedNode ? nodes.NonNegativeInt(seedNode, path + ".seed") : defaults.Seed;
        var tune = ConfigNodes.Get(map, "tune_hyperparameters") is { } tuneNode ? nodes.Bool(tuneNode, path + ".tune_hyperparameters") : defaults.TuneHyperparameters;
        if (nodes.ProblemCount > before || metrics is null || thresholds is null || seed is null || tune is null)
        {
            return (features, null);
        }

        return (features, defaults with { Metrics = metrics, Thresholds = thresholds, Seed = seed.Value, TuneHyperparameters = tune.Value });
    }

    /// <summary>A classifier's mapping: the regression-only keys are problems (<c>features</c> is the shift-aware estimators' too; see <see cref="ShiftSectionReader"/>).</summary>
    public void CheckClassifier(YamlMappingNode map, string path)
    {
        foreach (var key in RegressionOnlyKeys)
        {
            if (ConfigNodes.Get(map, key) is { } node)
            {
                nodes.Problem($"{path}.{key}", node.Start, "applies to regression models only; set problem: regression for a regression model");
            }
        }
    }

    /// <summary><c>features</c>: a non-empty list of column names, each once; <paramref name="use"/> says what reads them.</summary>
    public List<string>? Features(YamlNode node, string path, string use) => nodes.DistinctNames(
        node,
        path,
        "expected a list of the model's input columns, e.g. [x1, x2, g]",
        $"name the model's input columns ({use})");
}
