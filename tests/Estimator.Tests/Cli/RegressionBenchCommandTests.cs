using System.Text.Json;
using Estimator.Cli;

namespace Estimator.Tests.Cli;

public sealed class RegressionBenchCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = EstimatorCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Bench_RunsDle_WhenProblemIsRegression()
    {
        var (code, output, error) = Run("bench", "--problem", "regression", "--rows", "6000", "--reference-rows", "4000", "--chunk-size", "2000", "--repeat", "1", "--quiet");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var root = json.RootElement;
        Assert.Equal("synthetic_regression", root.GetProperty("data_source").GetString());
        Assert.Equal("mae,mape,mse,msle,rmse,rmsle", root.GetProperty("metrics").GetString()); // NannyML's default: all six
        Assert.Equal(4, root.GetProperty("error_models").GetInt32()); // rmse shares mse's model, rmsle msle's
        Assert.Equal(3, root.GetProperty("analysis_chunks").GetInt32()); // 6,000 rows / 2,000
        Assert.True(root.GetProperty("fit_seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("estimate_seconds").GetDouble() > 0);
        Assert.Equal(1, root.GetProperty("estimate_cpu_seconds_runs").GetArrayLength());
    }

    [Fact]
    public void Bench_TakesRegressionMetrics_FromMetrics()
    {
        var (code, output, error) = Run("bench", "--problem", "regression", "--rows", "3000", "--chunk-size", "1000", "--repeat", "1", "--metrics", "rmse,mae", "--quiet");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("rmse,mae", json.RootElement.GetProperty("metrics").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("error_models").GetInt32());
    }

    [Theory]
    [InlineData("--metrics", "roc_auc", "not a regression metric")]
    [InlineData("--classes", "3", "not with --classes")]
    [InlineData("--write-data", "somewhere", "not with --classes, --input or --write-data")]
    public void Bench_RefusesInOneLine_WhenRegressionOptionsDoNotFit(string option, string value, string says)
    {
        var (code, output, error) = Run("bench", "--problem", "regression", "--rows", "100", option, value);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(says, error, StringComparison.Ordinal);
    }
}
