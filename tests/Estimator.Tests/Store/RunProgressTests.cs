using Estimator.Monitoring;

namespace Estimator.Tests.Store;

/// <summary>What <see cref="ModelRunner"/> reports while it runs (<see cref="RunProgress"/>).</summary>
public sealed class RunProgressTests : IDisposable
{
    private readonly StoreFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    [Fact]
    public void Estimate_ReportsMonotoneProgressEndingAtAllFilesRowsAndChunks_WhenSeveralFilesArrive()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000));
        int[] cuts = [0, 7000, 12_000, 23_000];
        var bytes = 0L;
        for (var f = 0; f + 1 < cuts.Length; f++)
        {
            bytes += new FileInfo(fixture.Drop($"analysis-{f:D2}.parquet", cuts[f], cuts[f + 1] - cuts[f])).Length;
        }

        var progress = new Recorder();
        var outcome = fixture.Runner().Estimate(model, null, progress);

        // The first run fits, reads three files, then writes 23,000 rows as four full chunks and one filling.
        Assert.Equal([RunPhase.Fitting, RunPhase.Reading, RunPhase.Estimating, RunPhase.Done], Phases(progress.Reports));
        AssertMonotone(progress.Reports);
        Assert.Equal([0, 7000, 12_000, 23_000], progress.Reports.Where(r => r.Phase == RunPhase.Reading).Select(r => r.RowsRead));
        Assert.Equal([0, 1, 2, 3, 4, 5], progress.Reports.Where(r => r.Phase == RunPhase.Estimating).Select(r => r.ChunksEstimated));
        var last = progress.Reports[^1];
        Assert.Equal(("car_loan", 3, 3, 23_000L, bytes, bytes, 5, 5), (last.Model, last.FilesRead, last.TotalFiles, last.RowsRead, last.BytesRead, last.TotalBytes, last.ChunksEstimated, last.TotalChunks));
        Assert.Equal(1, last.Fraction);
        Assert.Equal(TimeSpan.Zero, last.PhaseTimeLeft);
        Assert.Null(last.Item);
        Assert.Equal(outcome.RowsProcessed, last.RowsRead);
        Assert.Equal(outcome.ChunksFinalized + outcome.ChunksProvisional, last.ChunksEstimated);
    }

    [Fact]
    public void Estimate_ReportsNothing_WhenNothingNewArrived()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000));
        fixture.Drop("a.parquet", 0, 6000);
        fixture.Runner().Estimate(model);

        var progress = new Recorder();
        fixture.Runner().Estimate(model, null, progress);

        Assert.Empty(progress.Reports);
    }

    [Fact]
    public void Estimate_CountsEveryWorkItemsChunks_WhenTheRunIsSplit()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(2000));
        fixture.Drop("a.parquet", 0, 30_000);
        fixture.Drop("b.parquet", 30_000, 20_000);
        var progress = new Recorder();

        // Nobody takes the handed-off items, so the planner settles them itself.
        var outcome = new ModelRunner(fixture.Store) { FileSettleTime = TimeSpan.Zero, WorkItemRows = 10_000 }.Estimate(model, _ => { }, progress);

        Assert.Equal(5, outcome.WorkItems);
        Assert.Equal([RunPhase.Fitting, RunPhase.Reading, RunPhase.Estimating, RunPhase.Settling, RunPhase.Done], Phases(progress.Reports));
        AssertMonotone(progress.Reports);

        // 50,000 rows in 2,000-row chunks: the planner's own item holds 5 of the 25 chunks, the settled items the other 20.
        Assert.Equal(5, progress.Reports.Last(r => r.Phase == RunPhase.Estimating).ChunksEstimated);
        Assert.Equal(25, progress.Reports.Last(r => r.Phase == RunPhase.Settling).ChunksEstimated);
        Assert.Equal((50_000L, 25, 25), (progress.Reports[^1].RowsRead, progress.Reports[^1].ChunksEstimated, progress.Reports[^1].TotalChunks));
    }

    [Fact]
    public void EstimateWorkItem_ReportsItsChunksAndRows_WhenItRuns()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(2000));
        fixture.Drop("a.parquet", 0, 50_000);
        IReadOnlyList<string> handedOff = [];

        // The plan is committed, then the planner dies before running any handed-off item.
        Assert.Throws<IOException>(() => new ModelRunner(fixture.Store) { FileSettleTime = TimeSpan.Zero, WorkItemRows = 10_000 }.Estimate(model, items =>
        {
            handedOff = items;
            throw new IOException("killed");
        }));
        var progress = new Recorder();

        var outcome = fixture.Runner().EstimateWorkItem("car_loan", handedOff[^1], progress);

        // The last item holds chunks 20..24: 5 chunks of 2,000 rows.
        Assert.Equal((5, 10_000L), (outcome!.Chunks, outcome.Rows));
        Assert.Equal([RunPhase.Estimating, RunPhase.Done], Phases(progress.Reports));
        AssertMonotone(progress.Reports);
        Assert.Equal([0, 1, 2, 3, 4, 5], progress.Reports.Where(r => r.Phase == RunPhase.Estimating).Select(r => r.ChunksEstimated));
        Assert.All(progress.Reports, r => Assert.Equal(handedOff[^1], r.Item));
        Assert.Equal((10_000L, 5, 5), (progress.Reports[^1].RowsRead, progress.Reports[^1].ChunksEstimated, progress.Reports[^1].TotalChunks));

        // Done already: nothing to do, nothing reported.
        var again = new Recorder();
        Assert.Null(fixture.Runner().EstimateWorkItem("car_loan", handedOff[^1], again));
        Assert.Empty(again.Reports);
    }

    [Fact]
    public void Calibrate_ReportsFittingThenDone_OnlyWhenItFits()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000));
        var first = new Recorder();
        var second = new Recorder();

        fixture.Runner().Calibrate(model, first);
        fixture.Runner().Calibrate(model, second);

        Assert.Equal([RunPhase.Fitting, RunPhase.Done], Phases(first.Reports));
        Assert.Empty(second.Reports);
    }

    private static List<RunPhase> Phases(IEnumerable<RunProgress> reports)
    {
        var phases = new List<RunPhase>();
        foreach (var r in reports)
        {
            if (phases.Count == 0 || phases[^1] != r.Phase)
            {
                phases.Add(r.Phase);
            }
        }

        return phases;
    }

    private static void AssertMonotone(List<RunProgress> reports)
    {
        for (var k = 1; k < reports.Count; k++)
        {
            var (a, b) = (reports[k - 1], reports[k]);
            Assert.True(
                b.FilesRead >= a.FilesRead && b.RowsRead >= a.RowsRead && b.BytesRead >= a.BytesRead && b.ChunksEstimated >= a.ChunksEstimated
                && b.TotalChunks >= a.TotalChunks && b.Elapsed >= a.Elapsed && b.Phase >= a.Phase,
                $"report {k} went back: {a} -> {b}");
        }
    }

    /// <summary>Records reports as they come (synchronously, unlike <see cref="Progress{T}"/>, which posts them).</summary>
    private sealed class Recorder : IProgress<RunProgress>
    {
        public List<RunProgress> Reports { get; } = [];

        public void Report(RunProgress value) => Reports.Add(value);
    }
}
