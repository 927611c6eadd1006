using Estimator.Estimation.Shift;
using Estimator.Host.Configuration;
using Estimator.Learning;

namespace Estimator.Host.Tests.Configuration;

/// <summary>A classifier's <c>estimator</c>, <c>features</c> and <c>domain_classifier</c>: defaults, parsing and the problems of each mistake.</summary>
public sealed class ShiftConfigTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public ShiftConfigTests()
    {
        File.WriteAllText(Path.Combine(temp.Path, "ref.csv"), "y_true\n");
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
    }

    public void Dispose() => temp.Dispose();

    private EstimatorConfig Load(string modelLines) => TestData.LoadYaml(temp.Path, $"""
        models:
          - name: loans
            reference: ref.csv
            analysis: in
            schedule: "*/5 * * * *"
        {modelLines}
        """);

    [Fact]
    public void Load_KeepsPlainCbpe_WhenNoEstimatorIsSet()
    {
        var model = Assert.Single(Load("    chunking: { size: 5000 }").Models).Definition;

        Assert.Equal(ShiftEstimator.Cbpe, model.Estimator);
        Assert.False(model.IsShiftAware());
        Assert.Empty(model.Features);
        Assert.Null(model.StoredInputs());
    }

    [Fact]
    public void Load_ReadsAShiftAwareClassifier_AndStoresItsFeaturesAfterTheDriftColumns()
    {
        var model = Assert.Single(Load("""
                estimator: Auto
                features: [x1, x2, g]
                domain_classifier: boosting
                drift: { columns: [x2, x9] }
            """).Models).Definition;

        Assert.True(model.IsShiftAware());
        Assert.Equal(ShiftEstimator.Auto, model.Estimator);
        Assert.Equal(DomainLearner.GradientBoosting, model.DomainClassifier);
        Assert.Equal(["x1", "x2", "g"], model.Features);
        Assert.Equal(["x2", "x9", "x1", "g"], model.StoredInputs());
        var options = model.ToShiftOptions();
        Assert.Equal((ShiftEstimator.Auto, DomainLearner.GradientBoosting), (options.Estimator, options.Learner));
        Assert.Same(model.Options, options.Cbpe);
    }

    [Fact]
    public void Load_ReadsThePriorEstimator_WithoutFeatures()
    {
        var model = Assert.Single(Load("    estimator: prior").Models).Definition;

        Assert.Equal(ShiftEstimator.Prior, model.Estimator);
        Assert.Null(model.StoredInputs());
    }

    [Theory]
    [InlineData("    estimator: weighted", "6:16: models[0].features: missing: estimator weighted needs the model's input columns, e.g. features: [x1, x2, g] (the domain classifier learns the shift from them)")]
    [InlineData("    estimator: pape", "6:16: models[0].estimator: unknown estimator 'pape'; expected one of cbpe, weighted, prior, auto")]
    [InlineData("    estimator: auto\n    features: [x1]\n    domain_classifier: forest", "8:24: models[0].domain_classifier: unknown domain classifier 'forest'; expected one of logistic, boosting")]
    [InlineData("    estimator: auto\n    features: []", "7:15: models[0].features: the list is empty: name the model's input columns (the domain classifier tells each chunk from the reference on them)")]
    [InlineData("    estimator: auto\n    features: [x1, x1]", "7:20: models[0].features[1]: 'x1' is listed twice")]
    [InlineData("    estimator: auto\n    features: [x1]\n    columns: { y_pred_proba: { a: pa, b: pb } }", "6:16: models[0].estimator: the shift-aware estimators apply to binary models only; this model is multiclass (columns.y_pred_proba maps classes)")]
    public void Load_Fails_WithFileLineAndColumn_ForEachMistake(string lines, string problem)
    {
        var e = Assert.Throws<EstimatorConfigException>(() => Load(lines));

        var file = Path.Combine(temp.Path, "estimator.yaml");
        Assert.Contains(file + ":" + problem, e.Problems.Select(p => p.ToString()));
    }
}
