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
        Assert.All(shifted, r => Assert.Equal(5, r.SchemaVersion));
        Assert.All(cbpe, r => Assert.Null(r.Estimator));
        Assert.All(cbpe, r => Assert.Null(r.EffectiveSampleSize));
        Assert.All(cbpe, r => Assert.Equal((null, null, null, null), (r.DomainAuc, r.EstimatedPrior, r.PriorLikelihoodRatio, r.EstimatorReason)));
        Assert.All(shifted.Where(r => r.Period == "reference"), r => Assert.Null(r.Estimator));

        var analysis = shifted.Where(r => r.Period == "analysis").ToList();
        Assert.All(analysis.Where(r => r.ChunkIndex < 4), r => Assert.Equal("cbpe", r.Estimator));
        Assert.All(analysis.Where(r => r.ChunkIndex >= 4), r => Assert.Equal("weighted", r.Estimator));
        Assert.All(analysis.Where(r => r.Estimator == "weighted"), r => Assert.InRange(r.EffectiveSampleSize!.Value, 1, 50_000));
        Assert.All(analysis.Where(r => r.Estimator != "weighted"), r => Assert.Null(r.EffectiveSampleSize));

        // The evidence behind each choice, the same on every row of a chunk: the domain classifier cannot tell the
        // unshifted chunks from the reference and tells the shifted ones apart; auto's reason names its rule.
        Assert.All(analysis.GroupBy(r => r.ChunkIndex), g => Assert.Single(g.Select(r => (r.DomainAuc, r.EstimatedPrior, r.PriorLikelihoodRatio, r.EstimatorReason)).Distinct()));
        Assert.All(analysis.Where(r => r.ChunkIndex < 4), r => Assert.InRange(r.DomainAuc!.Value, 0.45, 0.56));
        Assert.All(analysis.Where(r => r.ChunkIndex >= 5), r => Assert.InRange(r.DomainAuc!.Value, 0.6, 1));
        Assert.All(analysis, r => Assert.InRange(r.EstimatedPrior!.Value, 0, 1));
        Assert.All(analysis, r => Assert.True(r.PriorLikelihoodRatio >= 0));
        Assert.All(analysis.Where(r => r.ChunkIndex < 4), r => Assert.StartsWith("no shift: domain AUC", r.EstimatorReason, StringComparison.Ordinal));
        Assert.All(analysis.Where(r => r.ChunkIndex >= 4), r => Assert.StartsWith("covariate shift moving P(y|score)", r.EstimatorReason, StringComparison.Ordinal));
        Assert.All(shifted.Where(r => r.Period == "reference"), r => Assert.Null(r.EstimatorReason));

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
    public void Prior_RecordsEachChunksEstimatedPrior_NearTheWorldsTruePositiveRate()
    {
        // The prior-shift world: P(y) moves 0.25 → 0.60 from chunk 4 on with P(x | y) fixed; meta.json has each chunk's
        // realized positive rate.
        string Prior(string file) => Path.Combine(SharedScenarios.Root, "prior_shift", file);
        var output = _files.PathOf("prior.json");
        var (code, _, stderr) = CliRunner.Run(
        [
            "estimate", "--reference", Prior("reference.parquet"), "--analysis", Prior("analysis.parquet"), "--timestamp", "timestamp",
            "--chunk-size", "5000", "--out", output, "--estimator", "prior",
        ]);
        Assert.True(code == 0, stderr);
        using var meta = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Prior("meta.json")));
        var truth = meta.RootElement.GetProperty("analysis_positive_rate_by_chunk").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        var chunks = EstimateFileReader.Read(output).Where(r => r.Period == "analysis").GroupBy(r => r.ChunkIndex).Select(g => g.First()).ToList();

        Assert.Equal(truth.Length, chunks.Count);
        foreach (var r in chunks)
        {
            // EM's standard error is about 0.013 on 5,000 rows of this world; 0.05 is four of them.
            Assert.InRange(r.EstimatedPrior!.Value, truth[r.ChunkIndex] - 0.05, truth[r.ChunkIndex] + 0.05);
            Assert.Null(r.DomainAuc);
            Assert.StartsWith("prior (forced): π ", r.EstimatorReason, StringComparison.Ordinal);
            Assert.True(r.ChunkIndex < 4 ? r.PriorLikelihoodRatio < 10.83 : r.PriorLikelihoodRatio > 10.83, $"chunk {r.ChunkIndex}: LR {r.PriorLikelihoodRatio}");
        }
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
