using Estimator.Estimation;
using Estimator.Estimation.Shift;
using Estimator.IO;
using Estimator.Learning;
using Estimator.Metrics;
using Estimator.Tests.Cli;

namespace Estimator.Tests.IO;

/// <summary>
/// The notebook API of the shift-aware estimators (<see cref="CbpeData.FitShiftAware"/>, then <c>Estimate</c> on a file)
/// gives what <c>estimator estimate --estimator auto</c> writes for the same files, and its data frame carries the
/// <c>estimator</c> and <c>effective_sample_size</c> columns.
/// </summary>
public sealed class ShiftAwareCbpeDataTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void FitShiftAwareThenEstimate_GivesTheCommandLinesEstimates_AndADataFrameNamingTheEstimator()
    {
        var world = SharedScenarios.World("covariate_shift_subgroup");
        string[] features = ["x1", "x2", "x3", "g"];
        var cli = files.PathOf("cli.parquet");
        var (code, _, stderr) = CliRunner.Run(
        [
            "estimate", "--reference", Path.Combine(world, "reference.parquet"), "--analysis", Path.Combine(world, "analysis.parquet"),
            "--targets", Path.Combine(world, "analysis_targets.parquet"), "--id-column", "id", "--timestamp", "timestamp", "--chunk-size", "5000",
            "--metrics", "roc_auc,f1", "--estimator", "auto", "--features", string.Join(",", features), "--out", cli,
        ]);
        Assert.True(code == 0, stderr);

        var mapping = new ColumnMapping { Id = "id", YTrue = "y_true", Timestamp = "timestamp" };
        var options = new ShiftAwareCbpeOptions
        {
            Cbpe = new CbpeOptions { Chunking = Chunking.BySize(5000), Metrics = [Metric.RocAuc, Metric.F1] },
            Estimator = ShiftEstimator.Auto,
            Features = features,
        };
        var fitted = CbpeData.FitShiftAware(Path.Combine(world, "reference.parquet"), mapping, options);
        var result = fitted.Estimate(Path.Combine(world, "analysis.parquet"), mapping, "model", Path.Combine(world, "analysis_targets.parquet"));

        var expected = EstimateFileReader.Read(cli);
        var actual = EstimateRecord.FromResult(result);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal((expected[i].ChunkKey, expected[i].Metric, expected[i].Estimator), (actual[i].ChunkKey, actual[i].Metric, actual[i].Estimator));
            Assert.Equal(expected[i].Estimated, actual[i].Estimated);
            Assert.Equal(expected[i].Realized, actual[i].Realized);
            Assert.Equal(expected[i].EffectiveSampleSize, actual[i].EffectiveSampleSize);
        }

        var frame = result.ToDataFrame();
        var estimators = frame["estimator"];
        Assert.Equal(expected.Count, estimators.Length);
        Assert.Equal(expected.Count(r => r.Estimator == "weighted"), Enumerable.Range(0, (int)estimators.Length).Count(i => (string?)estimators[i] == "weighted"));
        Assert.Equal(expected.Count(r => r.EffectiveSampleSize is null), frame["effective_sample_size"].NullCount);
    }
}
