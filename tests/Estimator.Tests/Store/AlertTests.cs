using System.Text.Json;
using Estimator.Monitoring;
using Estimator.Slo;
using Estimator.Tests.IO;

namespace Estimator.Tests.Store;

public sealed class AlertTests : IDisposable
{
    private const double Objective = 0.965;

    private readonly StoreFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    private ModelDefinition Model() => StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000)) with
    {
        Slos = [new SloObjective("roc_auc", Objective)],
        Alerting = new AlertPolicy { For = 1, KeepFiringFor = 1, ConsecutiveCrossings = 3 },
    };

    /// <summary>NannyML's analysis chunks: the tier each gets under the objective, from the fixture's bounds.</summary>
    private static List<Severity> ExpectedObjectiveTiers()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestFiles.Expected("chunk_size_5000")));
        return doc.RootElement.GetProperty("chunks").EnumerateArray()
            .Where(c => c.GetProperty("period").GetString() == "analysis")
            .Select(c => c.GetProperty("metrics").GetProperty("roc_auc"))
            .Select(m => m.GetProperty("upper_confidence_bound").GetDouble() < Objective ? Severity.P1
                : m.GetProperty("estimated").GetDouble() < Objective ? Severity.P2 : Severity.None)
            .ToList();
    }

    [Fact]
    public void EvaluateAlerts_FlagsCarLoanDecay_AtTheRightSeverity_Once()
    {
        var runner = fixture.Runner();
        var model = Model();
        fixture.Drop("a.parquet", 0, 50_000);
        runner.Estimate(model);

        var outcome = runner.EvaluateAlerts(model);

        var tiers = ExpectedObjectiveTiers();
        var objectiveFlags = outcome.Flags.Where(f => f.Rule == "objective").OrderBy(f => f.ChunkIndex).ToList();
        Assert.Equal(tiers.Select(t => t == Severity.None ? null : t.ToString()), objectiveFlags.Select(f => f.Severity));
        var firstDecay = tiers.FindIndex(t => t != Severity.None);
        var objective = Assert.Single(outcome.Enqueued, n => n.Rule == "objective");
        Assert.Equal(("firing", firstDecay, tiers[firstDecay].ToString()), (objective.State, objective.ChunkIndex, objective.Severity));
        Assert.Equal("car_loan/roc_auc/objective", objective.DedupKey);
        Assert.Equal(Objective, objective.Objective);

        // Threshold rule: a log entry at the first crossing, a ticket from the third consecutive one; arriving in one
        // file, they coalesce into one notification of the latest state (the ticket).
        var thresholdFlags = outcome.Flags.Where(f => f.Rule == "threshold" && f.Metric == "roc_auc" && f.Severity is not null).OrderBy(f => f.ChunkIndex).ToList();
        Assert.Equal([("P3", firstDecay), ("P3", firstDecay + 1), ("P2", firstDecay + 2)], thresholdFlags.Take(3).Select(f => (f.Severity!, f.ChunkIndex)));
        var threshold = outcome.Enqueued.Where(n => n.Rule == "threshold" && n.Metric == "roc_auc").ToList();
        Assert.Equal([("P2", firstDecay + 2)], threshold.Select(n => (n.Severity, n.ChunkIndex)));

        var status = runner.ReadAlertStatus("car_loan").Single(s => s.Rule == "objective");
        Assert.Equal("firing", status.State);
        Assert.Equal(5, status.Budget!.BadChunks);

        Assert.Empty(runner.EvaluateAlerts(model).Enqueued);
    }

    [Fact]
    public void EvaluateAlerts_Resolves_WhenPerformanceRecovers()
    {
        var runner = fixture.Runner();
        var model = Model();
        fixture.Drop("a.parquet", 0, 50_000);
        runner.Estimate(model);
        runner.EvaluateAlerts(model);

        // The healthy first half of the analysis period, replayed a year later.
        fixture.Drop("b.parquet", 0, 20_000, TimeSpan.FromDays(365), 1_000_000);
        runner.Estimate(model);
        var outcome = runner.EvaluateAlerts(model);

        var resolve = Assert.Single(outcome.Enqueued, n => n.Rule == "objective");
        Assert.Equal("resolved", resolve.State);
        Assert.Equal(11, resolve.ChunkIndex);
        Assert.Equal("inactive", runner.ReadAlertStatus("car_loan").Single(s => s.Rule == "objective").State);
    }

    [Fact]
    public void RecordDelivery_MovesToSent_AndIsNeverQueuedAgain()
    {
        var runner = fixture.Runner();
        var model = Model();
        fixture.Drop("a.parquet", 0, 50_000);
        runner.Estimate(model);
        runner.EvaluateAlerts(model);
        var pending = runner.PendingNotifications("car_loan");
        var first = pending[0];

        var partly = runner.RecordDelivery(first, "webhook", complete: false);
        runner.RecordDelivery(partly, "pagerduty", complete: true);

        Assert.Equal(pending.Count - 1, runner.PendingNotifications("car_loan").Count);
        var sent = Assert.Single(runner.SentNotifications("car_loan"));
        Assert.Equal(["pagerduty", "webhook"], sent.Delivered.Keys.Order());
        Assert.Empty(runner.EvaluateAlerts(model).Enqueued);
    }

    [Fact]
    public void EvaluateAlerts_RecordsUnroutedNotificationsAsSent_WithoutAPendingFile()
    {
        // The same data queued twice: once as before (pending), once with every P2 routed nowhere.
        var routedBefore = fixture.Runner();
        var model = Model();
        fixture.Drop("a.parquet", 0, 50_000);
        routedBefore.Estimate(model);
        var expected = routedBefore.EvaluateAlerts(model).Enqueued;
        using var other = new StoreFixture();
        var runner = new ModelRunner(other.Store) { FileSettleTime = TimeSpan.Zero, Unrouted = n => n.Severity == "P2" };
        other.Drop("a.parquet", 0, 50_000);
        var otherModel = StoreFixture.CarLoan(other.Incoming, Chunking.BySize(5000)) with { Slos = model.Slos, Alerting = model.Alerting };
        runner.Estimate(otherModel);

        var outcome = runner.EvaluateAlerts(otherModel);

        Assert.Equal(expected.Select(n => n.Id), outcome.Enqueued.Select(n => n.Id));
        var p2 = expected.Where(n => n.Severity == "P2").Select(n => n.Id).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(p2);
        Assert.Equal(expected.Select(n => n.Id).Except(p2).Order(StringComparer.Ordinal), runner.PendingNotifications("car_loan").Select(n => n.Id));
        var sent = runner.SentNotifications("car_loan");
        Assert.Equal(p2, sent.Select(n => n.Id));
        Assert.All(sent, n => Assert.Equal([ModelRunner.NoChannel], n.Delivered.Keys));
        Assert.False(Directory.Exists(Path.Combine(other.Store, "car_loan", "outbox", "pending")) && Directory.GetFiles(Path.Combine(other.Store, "car_loan", "outbox", "pending"), "*P2*").Length > 0);
        Assert.Empty(runner.EvaluateAlerts(otherModel).Enqueued);
    }

    [Fact]
    public void EvaluateAlerts_IgnoresProvisionalChunks()
    {
        var runner = fixture.Runner();
        var model = Model();
        fixture.Drop("a.parquet", 0, 27_000);
        runner.Estimate(model);

        var outcome = runner.EvaluateAlerts(model);

        Assert.DoesNotContain(outcome.Flags, f => f.ChunkIndex == 5);
        Assert.Empty(outcome.Enqueued);
    }

    [Fact]
    public void EvaluateAlerts_WithNothingNew_ReturnsTheSameStates_AndRewritesNothing()
    {
        var runner = fixture.Runner();
        var model = Model();
        fixture.Drop("a.parquet", 0, 25_000);
        runner.Estimate(model);
        var first = runner.EvaluateAlerts(model);
        var flags = Path.Combine(fixture.Store, "car_loan", "alerts", "flags.json");
        var current = Path.Combine(fixture.Store, "car_loan", "alerts", "current.json");
        var backdated = DateTime.UtcNow.AddHours(-1);
        File.SetLastWriteTimeUtc(flags, backdated);
        File.SetLastWriteTimeUtc(current, backdated);

        // Nothing new: the same runner answers from its last evaluation, another one (a new process) recomputes the
        // same states from the files; neither queues anything or rewrites the alert files.
        runner.Estimate(model);
        var again = runner.EvaluateAlerts(model);
        var recomputed = fixture.Runner().EvaluateAlerts(model);

        foreach (var outcome in new[] { again, recomputed })
        {
            Assert.Empty(outcome.Enqueued);
            Assert.Equal(first.Flags, outcome.Flags);
            Assert.Equal(JsonSerializer.Serialize(first.Current), JsonSerializer.Serialize(outcome.Current));
        }

        Assert.Equal(backdated, File.GetLastWriteTimeUtc(flags));
        Assert.Equal(backdated, File.GetLastWriteTimeUtc(current));

        // New estimates: evaluated again, as a runner that never saw the first half would.
        fixture.Drop("b.parquet", 25_000, 25_000);
        runner.Estimate(model);
        var later = runner.EvaluateAlerts(model);
        var scratch = new StoreFixture();
        try
        {
            scratch.Drop("a.parquet", 0, 50_000);
            var whole = StoreFixture.CarLoan(scratch.Incoming, Chunking.BySize(5000)) with { Slos = model.Slos, Alerting = model.Alerting };
            scratch.Runner().Estimate(whole);
            var expected = scratch.Runner().EvaluateAlerts(whole);
            Assert.Equal(expected.Flags, later.Flags);
            Assert.NotEqual(backdated, File.GetLastWriteTimeUtc(flags));
        }
        finally
        {
            scratch.Dispose();
        }
    }
}
