using Estimator.Estimation.Shift;
using Estimator.Learning;

namespace Estimator.Host.Configuration;

/// <summary>
/// Reads a classifier's estimator keys: <c>estimator</c> (<c>cbpe</c>, the default, or the shift-aware <c>weighted</c>,
/// <c>prior</c>, <c>auto</c>), <c>features</c> (the input columns the domain classifier tells chunks from the reference
/// on; the same key a regression model lists its inputs under) and <c>domain_classifier</c> (<c>logistic</c> or
/// <c>boosting</c>). Names are parsed with <see cref="ShiftEstimators"/> and <see cref="DomainLearners"/>, as the
/// command line's <c>--estimator</c> and <c>--domain-classifier</c> are.
/// </summary>
internal sealed class ShiftSectionReader(ConfigNodes nodes, RegressionSectionReader regressionReader)
{
    /// <summary>The estimator, features and domain classifier; null parts where they have problems.</summary>
    /// <param name="map">The model's mapping.</param>
    /// <param name="path">The model's key path.</param>
    /// <param name="multiclass">Whether the model is multiclass (the shift-aware estimators are binary).</param>
    public (ShiftEstimator? Estimator, List<string>? Features, DomainLearner? Learner) Read(YamlMappingNode map, string path, bool multiclass)
    {
        var estimatorNode = ConfigNodes.Get(map, "estimator");
        ShiftEstimator? estimator = ShiftEstimator.Cbpe;
        if (estimatorNode is not null)
        {
            estimator = nodes.NonEmptyString(estimatorNode, path + ".estimator") is not { } text ? null
                : ShiftEstimators.TryParse(text, out var parsed) ? parsed
                : Invalid<ShiftEstimator>(estimatorNode, path + ".estimator", $"unknown estimator '{text}'; expected one of {string.Join(", ", ShiftEstimators.All)}");
        }

        if (multiclass && estimator is not (null or ShiftEstimator.Cbpe))
        {
            nodes.Problem(path + ".estimator", estimatorNode!.Start, "the shift-aware estimators apply to binary models only; this model is multiclass (columns.y_pred_proba maps classes)");
            estimator = null;
        }

        DomainLearner? learner = DomainLearner.LogisticRegression;
        if (ConfigNodes.Get(map, "domain_classifier") is { } learnerNode)
        {
            learner = nodes.NonEmptyString(learnerNode, path + ".domain_classifier") is not { } text ? null
                : DomainLearners.TryParse(text, out var parsed) ? parsed
                : Invalid<DomainLearner>(learnerNode, path + ".domain_classifier", $"unknown domain classifier '{text}'; expected one of {string.Join(", ", DomainLearners.All)}");
        }

        var featuresNode = ConfigNodes.Get(map, "features");
        List<string>? features = [];
        if (featuresNode is not null && estimator == ShiftEstimator.Cbpe)
        {
            nodes.Problem(path + ".features", featuresNode.Start, "a classifier's features are read by the shift-aware estimators only; set estimator: auto, weighted or prior (or problem: regression for a regression model)");
            features = null;
        }
        else if (featuresNode is not null)
        {
            features = regressionReader.Features(featuresNode, path + ".features", "the domain classifier tells each chunk from the reference on them");
        }
        else if (estimator is ShiftEstimator.Weighted or ShiftEstimator.Auto)
        {
            nodes.Problem(path + ".features", estimatorNode!.Start, $"missing: estimator {estimator.Value.Name()} needs the model's input columns, e.g. features: [x1, x2, g] (the domain classifier learns the shift from them)");
            features = null;
        }

        return (estimator, features, learner);
    }

    private T? Invalid<T>(YamlNode node, string path, string message)
        where T : struct
    {
        nodes.Problem(path, node.Start, message);
        return null;
    }
}
