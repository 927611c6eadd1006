using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Learning;
using Estimator.Monitoring;
using Estimator.Slo;
using Estimator.Tests.IO;

namespace Estimator.Tests.Store;

/// <summary>
/// A regression model over the shared world <c>regression_covariate_shift</c>, run once through a temporary store:
/// calibrated, three analysis files estimated as they arrive, the labels reconciled, alerts evaluated.
/// </summary>
public sealed class RegressionStoreFixture : IDisposable
{
    /// <summary>An MAE ceiling between the world's realized MAE before the shift (≈ 1.7) and after it (≈ 2.9).</summary>
    public const double MaeCeiling = 2.3;

    public const int ChunkSize = 5000;

    private static readonly int[] Cuts = [0, 17_000, 41_000, 60_000];

    // The world's predictions go below 0, so the logarithmic losses (msle, rmsle) do not apply.
    public static readonly DleMetric[] Metrics = [DleMetric.Mae, DleMetric.Mape, DleMetric.Mse, DleMetric.Rmse];

    private readonly TestFiles files = new();

    public RegressionStoreFixture()
    {
        Directory.CreateDirectory(files.PathOf("incoming"));
        Directory.CreateDirectory(files.PathOf("labels"));
        Model = Definition(files.PathOf("incoming"), files.PathOf("labels"));
        var runner = Runner(files.PathOf("store"));

        FirstCalibration = runner.Calibrate(Model);
        FittedFiles = Directory.GetFiles(Path.Combine(files.PathOf("store"), "reg", "fitted"), "*.json");
        var fitted = FittedFiles.Single();
        FittedBytes = File.ReadAllBytes(fitted);
        FittedWritten = File.GetLastWriteTimeUtc(fitted);
        for (var f = 0; f + 1 < Cuts.Length; f++)
        {
            RegressionWorldFiles.CutAnalysis(files.PathOf(Path.Combine("incoming", $"analysis-{f}.parquet")), Cuts[f], Cuts[f + 1]);
            Outcomes.Add(runner.Estimate(Model));
        }

        SecondCalibration = runner.Calibrate(Model);
        FittedBytesAfter = File.ReadAllBytes(fitted);
        FittedWrittenAfter = File.GetLastWriteTimeUtc(fitted);
        RowFiles = Directory.GetFiles(Path.Combine(files.PathOf("store"), "reg", "rows"), "*.parquet");
        BeforeLabels = [.. runner.ReadEstimates("reg").Where(r => r.Period == "analysis")];

        RegressionWorldFiles.WriteLabels(files.PathOf(Path.Combine("labels", "labels.parquet")));
        Reconciled = runner.Reconcile(Model);
        AfterLabels = [.. runner.ReadEstimates("reg").Where(r => r.Period == "analysis")];
        Alerts = runner.EvaluateAlerts(Model);
        Notifications = runner.PendingNotifications("reg");

        // The oracle: one DLE fit on the reference and one estimate over every analysis row, as a notebook would run it.
        var columns = new ColumnMapping { YPred = "y_pred", YTrue = "y_true", Timestamp = "timestamp" };
        var reference = RegressionFileReader.Read(RegressionWorldFiles.Reference, columns, RegressionWorldFiles.Features, requireTargets: true);
        var analysis = RegressionFileReader.Read(RegressionWorldFiles.Analysis, columns with { YTrue = null }, RegressionWorldFiles.Features, requireTargets: false);
        var batch = new DleCalculator(new DleOptions { Metrics = Metrics, Features = RegressionWorldFiles.Features, Chunking = Chunking.BySize(ChunkSize) })
            .FitDle(reference.Data.SortedByTimestamp(), ComputeOptions.Default)
            .Calculate(analysis.Data.SortedByTimestamp(), "reg", ComputeOptions.Default);
        Batch = [.. batch.Rows.Where(r => r.Period == Period.Analysis)];
    }

    public ModelDefinition Model { get; }

    public CalibrationOutcome FirstCalibration { get; }

    public CalibrationOutcome SecondCalibration { get; }

    public string[] FittedFiles { get; }

