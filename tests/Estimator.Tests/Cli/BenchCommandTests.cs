using System.Text.Json;
using Estimator.Cli;
using Estimator.IO;

namespace Estimator.Tests.Cli;

public sealed class BenchCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = EstimatorCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Bench_PrintsOneJsonObject_WithTimingsAndPeakMemory()
    {
        var (code, output, error) = Run("bench", "--rows", "25000", "--reference-rows", "30000", "--chunk-size", "5000", "--repeat", "1", "--threads", "2");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        using var json = JsonDocument.Parse(lines[0]);
        var root = json.RootElement;
        Assert.True(root.GetProperty("fit_seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("estimate_seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("rows_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("peak_rss_mib").GetDouble() > 10);
        Assert.Equal(5, root.GetProperty("analysis_chunks").GetInt32()); // 25,000 rows / 5,000
        Assert.Equal(2, root.GetProperty("threads").GetInt32());
    }

    [Fact]
    public void Bench_RunsMulticlassCbpe_WhenClassesIsThree()
    {
        var (code, output, error) = Run("bench", "--classes", "3", "--rows", "12000", "--reference-rows", "9000", "--chunk-size", "3000", "--repeat", "1", "--metrics", "roc_auc,f1,accuracy");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("classes").GetInt32());
        Assert.Equal("synthetic_multiclass", root.GetProperty("data_source").GetString());
        Assert.Equal(4, root.GetProperty("analysis_chunks").GetInt32()); // 12,000 rows / 3,000
        Assert.True(root.GetProperty("fit_seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("estimate_seconds").GetDouble() > 0);
    }

    [Theory]
    [InlineData("--classes", "1", "--classes must be 2")]
    [InlineData("--metrics", "roc_auc,average_precision", "average_precision")]
    [InlineData("--write-data", "somewhere", "not with --input or --write-data")]
    public void Bench_RefusesInOneLine_WhenMulticlassOptionsDoNotFit(string option, string value, string says)
    {
        string[] args = option == "--classes" ? ["bench", "--rows", "100", option, value] : ["bench", "--rows", "100", "--classes", "3", option, value];

        var (code, output, error) = Run(args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(says, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_WritesSeededData_AsParquetAndCsv()
    {
        var directory = Path.Combine(Path.GetTempPath(), "estimator-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, _, error) = Run("bench", "--rows", "1500", "--reference-rows", "2000", "--write-data", directory, "--write-only");
            Assert.Equal(0, code);
            Assert.Equal(string.Empty, error);

            var reference = PredictionFileReader.Read(Path.Combine(directory, "reference.parquet"), new ColumnMapping { YTrue = "y_true" }, true, true);
            var analysis = PredictionFileReader.Read(Path.Combine(directory, "analysis.parquet"), new ColumnMapping(), false, true);
            var referenceCsv = PredictionFileReader.Read(Path.Combine(directory, "reference.csv"), new ColumnMapping { YTrue = "y_true" }, true, true);
            Assert.Equal(2000, reference.Count);
            Assert.Equal(1500, analysis.Count);
            Assert.Equal(reference.Set.Scores, referenceCsv.Set.Scores);
            Assert.Equal(reference.Set.Targets, referenceCsv.Set.Targets);
            Assert.Equal(1501, File.ReadAllLines(Path.Combine(directory, "analysis.csv")).Length);

            // Same seed, same data.
            var again = Path.Combine(directory, "again");
            Assert.Equal(0, Run("bench", "--rows", "1500", "--reference-rows", "2000", "--write-data", again, "--write-only", "--write-format", "csv").Code);
            Assert.Equal(File.ReadAllText(Path.Combine(directory, "analysis.csv")), File.ReadAllText(Path.Combine(again, "analysis.csv")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Bench_Fails_WhenNeitherRowsNorInputIsGiven()
    {
        var (code, _, error) = Run("bench", "--chunk-size", "10");

        Assert.NotEqual(0, code);
        Assert.Contains("--rows", error, StringComparison.Ordinal);
    }
}
