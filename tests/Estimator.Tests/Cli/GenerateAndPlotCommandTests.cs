using Estimator.Cli;
using Estimator.IO;
using Estimator.Tests.IO;

namespace Estimator.Tests.Cli;

public sealed class GenerateAndPlotCommandTests : IDisposable
{
    private readonly TestFiles files = new();

    [Fact]
    public void Generate_WritesReproducibleParquet_WhenSeedIsTheSame()
    {
        var (codeA, _, _) = Run("generate", "--scenario", "covariate_shift", "--rows", "1500", "--seed", "5", "--out", files.PathOf("a"));
        var (codeB, _, _) = Run("generate", "--scenario", "covariate_shift", "--rows", "1500", "--seed", "5", "--out", files.PathOf("b"));
        Assert.Equal(0, codeA);
        Assert.Equal(0, codeB);

        var mapping = new ColumnMapping { YTrue = "y_true", Timestamp = "timestamp", Id = "id" };
        var a = PredictionFileReader.Read(Path.Combine(files.PathOf("a"), "reference.parquet"), mapping, requireTargets: true, requirePredictions: true);
        var b = PredictionFileReader.Read(Path.Combine(files.PathOf("b"), "reference.parquet"), mapping, requireTargets: true, requirePredictions: true);
        Assert.Equal(1500, a.Count);
        Assert.Equal(a.Set.Scores, b.Set.Scores);
        Assert.Equal(a.Set.Targets, b.Set.Targets);
        Assert.True(File.Exists(Path.Combine(files.PathOf("a"), "analysis_targets.parquet")));
    }

    [Fact]
    public async Task Generate_WritesTheRegressionWorld_WithEachRowsExpectedErrors()
    {
        var (code, stdout, _) = Run("generate", "--scenario", "regression_covariate_shift", "--rows", "1200", "--seed", "9", "--out", files.PathOf("r"));
        Assert.Equal(0, code);
        Assert.Contains("regression_covariate_shift", stdout, StringComparison.Ordinal);
        Assert.Equal(["analysis.parquet", "analysis_targets.parquet", "reference.parquet"], Directory.GetFiles(files.PathOf("r")).Select(Path.GetFileName).Order().ToList());

        // Read back as a regression model's files: features x1..x3 and g, targets joined by id.
        var mapping = new ColumnMapping { YPred = "y_pred", YTrue = "y_true", Timestamp = "timestamp", Id = "id" };
        string[] features = ["x1", "x2", "x3", "g"];
        var reference = RegressionFileReader.Read(Path.Combine(files.PathOf("r"), "reference.parquet"), mapping, features, requireTargets: true);
        var analysis = RegressionFileReader.Read(Path.Combine(files.PathOf("r"), "analysis.parquet"), mapping with { YTrue = null }, features, requireTargets: false);
        var join = await TargetJoin.LeftJoinValuesAsync(analysis, Path.Combine(files.PathOf("r"), "analysis_targets.parquet"), "id", "y_true");
        var expected = Estimator.Scenarios.RegressionScenarioGenerator.Generate(
            Estimator.Scenarios.Scenario.RegressionCovariateShift, new Estimator.Scenarios.ScenarioOptions { ReferenceRows = 1200, AnalysisRows = 1200, Seed = 9 });
        Assert.Equal(expected.Reference.Targets, reference.Data.Targets);
        Assert.Equal(expected.Analysis.Predictions, analysis.Data.Predictions);
        Assert.Equal(expected.Analysis.Targets, join.Targets);
        Assert.Equal(expected.Analysis.Groups, ((Estimator.Calculators.CategoricalFeature)analysis.Data.Feature("g")).Values);
        var errors = RegressionFileReader.Read(Path.Combine(files.PathOf("r"), "analysis_targets.parquet"), new ColumnMapping { YPred = "exp_abs_err", YTrue = "exp_sq_err" }, [], requireTargets: true);
        Assert.Equal(expected.Analysis.ExpectedAbsoluteErrors, errors.Data.Predictions);
        Assert.Equal(expected.Analysis.ExpectedSquaredErrors, errors.Data.Targets);
    }