    public byte[] FittedBytes { get; }

    public DateTime FittedWritten { get; }

    public byte[] FittedBytesAfter { get; }

    public DateTime FittedWrittenAfter { get; }

    public string[] RowFiles { get; }

    public List<EstimateOutcome> Outcomes { get; } = [];

    public List<EstimateRecord> BeforeLabels { get; }

    public ReconcileOutcome Reconciled { get; }

    public List<EstimateRecord> AfterLabels { get; }

    public AlertOutcome Alerts { get; }

    public IReadOnlyList<AlertNotification> Notifications { get; }

    public List<ChunkEstimate> Batch { get; }

    public static ModelRunner Runner(string store) => new(store) { FileSettleTime = TimeSpan.Zero, WorkItemRows = 0 };

    public static ModelDefinition Definition(string incoming, string labels) => new(
        "reg",
        RegressionWorldFiles.Reference,
        Path.Combine(incoming, "*.parquet"),
        Path.Combine(labels, "*.parquet"),
        "id",
        new ColumnMapping { YPred = "y_pred", YTrue = "y_true", Timestamp = "timestamp" },
        new CbpeOptions { Chunking = Chunking.BySize(ChunkSize) })
    {
        Problem = ProblemKind.Regression,
        Features = RegressionWorldFiles.Features,
        Regression = new DleOptions { Metrics = Metrics },
        Slos = [new SloObjective("mae", MaeCeiling, SloDirections.For("mae"))],
        Alerting = new AlertPolicy { For = 1 },
    };

    public void Dispose() => files.Dispose();
}

public sealed class RegressionStoreTests(RegressionStoreFixture world) : IClassFixture<RegressionStoreFixture>
{
    [Fact]
    public void Calibrate_FitsOnce_WhenRunAgainAndFilesArrive()
    {
        Assert.True(world.FirstCalibration.Refitted);
        Assert.False(world.SecondCalibration.Refitted);
        Assert.Equal(world.FirstCalibration.Fingerprint, world.SecondCalibration.Fingerprint);
        Assert.Single(world.FittedFiles);

        // Three estimate runs and a second calibrate later, the fitted file is the one first written, not rewritten.
        Assert.Equal(world.FittedWritten, world.FittedWrittenAfter);
        Assert.Equal(world.FittedBytes, world.FittedBytesAfter);
        var fitted = Assert.IsType<FittedDle>(CalculatorJson.FromJson(System.Text.Encoding.UTF8.GetString(world.FittedBytes)));
        Assert.Equal(RegressionWorldFiles.Features, fitted.Options.Features);
    }

    [Fact]
    public void Estimate_EqualsOneBatchEstimate_WhenThreeFilesArriveOverTime()
    {
        Assert.Equal([17_000L, 24_000L, 19_000L], world.Outcomes.Select(o => o.RowsProcessed));
        Assert.Equal(12 * 4, world.BeforeLabels.Count);
        Assert.Equal(world.Batch.Count, world.BeforeLabels.Count);
        foreach (var expected in world.Batch)
        {
            var stored = Assert.Single(world.BeforeLabels, r => r.ChunkIndex == expected.Chunk.Index && r.Metric == expected.Metric);
            Assert.Equal(expected.Chunk.Key, stored.ChunkKey);
            Assert.False(stored.Provisional);
            Assert.Equal(expected.Estimated, stored.Estimated!.Value, 1e-12);
            Assert.Equal(expected.LowerConfidenceBound, stored.LowerConfidenceBound!.Value, 1e-12);
            Assert.Equal(expected.UpperConfidenceBound, stored.UpperConfidenceBound!.Value, 1e-12);
            Assert.Equal(expected.LowerThreshold ?? double.NaN, stored.LowerThreshold ?? double.NaN, 1e-12);
            Assert.Equal(expected.UpperThreshold ?? double.NaN, stored.UpperThreshold ?? double.NaN, 1e-12);
            Assert.Equal(expected.Alert, stored.Alert);
            Assert.Null(stored.Realized);
        }
    }

