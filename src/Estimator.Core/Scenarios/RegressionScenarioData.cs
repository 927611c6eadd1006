namespace Estimator.Scenarios;

/// <summary>A generated regression world: reference and analysis periods with each row's true error distribution.</summary>
public sealed class RegressionScenarioData
{
    internal RegressionScenarioData()
    {
    }

    /// <summary>The scenario (<see cref="Scenario.RegressionStable"/> or <see cref="Scenario.RegressionCovariateShift"/>).</summary>
    public required Scenario Scenario { get; init; }

    /// <summary>The options it was generated with.</summary>
    public required ScenarioOptions Options { get; init; }

    /// <summary>The least-squares coefficients of the model, in the order of <see cref="RegressionScenarioGenerator.ModelTerms"/>.</summary>
    public required IReadOnlyList<double> ModelCoefficients { get; init; }

    /// <summary>The reference period (targets known; the model was fitted on it).</summary>
    public required RegressionScenarioPeriod Reference { get; init; }

    /// <summary>The analysis period; its <see cref="RegressionScenarioPeriod.Targets"/> are the ground truth, whether or not they have arrived.</summary>
    public required RegressionScenarioPeriod Analysis { get; init; }
}

/// <summary>One period of a regression world, columnar; row i of every array is the same row.</summary>
public sealed class RegressionScenarioPeriod : ScenarioRows
{
    internal RegressionScenarioPeriod()
    {
    }

    /// <summary>Name of the categorical feature column (<see cref="Groups"/>).</summary>
    public const string GroupName = "g";

    /// <summary>The categorical feature <c>g</c> of each row: <c>A</c>, <c>B</c> or <c>C</c>.</summary>
    public required string[] Groups { get; init; }

    /// <summary>The world's E[y | x] of each row.</summary>
    public required double[] TrueMeans { get; init; }

    /// <summary>The world's standard deviation of y given x of each row (the noise's spread).</summary>
    public required double[] NoiseSds { get; init; }

    /// <summary>The model's predicted value of each row.</summary>
    public required double[] Predictions { get; init; }

    /// <summary>The actual value of each row, drawn from N(<see cref="TrueMeans"/>, <see cref="NoiseSds"/>²).</summary>
    public required double[] Targets { get; init; }

    /// <summary>Each row's true expected absolute error E|y − y_pred| given its features (closed form).</summary>
    public required double[] ExpectedAbsoluteErrors { get; init; }

    /// <summary>Each row's true expected squared error E(y − y_pred)² given its features (closed form).</summary>
    public required double[] ExpectedSquaredErrors { get; init; }

    /// <summary>Number of rows.</summary>
    public int Count => Predictions.Length;

    /// <summary>The period as a regression model's data: predictions, the features <c>x1, x2, x3, g</c>, and every target or none.</summary>
    /// <param name="withTargets">Whether to include the targets.</param>
    public ModelData ToModelData(bool withTargets)
    {
        var features = new List<FeatureColumn>(FeatureNames.Count + 1);
        for (var f = 0; f < FeatureNames.Count; f++)
        {
            features.Add(new NumericFeature(FeatureNames[f], Features[f]));
        }

        features.Add(new CategoricalFeature(GroupName, Groups));
        return new ModelData(Count, Timestamps) { Predictions = Predictions, Targets = withTargets ? Targets : null, Features = features };
    }
}