    [Fact]
    public void Generate_Fails_WhenARegressionWorldIsCutIntoAnalysisFiles()
    {
        var (code, _, stderr) = Run("generate", "--scenario", "regression_stable", "--rows", "1000", "--analysis-files", "2", "--out", files.PathOf("x"));
        Assert.Equal(EstimatorCli.BadInput, code);
        Assert.Contains("regression world", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_WritesOneTargetFilePerBatch_WhenLabelDelay()
    {
        var (code, stdout, _) = Run("generate", "--scenario", "label_delay", "--rows", "1000", "--label-batches", "4", "--out", files.PathOf("d"));
        Assert.Equal(0, code);
        Assert.Contains("label_delay", stdout, StringComparison.Ordinal);
        var names = Directory.GetFiles(files.PathOf("d")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["analysis.parquet", "analysis_targets_1.parquet", "analysis_targets_2.parquet", "analysis_targets_3.parquet", "analysis_targets_4.parquet", "reference.parquet"], names);
    }

    [Fact]
    public void Generate_CutsTheAnalysisIntoABacklog_WhenAnalysisFilesIsGiven()
    {
        Assert.Equal(0, Run("generate", "--scenario", "stable", "--rows", "1000", "--seed", "3", "--out", files.PathOf("whole")).Code);
        var (code, _, stderr) = Run("generate", "--scenario", "stable", "--rows", "1000", "--seed", "3", "--analysis-files", "3", "--out", files.PathOf("parts"));
        Assert.True(code == 0, stderr);

        var mapping = new ColumnMapping { Timestamp = "timestamp", Id = "id" };
        var whole = PredictionFileReader.Read(Path.Combine(files.PathOf("whole"), "analysis.parquet"), mapping, requireTargets: false, requirePredictions: true);
        var parts = Directory.GetFiles(Path.Combine(files.PathOf("parts"), "analysis")).Order(StringComparer.Ordinal)
            .Select(p => PredictionFileReader.Read(p, mapping, requireTargets: false, requirePredictions: true)).ToList();
        Assert.Equal([333, 333, 334], parts.Select(p => p.Count));
        Assert.Equal(whole.Set.Scores, parts.SelectMany(p => p.Set.Scores));
        Assert.Equal(whole.Ids, parts.SelectMany(p => p.Ids!));
        Assert.Equal(whole.Set.Timestamps, parts.SelectMany(p => p.Set.Timestamps!));
        Assert.False(File.Exists(Path.Combine(files.PathOf("parts"), "analysis.parquet")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public void Generate_Fails_WhenAnalysisFilesIsOutOfRange(string analysisFiles)
    {
        var (code, _, stderr) = Run("generate", "--scenario", "stable", "--rows", "1000", "--analysis-files", analysisFiles, "--out", files.PathOf("x"));
        Assert.Equal(EstimatorCli.BadInput, code);
        Assert.Contains("--analysis-files must be between 1 and --rows", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_Fails_WhenScenarioIsUnknown()
    {
        var (code, _, stderr) = Run("generate", "--scenario", "sunny", "--out", files.PathOf("x"));
        Assert.NotEqual(0, code);
        Assert.Contains("sunny", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chart.png")]
    [InlineData("chart.svg")]
    public void Estimate_WritesThePlot_WhenPlotIsGiven(string name)
    {
        Assert.Equal(0, Run("generate", "--scenario", "stable", "--rows", "3000", "--out", files.Directory).Code);
        var plot = files.PathOf(name);
        var (code, _, stderr) = Run(
            "estimate", "--reference", files.PathOf("reference.parquet"), "--analysis", files.PathOf("analysis.parquet"),
            "--targets", files.PathOf("analysis_targets.parquet"), "--id-column", "id", "--timestamp", "timestamp",
            "--chunk-size", "500", "--out", files.PathOf("estimate.parquet"), "--plot", plot);

        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(files.PathOf("estimate.parquet")));
        var bytes = File.ReadAllBytes(plot);
        Assert.True(bytes.Length > 10_000);
        if (name.EndsWith(".png", StringComparison.Ordinal))
        {
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        }
        else
        {
            Assert.StartsWith("<svg", File.ReadAllText(plot), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Estimate_RejectsThePlot_WhenExtensionIsUnknown()
    {
        var (code, _, stderr) = Run(
            "estimate", "--reference", "r.parquet", "--analysis", "a.parquet", "--out", files.PathOf("e.parquet"), "--plot", files.PathOf("chart.jpg"));
        Assert.NotEqual(0, code);
        Assert.Contains("--plot", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(files.PathOf("e.parquet")));
    }

    public void Dispose() => files.Dispose();

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = EstimatorCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