    [Fact]
    public void Estimate_KeepsPredictionsAndFeatures_InTheChunkRows()
    {
        Assert.Equal(12, world.RowFiles.Length);
        Assert.All(world.RowFiles, f => Assert.Equal(
            ["id", "timestamp", "y_pred", "feature_x1", "feature_x2", "feature_x3", "feature_g"],
            RegressionWorldFiles.Columns(f)));
    }

    [Fact]
    public void Reconcile_FillsRealizedMae_AsTheMeanAbsoluteErrorPerChunk()
    {
        var expected = RegressionWorldFiles.RealizedMaePerChunk(RegressionStoreFixture.ChunkSize);
        var realized = world.AfterLabels.Where(r => r.Metric == "mae").OrderBy(r => r.ChunkIndex).ToList();

        Assert.Equal(12, expected.Length);
        Assert.Equal(12, realized.Count);
        for (var c = 0; c < 12; c++)
        {
            Assert.Equal(expected[c], realized[c].Realized!.Value, 1e-10);
            Assert.Equal(0, realized[c].TargetsMissingRate);
        }

        // The world's shift: realized MAE ≈ 1.7 before chunk 4, ≈ 2.9 at full intensity (chunks 7–11).
        Assert.All(expected.Take(4), v => Assert.InRange(v, 1.5, 1.9));
        Assert.All(expected.Skip(7), v => Assert.InRange(v, 2.7, 3.1));

        // Realized values do not move the estimates.
        Assert.Equal(world.BeforeLabels.Select(r => (r.ChunkIndex, r.Metric, r.Estimated)), world.AfterLabels.Select(r => (r.ChunkIndex, r.Metric, r.Estimated)));
        Assert.Equal(12, world.Reconciled.Summary.ChunksComplete);
    }

    [Fact]
    public void EvaluateAlerts_FiresTheMaeCeiling_WhereTheWholeBandIsAbove()
    {
        const double ceiling = RegressionStoreFixture.MaeCeiling;

        // Expected by hand from the batch estimate: P1 when the lower bound is above the ceiling, P2 when only the estimate is.
        var batch = world.Batch.Where(r => r.Metric == "mae").OrderBy(r => r.Chunk.Index).ToList();
        var expected = batch.Select(r => r.LowerConfidenceBound > ceiling ? "P1" : r.Estimated > ceiling ? "P2" : null).ToList();
        var flags = world.Alerts.Flags.Where(f => f.Metric == "mae" && f.Rule == "objective").OrderBy(f => f.ChunkIndex).ToList();

        Assert.Equal(expected, flags.Select(f => f.Severity));
        Assert.All(flags.Take(4), f => Assert.Null(f.Severity));
        Assert.All(flags.Skip(7), f => Assert.Equal("P1", f.Severity));

        // Realized MAE is above the ceiling wherever it fired: every flag is confirmed.
        Assert.All(flags.Where(f => f.Severity is not null), f => Assert.Equal("confirmed", f.Verdict));
        var status = Assert.Single(world.Alerts.Current, s => s.Metric == "mae" && s.Rule == "objective");
        Assert.Equal(("firing", "P1", "above"), (status.State, status.Severity, status.Direction));
        // One evaluation over every chunk notifies once per rule, at the latest tier change of the run of flagged chunks
        // (the flags run unbroken from the first flagged chunk to the last, so the alert never resolves in between).
        var firstFlagged = expected.FindIndex(s => s is not null);
        Assert.All(expected.Skip(firstFlagged), s => Assert.NotNull(s));
        var lastChange = Enumerable.Range(firstFlagged, expected.Count - firstFlagged).Last(i => i == firstFlagged || expected[i] != expected[i - 1]);
        var trigger = Assert.Single(world.Notifications, n => n.Metric == "mae" && n.Rule == "objective");
        Assert.Equal(("firing", expected[lastChange], lastChange, ceiling), (trigger.State, trigger.Severity, trigger.ChunkIndex, trigger.Objective));
        Assert.Contains("above objective 2.3", trigger.Reason, StringComparison.Ordinal);
    }
}
