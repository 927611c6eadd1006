using Estimator.Calculators;
using Estimator.Host.Configuration;
using Estimator.Learning;
using Estimator.Slo;
using Estimator.Thresholds;

namespace Estimator.Host.Tests.Configuration;

/// <summary><c>problem: regression</c>: features, regression metrics, DLE options and ceilings inferred for losses.</summary>
public sealed class RegressionConfigTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public RegressionConfigTests()
    {
        File.WriteAllText(Path.Combine(temp.Path, "ref.csv"), "y_true\n");
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
    }

    public void Dispose() => temp.Dispose();

    private EstimatorConfig Load(string modelLines) => TestData.LoadYaml(temp.Path, $"""
        models:
          - name: house_prices
            reference: ref.csv
            analysis: in
            schedule: "*/5 * * * *"
        {modelLines}
        """);

    [Fact]
    public void Load_ReadsARegressionModel_WithDefaultsAndInferredDirections()
    {
        var config = Load("""
                problem: regression
                features: [x1, x2, g]
                columns: { y_pred: predicted, y_true: actual, timestamp: ts }
                chunking: { size: 5000 }
                slos:
                  - { metric: mae, objective: 2.3 }
                  - { metric: rmse, objective: 3, direction: below }
            """);

        var model = Assert.Single(config.Models).Definition;
        Assert.True(model.IsRegression());
        Assert.False(model.IsMulticlass());
        Assert.Equal(ProblemKind.Regression, model.Problem);
        Assert.Equal(["x1", "x2", "g"], model.Features);
        Assert.Equal(("predicted", "actual", "ts"), (model.Columns.YPred, model.Columns.YTrue, model.Columns.Timestamp));

        // NannyML's DLE defaults: every metric, seed 42, no tuning; chunking and features carried into the DLE options.
        var options = model.ToDleOptions();
        Assert.Equal([DleMetric.Mae, DleMetric.Mape, DleMetric.Mse, DleMetric.Msle, DleMetric.Rmse, DleMetric.Rmsle], options.Metrics);
        Assert.Equal((42, false), (options.Seed, options.TuneHyperparameters));
        Assert.Equal(Chunking.BySize(5000), options.Chunking);
        Assert.Equal(["x1", "x2", "g"], options.Features);
        Assert.Equal([new SloObjective("mae", 2.3, SloDirection.Above), new SloObjective("rmse", 3, SloDirection.Below)], model.Slos);
    }

    [Fact]
    public void Load_ReadsRegressionMetricsThresholdsSeedAndTuning()
    {
        var config = Load("""
                problem: Regression
                features: [x1]
                metrics: [mae, rmse]
                thresholds: { mae: { type: constant, lower: null, upper: 2.5 } }
                seed: 7
                tune_hyperparameters: true
            """);

        var options = Assert.Single(config.Models).Definition.ToDleOptions();
        Assert.Equal([DleMetric.Mae, DleMetric.Rmse], options.Metrics);
        Assert.Equal(Threshold.Constant(null, 2.5), options.ThresholdFor(DleMetric.Mae));
        Assert.Equal((7, true), (options.Seed, options.TuneHyperparameters));
    }

    [Fact]
    public void Load_InfersFloorsForClassifiers_AndCeilingsForErrorCells()
    {
        var config = Load("""
                metrics: [roc_auc, confusion_matrix]
                slos:
                  - { metric: roc_auc, objective: 0.9 }
                  - { metric: false_positive, objective: 120 }
                  - { metric: roc_auc, objective: 0.99, direction: above }
            """);

        var model = Assert.Single(config.Models).Definition;
        Assert.Equal(ProblemKind.Classification, model.Problem);
        Assert.Equal(
            [new SloObjective("roc_auc", 0.9), new SloObjective("false_positive", 120, SloDirection.Above), new SloObjective("roc_auc", 0.99, SloDirection.Above)],
            model.Slos);
    }

    [Fact]
    public void Load_ListsEveryProblem_WhenARegressionModelIsMisconfigured()
    {
        var e = Assert.Throws<EstimatorConfigException>(() => Load("""
                problem: regression
                columns: { y_pred_proba: score, y_pred: predicted }
                metrics: [mae, roc_auc, rmse, nonsense]
                thresholds: { f1: { type: constant, lower: 0.5 } }
                calibration: always
                slos:
                  - { metric: mae, objective: 2, direction: sideways }
            """));

        var file = Path.Combine(temp.Path, "estimator.yaml");
        Assert.Equal(
            [
                "2:5: models[0].features: missing",
                "7:30: models[0].columns.y_pred_proba: a regression model has no score column; its columns are y_pred (the predicted value), y_true and timestamp",
                "8:20: models[0].metrics[1]: 'roc_auc' is a classification metric; this model is a regression model (problem: regression), which estimates mae, mape, mse, msle, rmse, rmsle",
                "8:35: models[0].metrics[3]: unknown regression metric 'nonsense'; a regression model estimates mae, mape, mse, msle, rmse, rmsle",
                "9:19: models[0].thresholds.f1: 'f1' is a classification metric; this model is a regression model (problem: regression), which estimates mae, mape, mse, msle, rmse, rmsle",
                "10:18: models[0].calibration: applies to classification models only; this model is a regression model (problem: regression)",
                "12:49: models[0].slos[0].direction: expected below (an estimate below the objective is decay: a floor) or above (an estimate above it is decay: a ceiling); got 'sideways'",
            ],
            e.Problems.Select(p => p.ToString().Replace(file + ":", "", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("    metrics: [roc_auc, mae]", "6:24: models[0].metrics[1]: 'mae' is a regression metric; this model is a classifier (set problem: regression for a regression model); classification metrics: roc_auc, f1, average_precision, precision, recall, specificity, accuracy, confusion_matrix, business_value")]
    [InlineData("    features: [x1]", "6:15: models[0].features: a classifier's features are read by the shift-aware estimators only; set estimator: auto, weighted or prior (or problem: regression for a regression model)")]
    [InlineData("    seed: 7", "6:11: models[0].seed: applies to regression models only; set problem: regression for a regression model")]
    [InlineData("    problem: regression\n    features: [x1]\n    estimator: auto", "8:16: models[0].estimator: applies to classification models only; this model is a regression model (problem: regression)")]
    [InlineData("    problem: ranking", "6:14: models[0].problem: expected classification or regression; got 'ranking'")]
    [InlineData("    problem: regression\n    features: []", "7:15: models[0].features: the list is empty: name the model's input columns (direct loss estimation learns the error from them)")]
    [InlineData("    problem: regression\n    features: [x1]\n    columns: { y_pred: null }", "8:24: models[0].columns.y_pred: must name a column")]
    [InlineData("    problem: regression\n    features: [x1]\n    slos: [{ metric: roc_auc, objective: 0.9 }]", "8:22: models[0].slos[0].metric: 'roc_auc' is not among the model's metrics; objectives can be set on: mae, mape, mse, msle, rmse, rmsle")]
    [InlineData("    problem: regression\n    features: [x1, x1]", "7:20: models[0].features[1]: 'x1' is listed twice")]
    public void Load_Fails_WithTheKeyAndLine_WhenProblemKeysAreMixed(string lines, string problem)
    {
        var e = Assert.Throws<EstimatorConfigException>(() => Load(lines));

        var file = Path.Combine(temp.Path, "estimator.yaml");
        Assert.Contains(file + ":" + problem, e.Problems.Select(p => p.ToString()));
    }
}
