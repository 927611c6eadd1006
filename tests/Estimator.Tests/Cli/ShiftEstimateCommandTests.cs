using Estimator.IO;
using Estimator.Tests.IO;

namespace Estimator.Tests.Cli;

/// <summary>
/// <c>estimate --estimator</c> on the subgroup-shift world of shared/scenarios (P(x) moves toward a subgroup the model
/// is miscalibrated on from chunk 4 on): auto names its choice per chunk in the estimate file, importance-weighted rows
/// carry their effective sample size, and the default stays plain CBPE with the new columns null.
/// </summary>
public sealed class ShiftEstimateCommandTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string World(string file) => Path.Combine(SharedScenarios.Root, "covariate_shift_subgroup", file);

    private static string[] Command(string output, params string[] extra) =>
    [
        "estimate", "--reference", World("reference.parquet"), "--analysis", World("analysis.parquet"),
        "--targets", World("analysis_targets.parquet"), "--id-column", "id", "--timestamp", "timestamp", "--chunk-size", "5000",
        "--out", output, .. extra,
    ];

    [Fact]
    public void Auto_NamesEachChunksEstimator_AndKeepsPlainCbpeValuesWhereItChoosesCbpe()
    {
        var auto = _files.PathOf("auto.csv");
        var plain = _files.PathOf("plain.csv");

        var (code, stdout, stderr) = CliRunner.Run(Command(auto, "--estimator", "auto", "--features", "x1,x2,x3,g"));
        Assert.True(code == 0, stderr);
        Assert.Equal(0, CliRunner.Run(Command(plain)).ExitCode);

        var shifted = EstimateFileReader.Read(auto);
        var cbpe = EstimateFileReader.Read(plain);
        Assert.All(shifted, r => Assert.Equal(4, r.SchemaVersion));
        Assert.All(cbpe, r => Assert.Null(r.Estimator));
        Assert.All(cbpe, r => Assert.Null(r.EffectiveSampleSize));
        Assert.All(shifted.Where(r => r.Period == "reference"), r => Assert.Null(r.Estimator));

        var analysis = shifted.Where(r => r.Period == "analysis").ToList();
        Assert.All(analysis.Where(r => r.ChunkIndex < 4), r => Assert.Equal("cbpe", r.Estimator));
        Assert.All(analysis.Where(r => r.ChunkIndex >= 4), r => Assert.Equal("weighted", r.Estimator));
        Assert.All(analysis.Where(r => r.Estimator == "weighted"), r => Assert.InRange(r.EffectiveSampleSize!.Value, 1, 50_000));
        Assert.All(analysis.Where(r => r.Estimator != "weighted"), r => Assert.Null(r.EffectiveSampleSize));

        // Where auto keeps plain CBPE the numbers are plain CBPE's, bit for bit; the weighted rows differ from them.
        var plainByKey = cbpe.ToDictionary(r => (r.Period, r.ChunkIndex, r.Metric));
        foreach (var r in shifted.Where(r => r.Estimator is null or "cbpe"))
        {
            var p = plainByKey[(r.Period, r.ChunkIndex, r.Metric)];
            Assert.Equal(p.Estimated, r.Estimated);
            Assert.Equal(p.SamplingError, r.SamplingError);
        }

        Assert.All(analysis.Where(r => r.Estimator == "weighted" && r.Metric == "roc_auc"), r => Assert.NotEqual(plainByKey[(r.Period, r.ChunkIndex, r.Metric)].Estimated, r.Estimated));
        Assert.Contains("chunk 4: weighted", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveFitted_WritesTheShiftAwareFit_ThatReadsBackWithItsEstimatorAndFeatures()
    {
        var output = _files.PathOf("prior.parquet");
        var fittedPath = _files.PathOf("fitted.json");

        var (code, _, stderr) = CliRunner.Run(Command(output, "--estimator", "prior", "--features", "x1,g", "--domain-classifier", "boosting", "--save-fitted", fittedPath));

        Assert.True(code == 0, stderr);
        var fitted = Assert.IsType<Learning.FittedShiftAwareCbpe>(Calculators.CalculatorJson.FromJson(File.ReadAllText(fittedPath)));
        Assert.Equal(Estimation.Shift.ShiftEstimator.Prior, fitted.Options.Estimator);
        Assert.Equal(Learning.DomainLearner.GradientBoosting, fitted.Options.Learner);
        Assert.Equal(["x1", "g"], fitted.Options.Features);
        Assert.Equal(EstimateFileReader.Read(output).Count(r => r.Period == "reference"), fitted.ReferenceRows.Count);
    }

    [Theory]
    [InlineData(new[] { "--estimator", "weighted" }, "--features")]
    [InlineData(new[] { "--estimator", "guess" }, "--estimator")]
    [InlineData(new[] { "--features", "x1,x2" }, "--features")]
    [InlineData(new[] { "--estimator", "auto", "--features", "x1,nope" }, "nope")]
    [InlineData(new[] { "--estimator", "auto", "--features", "x1,x1" }, "x1")]
    [InlineData(new[] { "--estimator", "auto", "--features", "x1", "--domain-classifier", "forest" }, "--domain-classifier")]
    [InlineData(new[] { "--problem", "regression", "--features", "x1", "--estimator", "auto" }, "--estimator")]
    public void BadOptions_EndWithOneErrorLine_AndNoFile(string[] extra, string mentioned)
    {
        var output = _files.PathOf("out.parquet");

        var (code, _, stderr) = CliRunner.Run(Command(output, extra));

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(mentioned, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }
}
