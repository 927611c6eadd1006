using Estimator.Host.Configuration;
using Estimator.Metrics;

namespace Estimator.Host.Tests.Configuration;

/// <summary>A model whose <c>columns.y_pred_proba</c> maps classes to score columns is multiclass.</summary>
public sealed class MulticlassConfigTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public MulticlassConfigTests()
    {
        File.WriteAllText(Path.Combine(temp.Path, "ref.csv"), "y_true\n");
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
    }

    public void Dispose() => temp.Dispose();

    private EstimatorConfig Load(string modelLines) => TestData.LoadYaml(temp.Path, $"""
        models:
          - name: credit_card
            reference: ref.csv
            analysis: in
            schedule: "*/5 * * * *"
        {modelLines}
        """);

    [Fact]
    public void Load_ReadsAMulticlassModel_WhenYPredProbaMapsClassesToColumns()
    {
        var config = Load("""
                chunking: { size: 6000 }
                columns:
                  y_pred_proba:
                    prepaid_card: y_pred_proba_prepaid_card
                    highstreet_card: y_pred_proba_highstreet_card
                    upmarket_card: y_pred_proba_upmarket_card
                  y_pred: y_pred
                  y_true: y_true
                  timestamp: timestamp
            """);

        var model = Assert.Single(config.Models).Definition;
        Assert.True(model.IsMulticlass());
        var scores = model.Columns.ClassScores!;
        Assert.Equal(["prepaid_card", "highstreet_card", "upmarket_card"], scores.Classes);
        Assert.Equal(["y_pred_proba_prepaid_card", "y_pred_proba_highstreet_card", "y_pred_proba_upmarket_card"], scores.Columns);
        Assert.Equal(("y_pred", "y_true", "timestamp"), (model.Columns.YPred, model.Columns.YTrue, model.Columns.Timestamp));

        // No metrics listed: multiclass CBPE's (NannyML's multiclass tutorial's), in its order.
        Assert.Equal([Metric.RocAuc, Metric.F1, Metric.Precision, Metric.Recall, Metric.Specificity, Metric.Accuracy], model.Options.Metrics);
        Assert.Equal(Chunking.BySize(6000), model.ToMulticlassOptions().Chunking);
    }

    [Fact]
    public void Load_KeepsAStringYPredProba_Binary()
    {
        var config = Load("    columns: { y_pred_proba: score }");

        var model = Assert.Single(config.Models).Definition;
        Assert.False(model.IsMulticlass());
        Assert.Equal("score", model.Columns.YPredProba);
    }

    [Theory]
    [InlineData("    columns: { y_pred_proba: { a: p_a } }", "6:30: models[0].columns.y_pred_proba: a multiclass model maps at least two classes to their score columns, e.g. {a: score_a, b: score_b}; got 1. For a binary model give one column name")]
    [InlineData("    columns: { y_pred_proba: {} }", "6:30: models[0].columns.y_pred_proba: a multiclass model maps at least two classes to their score columns, e.g. {a: score_a, b: score_b}; got 0. For a binary model give one column name")]
    [InlineData("    columns: { y_pred_proba: { a: p, b: p } }", "6:41: models[0].columns.y_pred_proba.b: column 'p' is already the score column of class 'a'; each class needs its own column")]
    [InlineData("    columns: { y_pred_proba: { a: p_a, a: p_b } }", "6:40: not valid YAML: Duplicate key a")]
    [InlineData("    columns: { y_pred_proba: { a: p_a, b: ~ } }", "6:43: models[0].columns.y_pred_proba.b: expected a non-empty value, got nothing (null)")]
    [InlineData("    columns: { y_pred_proba: { a: p_a, b: [x, y] } }", "6:43: models[0].columns.y_pred_proba.b: expected a non-empty value, got a list")]
    [InlineData("    columns: { y_pred_proba: { a: p_a, b: p_b } }\n    metrics: [roc_auc, business_value]", "7:24: models[0].metrics[1]: multiclass CBPE does not estimate 'business_value'; it estimates roc_auc, f1, precision, recall, specificity, accuracy, confusion_matrix")]
    [InlineData("    columns: { y_pred_proba: { a: p_a, b: p_b } }\n    business_value_matrix: [[0, 1], [1, 0]]", "7:28: models[0].business_value_matrix: applies to binary models only; this model is multiclass (columns.y_pred_proba maps classes)")]
    public void Load_Fails_WithTheEntryAndWhy_WhenTheClassMapIsBad(string lines, string problem)
    {
        var e = Assert.Throws<EstimatorConfigException>(() => Load(lines));

        var file = Path.Combine(temp.Path, "estimator.yaml");
        Assert.Contains(file + ":" + problem, e.Problems.Select(p => p.ToString()));
    }
}
