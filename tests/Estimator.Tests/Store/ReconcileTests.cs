using System.Text.Json;
using Estimator.IO;
using Estimator.Monitoring;
using Estimator.Tests.IO;
using Parquet.Schema;

namespace Estimator.Tests.Store;

public sealed class ReconcileTests : IDisposable
{
    private readonly StoreFixture fixture = new();
    private readonly TestFiles files = new();

    public void Dispose()
    {
        fixture.Dispose();
        files.Dispose();
    }

    private string Labels => Path.Combine(files.Directory, "labels");

    private ModelDefinition Model() => StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000)) with { Targets = Path.Combine(Labels, "*.parquet") };

    private static (long[] Ids, long[] Targets) AllTargets()
    {
        var table = PredictionFileReader.Read(
            TestFiles.CarLoan("analysis_targets.parquet"),
            new ColumnMapping { YPredProba = "repaid", YPred = null, YTrue = "repaid", Id = "id" },
            requireTargets: true,
            requirePredictions: false);
        return (table.Ids!.Select(long.Parse).ToArray(), table.Set.Targets!.Select(t => (long)t).ToArray());
    }

    private void DropLabels(string name, long[] ids, long[] targets)
    {
        Directory.CreateDirectory(Labels);
        files.WriteParquet(Path.Combine("labels", name), (new DataField<long>("id"), ids), (new DataField<long>("repaid"), targets));
    }

    [Fact]
    public void Reconcile_RecordsNannyMlRealizedValues_WhenAllLabelsArrive()
    {
        var runner = fixture.Runner();
        var model = Model();
        fixture.Drop("a.parquet", 0, 50_000);
        runner.Estimate(model);
        var (ids, targets) = AllTargets();
        DropLabels("t.parquet", ids, targets);

        var outcome = runner.Reconcile(model);

        Assert.Equal(50_000, outcome.LabelsRead);
        Assert.Equal(10, outcome.ChunksUpdated);
        using var doc = JsonDocument.Parse(File.ReadAllText(TestFiles.Expected("chunk_size_5000")));
        var expected = doc.RootElement.GetProperty("chunks").EnumerateArray().Where(c => c.GetProperty("period").GetString() == "analysis").ToList();
        var ledger = runner.ReadLedger("car_loan");
        Assert.Equal(60, ledger.Count);
        var inside = 0;
        foreach (var row in ledger)
        {
            var e = expected[row.ChunkIndex].GetProperty("metrics").GetProperty(row.Metric);
            var realized = e.GetProperty("realized").GetDouble();
            var estimated = e.GetProperty("estimated").GetDouble();
            var inBand = realized >= e.GetProperty("lower_confidence_bound").GetDouble() && realized <= e.GetProperty("upper_confidence_bound").GetDouble();
            inside += inBand ? 1 : 0;
            Assert.Equal(realized, row.Realized!.Value, 9);
            Assert.Equal(estimated - realized, row.Error!.Value, 9);
            Assert.Equal(inBand, row.InsideBand);
            Assert.Equal(0, row.TargetsMissingRate);
            Assert.Equal(5000, row.LabelledRows);
            Assert.NotNull(row.LabelsArrivedAt);
        }

        // The summary's coverage is the share of chunk × metric inside the band, per metric.
        var summary = outcome.Summary;
        Assert.Equal(10, summary.ChunksComplete);
        Assert.Equal(inside / 60.0, summary.Metrics.Average(m => m.Coverage), 9);
        Assert.Equal(0, summary.UnmatchedIds);

        // The estimate files now carry the realized values too.
        var estimates = runner.ReadEstimates("car_loan").Where(r => r.Period == "analysis").ToList();
        Assert.All(estimates, r => Assert.NotNull(r.Realized));
        Assert.All(estimates, r => Assert.Equal(0, r.TargetsMissingRate));
    }

    [Fact]
    public void Reconcile_KeepsRowsPending_AndUpdatesChunks_AsLabelsTrickleIn()
    {
        var runner = fixture.Runner();
        var model = Model();
        fixture.Drop("a.parquet", 0, 20_000);
        runner.Estimate(model);
        var (ids, targets) = AllTargets();
        DropLabels("t1.parquet", ids[..7_500], targets[..7_500]);

        var first = runner.Reconcile(model);

        Assert.Equal(2, first.Summary.ChunksWithLabels);
        Assert.Equal(1, first.Summary.ChunksComplete);
        var partial = runner.ReadLedger("car_loan").Where(r => r.ChunkIndex == 1).ToList();
        Assert.All(partial, r => Assert.Equal(0.5, r.TargetsMissingRate));

        DropLabels("t2.parquet", ids[7_500..20_000], targets[7_500..20_000]);
        var second = runner.Reconcile(model);

        Assert.Equal(3, second.ChunksUpdated);
        Assert.Equal(4, second.Summary.ChunksComplete);
        Assert.Equal(0, runner.Reconcile(model).ChunksUpdated);
    }

    [Fact]
    public void Reconcile_LogsAWarningOnce_WhileLaterRunsStillFindIt()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var runner = new ModelRunner(fixture.Store, logger: new ListLogger(log)) { FileSettleTime = TimeSpan.Zero };
        var model = Model();
        fixture.Drop("a.parquet", 0, 50_000);
        runner.Estimate(model);
        var (ids, targets) = AllTargets();

        // Labels for chunks 0-7, then for 8-9: the decayed chunks from 5 on miss the band for some metrics in both runs.
        DropLabels("t1.parquet", ids[..40_000], targets[..40_000]);
        var first = runner.Reconcile(model).Summary.Warnings;
        DropLabels("t2.parquet", ids[40_000..], targets[40_000..]);
        var second = runner.Reconcile(model).Summary.Warnings;

        // A warning's kind is its text up to its first figure (the figures change from run to run; a metric may have
        // several kinds of warning, e.g. band coverage and a violated assumption).
        static string Kind(string warning) => new([.. warning.TakeWhile(c => !char.IsDigit(c))]);
        var inBoth = first.Select(Kind).Intersect(second.Select(Kind)).ToList();
        Assert.NotEmpty(inBoth);
        foreach (var kind in inBoth)
        {
            Assert.Single(log, line => line.StartsWith($"Model car_loan: {kind}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Reconcile_CountsDuplicateAndUnknownIds_WithoutUsingThem()
    {
        var runner = fixture.Runner();
        var model = Model();
        fixture.Drop("a.parquet", 0, 5_000);
        runner.Estimate(model);
        var (ids, targets) = AllTargets();
        DropLabels("t1.parquet", ids[..5_000], targets[..5_000]);
        runner.Reconcile(model);
        // The same ids again with flipped labels, plus 10 ids no analysis row has.
        var again = ids[..100].Concat(Enumerable.Range(0, 10).Select(i => 9_000_000L + i)).ToArray();
        var flipped = targets[..100].Select(t => 1 - t).Concat(Enumerable.Repeat(1L, 10)).ToArray();
        DropLabels("t2.parquet", again, flipped);

        var outcome = runner.Reconcile(model);

        Assert.Equal(100, outcome.Summary.DuplicateIds);
        Assert.Equal(100, outcome.Summary.ConflictingDuplicates);
        Assert.Equal(10, outcome.Summary.UnmatchedIds);
        Assert.Equal(0, outcome.ChunksUpdated);
    }

    [Fact]
    public void Estimate_KeepsRealizedValues_ForLabelsThatArrivedEarlier()
    {
        var runner = fixture.Runner();
        var model = Model();
        fixture.Drop("a.parquet", 0, 7_000);
        runner.Estimate(model);
        var (ids, targets) = AllTargets();
        DropLabels("t1.parquet", ids[..7_000], targets[..7_000]);
        runner.Reconcile(model);

        fixture.Drop("b.parquet", 7_000, 3_000);
        runner.Estimate(model);

        var chunk1 = runner.ReadEstimates("car_loan").Where(r => r.Period == "analysis" && r.ChunkIndex == 1).ToList();
        Assert.All(chunk1, r => Assert.Equal(0.6, r.TargetsMissingRate!.Value, 12));
        Assert.All(chunk1, r => Assert.False(r.Provisional));
    }

    [Fact]
    public void Reconcile_Refuses_WithoutTargetsSource()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000));

        Assert.Throws<EstimatorDataException>(() => fixture.Runner().Reconcile(model));
    }

    private sealed class ListLogger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}
