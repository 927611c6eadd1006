using Estimator.Tests.IO;

namespace Estimator.Tests.Cli;

/// <summary>
/// Regression bad input: each ends with exactly one line <c>error: ...</c> naming the option, or the file, column and
/// row; exit code 2; no output file.
/// </summary>
public sealed class RegressionBadInputTests : IDisposable
{
    private readonly TestFiles files = new();

    public RegressionBadInputTests()
    {
        Output = files.PathOf("out.csv");
    }

    private string Output { get; }

    public void Dispose() => files.Dispose();

    private (int Code, string Error) Estimate(string reference, string analysis, params string[] extra)
    {
        var (code, _, stderr) = CliRunner.Run(
            ["estimate", "--problem", "regression", "--reference", reference, "--analysis", analysis, "--out", Output, "--chunk-size", "2", .. extra]);
        return (code, stderr.Trim());
    }

    private (int Code, string Error) EstimateGood(params string[] extra) =>
        Estimate(GoodReference(), GoodAnalysis(), ["--features", "x1,g", .. extra]);

    private void AssertFailed((int Code, string Error) run, params string[] mentions)
    {
        Assert.Equal(2, run.Code);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', run.Error);
        foreach (var m in mentions)
        {
            Assert.Contains(m, run.Error, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(Output), "no output file may be written");
        Assert.Empty(Directory.GetFiles(files.Directory, "*.tmp"));
    }

    private string Csv(string name, string text) => files.WriteText(name, text);

    private string GoodReference() => Csv(
        "reference.csv",
        "id,x1,g,y_pred,y_true\n1,0.1,A,1.0,1.2\n2,0.5,B,2.0,2.5\n3,0.9,A,3.0,2.7\n4,0.3,B,1.5,1.1\n5,0.7,A,2.5,2.6\n6,0.2,B,1.2,1.9\n");

    private string GoodAnalysis() => Csv("analysis.csv", "id,x1,g,y_pred\n11,0.4,A,1.8\n12,0.6,B,2.2\n13,0.8,A,2.9\n");

    [Fact]
    public void NonNumericPrediction_NamesFileColumnAndRow()
    {
        var analysis = Csv("text.csv", "id,x1,g,y_pred\n11,0.4,A,1.8\n12,0.6,B,lots\n");

        AssertFailed(Estimate(GoodReference(), analysis, "--features", "x1,g"), $"file '{analysis}'", "column 'y_pred'", "row 1", "value 'lots' is not a number");
    }

    [Fact]
    public void NonNumericTarget_NamesFileColumnAndRow()
    {
        var reference = Csv("text.csv", "x1,g,y_pred,y_true\n0.1,A,1.0,1.2\n0.5,B,2.0,abc\n");

        AssertFailed(Estimate(reference, GoodAnalysis(), "--features", "x1,g"), $"file '{reference}'", "column 'y_true'", "row 1", "is not a number");
    }

    [Fact]
    public void NonNumericJoinedTarget_NamesTheTargetsFile()
    {
        var targets = Csv("targets.csv", "id,y_true\n11,1.5\n12,twelve\n");

        AssertFailed(
            EstimateGood("--targets", targets, "--id-column", "id"), $"file '{targets}'", "column 'y_true'", "row 1", "value 'twelve' is not a number");
    }

    [Theory]
    [InlineData("msle", "msle takes logarithms and needs non-negative values (leave it out of --metrics")]
    [InlineData("mae,rmsle", "rmsle takes logarithms and needs non-negative values")]
    [InlineData(null, "msle and rmsle take logarithms and need non-negative values")]
    public void NegativePrediction_WithALogarithmicMetric_NamesColumnRowAndMetric(string? metrics, string says)
    {
        var analysis = Csv("negative.csv", "id,x1,g,y_pred\n11,0.4,A,1.8\n12,0.6,B,2.2\n13,0.8,A,-0.25\n");
        string[] extra = metrics is null ? ["--features", "x1,g"] : ["--features", "x1,g", "--metrics", metrics];

        AssertFailed(Estimate(GoodReference(), analysis, extra), $"file '{analysis}', column 'y_pred', row 2: the value -0.25 is negative; {says}");
    }

    [Fact]
    public void NegativeActualValue_InTheReference_NamesColumnAndRow()
    {
        var reference = Csv("negative.csv", "x1,g,y_pred,y_true\n0.1,A,1.0,1.2\n0.5,B,2.0,-3\n0.9,A,3.0,2.7\n");

        AssertFailed(Estimate(reference, GoodAnalysis(), "--features", "x1,g", "--metrics", "rmsle"), $"file '{reference}', column 'y_true', row 1: the value -3 is negative; rmsle");
    }

    [Fact]
    public void NegativeJoinedActualValue_NamesTheTargetsFileAndMetric()
    {
        var targets = Csv("targets.csv", "id,y_true\n11,1.5\n13,-2\n");

        AssertFailed(
            EstimateGood("--targets", targets, "--id-column", "id", "--metrics", "mae,msle"),
            $"file '{targets}', column 'y_true': the actual value -2 joined to analysis row 2 is negative; msle takes logarithms");
    }

    [Fact]
    public void NegativeValues_AreFine_WithoutLogarithmicMetrics()
    {
        var analysis = Csv("negative.csv", "id,x1,g,y_pred\n11,0.4,A,1.8\n12,0.6,B,-2.2\n");

        var (code, _, stderr) = CliRunner.Run(
            "estimate", "--problem", "regression", "--reference", GoodReference(), "--analysis", analysis, "--out", Output,
            "--chunk-size", "2", "--features", "x1,g", "--metrics", "mae,mse,rmse,mape");

        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Output));
    }

    [Theory]
    [InlineData("analysis")]
    [InlineData("reference")]
    public void MissingFeature_NamesFileAndColumn(string which)
    {
        var withoutG = Csv("no-g.csv", which == "analysis" ? "x1,y_pred\n0.4,1.8\n" : "x1,y_pred,y_true\n0.1,1.0,1.2\n0.5,2.0,2.5\n");
        var run = which == "analysis" ? Estimate(GoodReference(), withoutG, "--features", "x1,g") : Estimate(withoutG, GoodAnalysis(), "--features", "x1,g");

        AssertFailed(run, $"file '{withoutG}'", "column 'g'", "not found");
    }

    [Fact]
    public void EmptyReference_NamesTheFile()
    {
        var reference = Csv("empty.csv", "x1,g,y_pred,y_true\n");

        AssertFailed(Estimate(reference, GoodAnalysis(), "--features", "x1,g"), $"file '{reference}'", "no rows");
    }

    [Fact]
    public void ReferenceWithoutALabelledRow_NamesFileAndColumns()
    {
        var reference = Csv("unlabelled.csv", "x1,g,y_pred,y_true\n0.1,A,1.0,\n0.5,B,,2.5\n");

        AssertFailed(
            Estimate(reference, GoodAnalysis(), "--features", "x1,g"),
            $"file '{reference}': no row has both an actual value ('y_true') and a prediction ('y_pred')");
    }

    [Fact]
    public void UnknownRegressionMetric_ListsTheRegressionMetrics()
    {
        AssertFailed(EstimateGood("--metrics", "mae,r2"), "--metrics: unknown regression metric 'r2'; regression metrics: mae, mape, mse, msle, rmse, rmsle");
    }

    [Fact]
    public void ClassificationMetric_WithRegression_SaysWhichProblemItBelongsTo()
    {
        AssertFailed(EstimateGood("--metrics", "mae,roc_auc"), "--metrics: 'roc_auc' is a classification metric; --problem regression estimates mae, mape, mse, msle, rmse, rmsle");
    }

    [Fact]
    public void RegressionMetric_WithClassification_SaysToGiveProblemRegression()
    {
        var (code, _, stderr) = CliRunner.Run(
            "estimate", "--reference", GoodReference(), "--analysis", GoodAnalysis(), "--out", Output, "--metrics", "roc_auc,rmse");

        AssertFailed((code, stderr.Trim()), "--metrics: 'rmse' is a regression metric; estimate a regression model with --problem regression");
    }

    [Fact]
    public void RegressionThreshold_OnAClassificationMetric_IsAnError()
    {
        AssertFailed(EstimateGood("--threshold", "f1=constant:0.5,"), "--threshold: unknown regression metric 'f1'");
    }

    [Theory]
    [InlineData("--y-pred-proba", "score")]
    [InlineData("--calibration", "never")]
    [InlineData("--business-value-matrix", "1,2,3,4")]
    [InlineData("--business-value-per-prediction", null)]
    [InlineData("--confusion-matrix-normalization", "all")]
    [InlineData("--per-class", null)]
    public void ClassificationOption_WithRegression_NamesTheOption(string option, string? value)
    {
        string[] extra = value is null ? [option] : [option, value];

        AssertFailed(EstimateGood(extra), $"error: {option} applies to classification models, not to --problem regression");
    }

    [Theory]
    [InlineData("--features", "x1,g")]
    [InlineData("--seed", "7")]
    [InlineData("--tune", null)]
    public void RegressionOption_WithoutProblemRegression_NamesTheOption(string option, string? value)
    {
        string[] extra = value is null ? [option] : [option, value];
        var (code, _, stderr) = CliRunner.Run(["estimate", "--reference", GoodReference(), "--analysis", GoodAnalysis(), "--out", Output, .. extra]);

        AssertFailed((code, stderr.Trim()), $"error: {option} applies to regression models: give --problem regression");
    }

    [Fact]
    public void Regression_WithoutFeatures_SaysFeaturesAreNeeded()
    {
        AssertFailed(Estimate(GoodReference(), GoodAnalysis()), "--problem regression needs --features");
    }

    [Fact]
    public void UnknownProblem_ListsTheProblems()
    {
        var (code, _, stderr) = CliRunner.Run(
            "estimate", "--problem", "ranking", "--reference", GoodReference(), "--analysis", GoodAnalysis(), "--out", Output, "--features", "x1,g");

        AssertFailed((code, stderr.Trim()), "error: --problem: unknown problem 'ranking'; use classification or regression");
    }
}
