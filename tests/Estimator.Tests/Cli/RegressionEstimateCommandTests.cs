using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Learning;
using Estimator.Tests.IO;

namespace Estimator.Tests.Cli;

/// <summary>
/// <c>estimator estimate --problem regression</c> on the regression_stable world (50,000 reference rows, 60,000
/// analysis rows in 12 chunks of 5,000, late actual values in analysis_targets.parquet). Realized values are checked
/// against a brute-force mean over the rows joined here by id; the estimates against the world's sampling floor.
/// </summary>
public sealed class RegressionEstimateCommandTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Estimate_WritesChunkRowsAndRealizedValuesFromJoinedTargets_AndTheSavedFitReproducesThem()
    {
        var world = RegressionWorld.Load("regression_stable");
        var output = files.PathOf("estimates.parquet");
        var fittedPath = files.PathOf("fitted.json");
        var plot = files.PathOf("plot.svg");

        var (code, stdout, stderr) = CliRunner.Run(
            "estimate", "--problem", "regression",
            "--reference", world.Reference, "--analysis", world.Analysis,
            "--targets", world.Targets, "--id-column", "id",
            "--y-pred", "y_pred", "--y-true", "y_true", "--features", RegressionWorld.Features,
            "--timestamp", "timestamp", "--chunk-size", "5000", "--metrics", "mae,rmse",
            "--model", "house_prices", "--out", output, "--save-fitted", fittedPath, "--plot", plot, "--quiet");

        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        Assert.Contains("house_prices: 12 analysis chunks estimated (direct loss estimation), 44 rows written", stdout, StringComparison.Ordinal);
        Assert.True(new FileInfo(plot).Length > 0);

        var records = EstimateFileReader.Read(output);
        Assert.Equal(44, records.Count); // (10 reference + 12 analysis chunks) × 2 metrics
        Assert.All(records, r => Assert.Null(r.Class));
        Assert.All(records, r => Assert.Equal("house_prices", r.Model));
        Assert.Equal(10, records.Count(r => r is { Period: "reference", Metric: "mae" }));
        var analysis = records.Where(r => r.Period == "analysis").ToList();
        Assert.Equal(["mae", "rmse"], analysis.Select(r => r.Metric).Distinct().Order());

        // Brute force: the analysis file is in timestamp order; chunk k is rows [5000k, 5000k + 5000).
        var rows = world.AnalysisWithActuals();
        Assert.Equal(60_000, rows.Count);
        for (var k = 0; k < 12; k++)
        {
            var chunk = rows.Skip(5000 * k).Take(5000).ToList();
            var mae = chunk.Average(r => Math.Abs(r.Actual - r.Predicted));
            var rmse = Math.Sqrt(chunk.Average(r => (r.Actual - r.Predicted) * (r.Actual - r.Predicted)));
            var maeRow = analysis.Single(r => r.ChunkIndex == k && r.Metric == "mae");
            var rmseRow = analysis.Single(r => r.ChunkIndex == k && r.Metric == "rmse");
            Assert.Equal(5000L * k, maeRow.ChunkStartIndex);
            Assert.Equal(5000L, maeRow.ChunkRows);
            Assert.Equal(chunk[0].Timestamp, maeRow.ChunkStartDate);
            Assert.Equal(chunk[^1].Timestamp, maeRow.ChunkEndDate);
            Assert.Equal(mae, maeRow.Realized!.Value, 1e-9);
            Assert.Equal(rmse, rmseRow.Realized!.Value, 1e-9);
            Assert.Equal(0, maeRow.TargetsMissingRate);

            // The world's README: in the stable world a DLE-like model sits at the sampling floor (~0.03 on MAE).
            Assert.InRange(Math.Abs(maeRow.Estimated!.Value - mae), 0, 0.15);
        }

        // The saved fit reads back through CalculatorJson and gives the same estimates on the same rows.
        var fitted = Assert.IsType<FittedDle>(CalculatorJson.FromJson(File.ReadAllText(fittedPath)));
        var columns = new ColumnMapping { YPred = "y_pred", Timestamp = "timestamp" };
        var data = RegressionFileReader.Read(world.Analysis, columns, RegressionWorld.Features.Split(','), requireTargets: false);
        var again = fitted.Calculate(data.Data.SortedByTimestamp(), "house_prices", ComputeOptions.Default).Rows;
        Assert.Equal(records.Count, again.Count);
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal(records[i].ChunkKey, again[i].Chunk.Key);
            Assert.Equal(records[i].Metric, again[i].Metric);
            Assert.Equal(again[i].Estimated, records[i].Estimated!.Value);
            Assert.Equal(again[i].SamplingError, records[i].SamplingError!.Value);
            Assert.Equal(again[i].UpperThreshold, records[i].UpperThreshold);
        }
    }

    [Fact]
    public void Estimate_DefaultMetrics_LeaveOutTheLogarithmicOnes_WhenTheReferenceHasNegativeValues()
    {
        // NannyML's default list has msle and rmsle, and this world predicts some negative values (NannyML raises):
        // with no --metrics asked for, the four metrics that apply are estimated and a note says why.
        var world = RegressionWorld.Load("regression_stable");
        var output = files.PathOf("estimates.csv");

        var (code, _, stderr) = CliRunner.Run(
            "estimate", "--problem", "regression", "--reference", world.Reference, "--analysis", world.Analysis,
            "--features", RegressionWorld.Features, "--chunk-size", "5000", "--out", output);

        Assert.Equal(0, code);
        Assert.Contains($"note: msle and rmsle are left out of the default metrics: '{world.Reference}' has negative values in 'y_pred' and they take logarithms; estimating mae, mape, mse, rmse", stderr, StringComparison.Ordinal);
        var lines = File.ReadAllLines(output);
        var metric = Array.IndexOf(lines[0].Split(','), "metric");
        Assert.Equal(["mae", "mape", "mse", "rmse"], lines.Skip(1).Select(l => l.Split(',')[metric]).Distinct().Order(StringComparer.Ordinal));
    }
}
