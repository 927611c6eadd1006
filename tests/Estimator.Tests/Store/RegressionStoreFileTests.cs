using Estimator.Estimation;
using Estimator.IO;
using Estimator.Learning;
using Estimator.Monitoring;
using Estimator.Tests.IO;

namespace Estimator.Tests.Store;

/// <summary>A regression model's files the store sets aside, and a run split into work items, against the world's batch estimate.</summary>
public sealed class RegressionStoreFileTests(RegressionStoreFixture world) : IClassFixture<RegressionStoreFixture>, IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Estimate_SetsAsideAFileWithoutAFeature_AndSplitsTheRestIntoWorkItemsThatEqualTheBatch()
    {
        Directory.CreateDirectory(files.PathOf("incoming"));
        var model = RegressionStoreFixture.Definition(files.PathOf("incoming"), files.PathOf("labels"));
        var runner = new ModelRunner(files.PathOf("store")) { FileSettleTime = TimeSpan.Zero, WorkItemRows = 10_000, WorkItemGrace = TimeSpan.Zero };
        RegressionWorldFiles.CutAnalysis(files.PathOf(Path.Combine("incoming", "a.parquet")), 0, 20_000);
        RegressionWorldFiles.CutAnalysis(files.PathOf(Path.Combine("incoming", "b-bad.parquet")), 0, 100, except: "x2");
        RegressionWorldFiles.CutAnalysis(files.PathOf(Path.Combine("incoming", "c.parquet")), 20_000, 60_000);
        var handedOff = new List<string>();

        var outcome = runner.Estimate(model, handedOff.AddRange);

        var rejected = Assert.Single(outcome.Rejected);
        Assert.EndsWith("b-bad.parquet", rejected.Path, StringComparison.Ordinal);
        Assert.Contains("x2", rejected.Error, StringComparison.Ordinal);
        Assert.Single(runner.ReadRejected("reg"));
        Assert.Equal(60_000, outcome.RowsProcessed);
        Assert.True(outcome.WorkItems > 1, $"{outcome.WorkItems} work items");
        Assert.Equal(outcome.WorkItems - 1, handedOff.Count);

        // The chunks estimated from work-item segments (rows and features read back) equal the batch estimate.
        var stored = runner.ReadEstimates("reg").Where(r => r.Period == "analysis").ToList();
        Assert.Equal(world.Batch.Count, stored.Count);
        foreach (var expected in world.Batch)
        {
            var row = Assert.Single(stored, r => r.ChunkIndex == expected.Chunk.Index && r.Metric == expected.Metric);
            Assert.Equal(expected.Estimated, row.Estimated!.Value, 1e-12);
            Assert.Equal(expected.UpperConfidenceBound, row.UpperConfidenceBound!.Value, 1e-12);
        }

        // Rewritten with every column, the file is tried again and its rows join the stream.
        File.Delete(files.PathOf(Path.Combine("incoming", "b-bad.parquet")));
        RegressionWorldFiles.CutAnalysis(files.PathOf(Path.Combine("incoming", "b-bad.parquet")), 0, 100);
        var retried = runner.Estimate(model);
        Assert.Empty(retried.Rejected);
        Assert.Equal(100, retried.RowsProcessed);
        Assert.Empty(runner.ReadRejected("reg"));
    }

    [Fact]
    public void Calibrate_RefitsAndReestimatesTheStoredRows_WhenTheMetricsChange()
    {
        Directory.CreateDirectory(files.PathOf("incoming"));
        var model = RegressionStoreFixture.Definition(files.PathOf("incoming"), files.PathOf("labels"));
        var runner = RegressionStoreFixture.Runner(files.PathOf("store"));
        var part = files.PathOf(Path.Combine("incoming", "a.parquet"));
        RegressionWorldFiles.CutAnalysis(part, 0, 20_000);
        runner.Estimate(model);
        var before = runner.Calibrate(model);

        var changed = model with { Regression = model.Regression with { Metrics = [DleMetric.Mae, DleMetric.Rmse] } };
        var after = runner.Calibrate(changed);

        Assert.False(before.Refitted);
        Assert.True(after.Refitted);
        Assert.NotEqual(before.Fingerprint, after.Fingerprint);

        // The stored chunks are estimated again from their stored rows (predictions and features) with the new fit: as a
        // batch fit with those metrics over the same rows.
        var columns = new ColumnMapping { YPred = "y_pred", YTrue = "y_true", Timestamp = "timestamp" };
        var reference = RegressionFileReader.Read(RegressionWorldFiles.Reference, columns, RegressionWorldFiles.Features, requireTargets: true);
        var rows = RegressionFileReader.Read(part, columns with { YTrue = null }, RegressionWorldFiles.Features, requireTargets: false);
        var options = new DleOptions { Metrics = [DleMetric.Mae, DleMetric.Rmse], Features = RegressionWorldFiles.Features, Chunking = Chunking.BySize(RegressionStoreFixture.ChunkSize) };
        var batch = new DleCalculator(options).FitDle(reference.Data.SortedByTimestamp(), ComputeOptions.Default)
            .Calculate(rows.Data.SortedByTimestamp(), "reg", ComputeOptions.Default).Rows.Where(r => r.Period == Period.Analysis).ToList();
        var stored = runner.ReadEstimates("reg").Where(r => r.Period == "analysis").ToList();
        Assert.Equal(["mae", "rmse"], stored.Select(r => r.Metric).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(batch.Count, stored.Count);
        foreach (var expected in batch)
        {
            var row = Assert.Single(stored, r => r.ChunkIndex == expected.Chunk.Index && r.Metric == expected.Metric);
            Assert.Equal(expected.Estimated, row.Estimated!.Value, 1e-12);
            Assert.Equal(expected.LowerConfidenceBound, row.LowerConfidenceBound!.Value, 1e-12);
        }
    }

    [Fact]
    public void Estimate_SetsAsideAFileWithANegativePrediction_WhenTheModelEstimatesMsle()
    {
        // A reference without negative values, so msle can be fitted; analysis rows [0, 10,000) split by the sign of
        // the prediction: the file with a negative one is set aside, naming y_pred and its row.
        Directory.CreateDirectory(files.PathOf("incoming"));
        Directory.CreateDirectory(files.PathOf("labels"));
        var reference = files.PathOf("reference.parquet");
        RegressionWorldFiles.Filter(RegressionWorldFiles.Reference, reference, "y_pred >= 0 AND y_true >= 0");
        RegressionWorldFiles.Filter(RegressionWorldFiles.Analysis, files.PathOf(Path.Combine("incoming", "a.parquet")), "file_row_number < 10000 AND y_pred >= 0");
        RegressionWorldFiles.Filter(RegressionWorldFiles.Analysis, files.PathOf(Path.Combine("incoming", "b.parquet")), "file_row_number < 10000 AND y_pred < 0");
        var model = RegressionStoreFixture.Definition(files.PathOf("incoming"), files.PathOf("labels")) with
        {
            Reference = reference,
            Regression = new DleOptions { Metrics = [DleMetric.Mae, DleMetric.Msle] },
        };
        var runner = RegressionStoreFixture.Runner(files.PathOf("store"));

        var outcome = runner.Estimate(model);

        var rejected = Assert.Single(outcome.Rejected);
        Assert.EndsWith("b.parquet", rejected.Path, StringComparison.Ordinal);
        Assert.Contains("column 'y_pred', row 0", rejected.Error, StringComparison.Ordinal);
        Assert.Contains("msle", rejected.Error, StringComparison.Ordinal);
        Assert.True(outcome.RowsProcessed > 0);

        // A label file with a negative actual value is set aside whole, naming the file, column and row; none of its labels is used.
        RegressionWorldFiles.Filter(RegressionWorldFiles.Targets, files.PathOf(Path.Combine("labels", "labels.parquet")), "y_true < 0 OR file_row_number < 10");
        var reconciled = runner.Reconcile(model);
        var label = Assert.Single(reconciled.Rejected);
        Assert.EndsWith("labels.parquet", label.Path, StringComparison.Ordinal);
        Assert.Contains("labels.parquet", label.Error, StringComparison.Ordinal);
        Assert.Contains("column 'y_true'", label.Error, StringComparison.Ordinal);
        Assert.Empty(reconciled.FilesProcessed);
        Assert.Equal(0, reconciled.LabelsRead);
        Assert.Equal(["b.parquet", "labels.parquet"], runner.ReadRejected("reg").Select(r => Path.GetFileName(r.Path)));
    }
}
