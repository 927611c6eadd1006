using System.Collections.Concurrent;
using Estimator.IO;
using Estimator.Monitoring;
using Microsoft.Extensions.Logging;

namespace Estimator.Tests.Store;

/// <summary>A large estimate run split into work items that other workers (here: other runners on other threads) share.</summary>
public sealed class WorkItemTests : IDisposable
{
    private readonly StoreFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    /// <summary>The whole car-loan analysis in seven uneven files, estimated by a runner that never splits: the baseline.</summary>
    private List<EstimateRecord> Undisturbed(ModelDefinition model)
    {
        var clean = new ModelRunner(fixture.Store + "-clean") { FileSettleTime = TimeSpan.Zero, WorkItemRows = 0 };
        clean.Estimate(model);
        var records = clean.ReadEstimates(model.Name).Select(Comparable).ToList();
        Directory.Delete(fixture.Store + "-clean", recursive: true);
        return records;
    }

    private static EstimateRecord Comparable(EstimateRecord r) => r with { EstimatedAt = null, RunId = null };

    private void DropSevenFiles()
    {
        int[] cuts = [0, 3000, 11_000, 12_500, 24_999, 33_333, 47_000, 50_000];
        for (var f = 0; f + 1 < cuts.Length; f++)
        {
            fixture.Drop($"analysis-{f:D2}.parquet", cuts[f], cuts[f + 1] - cuts[f]);
        }
    }

    [Fact]
    public void Estimate_EqualsOneUndividedRun_WhenOtherWorkersShareTheWorkItems()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(2000));
        DropSevenFiles();
        var expected = Undisturbed(model);
        var log = new ConcurrentQueue<string>();
        // The grace lets the other workers start before the planner takes items itself (it ends as soon as every item is
        // done): with no grace, a fast planner could run all twelve before their tasks are scheduled.
        var planner = new ModelRunner(fixture.Store, logger: new ListLogger(log)) { FileSettleTime = TimeSpan.Zero, WorkItemRows = 4000, WorkItemGrace = TimeSpan.FromSeconds(30) };
        var other = new ModelRunner(fixture.Store, logger: new ListLogger(log)) { FileSettleTime = TimeSpan.Zero };
        var handedOff = new List<string>();
        var workers = new List<Task<WorkItemOutcome?[]>>();

        var outcome = planner.Estimate(model, items =>
        {
            handedOff.AddRange(items);
            // Two other workers take the items from the front and the back, as queued jobs on two servers would.
            workers.Add(Task.Run(() => items.Select(i => other.EstimateWorkItem("car_loan", i)).ToArray()));
            workers.Add(Task.Run(() => items.Reverse().Select(i => other.EstimateWorkItem("car_loan", i)).ToArray()));
        });
        var byOthers = workers.SelectMany(w => w.Result).Where(o => o is not null).ToList();

        // 25 chunks of 2,000 rows, two chunks per item: the planner keeps the first item and hands off twelve.
        Assert.Equal(13, outcome.WorkItems);
        Assert.Equal(12, handedOff.Count);
        Assert.Equal(25, outcome.ChunksFinalized);
        Assert.NotEmpty(byOthers);
        var ran = log.Where(l => l.Contains(": work item ", StringComparison.Ordinal)).ToList();
        Assert.Equal(handedOff.Order(StringComparer.Ordinal), ran.Select(l => l.Split(' ')[4]).Order(StringComparer.Ordinal));
        Assert.Equal(expected, planner.ReadEstimates("car_loan").Select(Comparable).ToList());
        Assert.False(Directory.EnumerateFiles(Path.Combine(fixture.Store, "car_loan", "pending")).Any());
    }

    [Fact]
    public void Estimate_SettlesPendingItems_WhenThePlannerDiedAfterHandingOff()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(2000));
        DropSevenFiles();
        var expected = Undisturbed(model);
        var planner = new ModelRunner(fixture.Store) { FileSettleTime = TimeSpan.Zero, WorkItemRows = 10_000 };
        IReadOnlyList<string> handedOff = [];

        // The plan is committed, then the planner dies before any item runs.
        Assert.Throws<IOException>(() => planner.Estimate(model, items =>
        {
            handedOff = items;
            throw new IOException("killed");
        }));
        Assert.NotEmpty(handedOff);
        Assert.NotEqual(expected, fixture.Runner().ReadEstimates("car_loan").Select(Comparable).ToList());

        // One queued item runs on another worker; the model's next run settles the rest.
        Assert.NotNull(fixture.Runner().EstimateWorkItem("car_loan", handedOff[^1]));
        var next = fixture.Runner().Estimate(model);

        Assert.Empty(next.FilesProcessed);
        Assert.Equal(expected, fixture.Runner().ReadEstimates("car_loan").Select(Comparable).ToList());
        Assert.Null(fixture.Runner().EstimateWorkItem("car_loan", handedOff[0]));
    }

    [Fact]
    public void Estimate_KeepsTheRunWhole_WhenNoOneTakesHandOffs()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(2000));
        DropSevenFiles();
        var expected = Undisturbed(model);
        var planner = new ModelRunner(fixture.Store) { FileSettleTime = TimeSpan.Zero, WorkItemRows = 1 };

        var outcome = planner.Estimate(model, _ => { });

        Assert.Equal(25, outcome.WorkItems);
        Assert.Equal(expected, planner.ReadEstimates("car_loan").Select(Comparable).ToList());
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("run000001-item001/../../x")]
    [InlineData("")]
    public void EstimateWorkItem_RejectsIdsThatAreNotWorkItems(string item)
    {
        var error = Assert.Throws<EstimatorDataException>(() => fixture.Runner().EstimateWorkItem("car_loan", item));
        Assert.Contains("is not a work item id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EstimateWorkItem_RejectsUnsafeModelNames()
    {
        var error = Assert.Throws<ArgumentException>(() => fixture.Runner().EstimateWorkItem("../car_loan", "run000001-item001"));
        Assert.Contains("'../car_loan' is not a safe model name", error.Message, StringComparison.Ordinal);
    }

    private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}
