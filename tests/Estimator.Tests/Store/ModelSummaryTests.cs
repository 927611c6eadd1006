using System.Text.Json;
using Estimator.IO;
using Estimator.Monitoring;
using Estimator.Slo;
using Estimator.Tests.IO;
using Parquet.Schema;

namespace Estimator.Tests.Store;

/// <summary>
/// The per-model summary makes alert evaluation read only the chunks that became final since the last evaluation. The
/// oracle is a store that received everything at once and evaluated it in one pass over every estimate file.
/// </summary>
public sealed class ModelSummaryTests : IDisposable
{
    private readonly StoreFixture fixture = new();
    private readonly TestFiles files = new();

    public void Dispose()
    {
        fixture.Dispose();
        files.Dispose();
    }

    private ModelDefinition Model(string incoming) => StoreFixture.CarLoan(incoming, Chunking.BySize(2500)) with
    {
        Targets = Path.Combine(files.Directory, "labels", "*.parquet"),
        Slos = [new SloObjective("roc_auc", 0.965), new SloObjective("roc_auc", 0.95), new SloObjective("f1", 0.9)],
        Alerting = new AlertPolicy { For = 2, KeepFiringFor = 1, ConsecutiveCrossings = 2, BudgetWindow = 4 },
    };

    /// <summary>One pass over everything: all rows at once, one evaluation by a runner with no summary.</summary>
    private static (AlertOutcome Outcome, List<string> Queued, IReadOnlyList<EstimateRecord> Records, string FlagsFile) Oracle(ModelDefinition like)
    {
        using var scratch = new StoreFixture();
        scratch.Drop("all.parquet", 0, 50_000);
        var model = StoreFixture.CarLoan(scratch.Incoming, Chunking.BySize(2500)) with { Slos = like.Slos, Alerting = like.Alerting };
        scratch.Runner().Estimate(model);
        var outcome = scratch.Runner().EvaluateAlerts(model);
        var queued = scratch.Runner().PendingNotifications(model.Name).Select(n => n.Id).ToList();
        return (outcome, queued, scratch.Runner().ReadEstimates(model.Name), File.ReadAllText(Path.Combine(scratch.Store, model.Name, "alerts", "flags.json")));
    }

    private static List<string> FileByFileNotifications(ModelDefinition like)
    {
        using var scratch = new StoreFixture();
        var model = like with { Analysis = scratch.Incoming };
        var ids = new List<string>();
        for (var part = 0; part < 10; part++)
        {
            scratch.Drop($"part-{part:D2}.parquet", part * 5000, 5000);
            scratch.Runner().Estimate(model);
            ids.AddRange(scratch.Runner().EvaluateAlerts(model).Enqueued.Select(n => n.Id));
        }

        return ids;
    }

    [Fact]
    public void EvaluateAlerts_FileByFile_EqualsOneEvaluationOfEverything_WithoutRereadingFoldedChunks()
    {
        var model = Model(fixture.Incoming);
        var enqueued = new List<string>();
        for (var part = 0; part < 10; part++)
        {
            fixture.Drop($"part-{part:D2}.parquet", part * 5000, 5000);

            // A new runner each time (a new process): what it knows comes from the store's files only.
            fixture.Runner().Estimate(model);
            var partEnqueued = fixture.Runner().EvaluateAlerts(model).Enqueued;
            Assert.All(partEnqueued.GroupBy(n => (n.DedupKey, n.Objective)), g => Assert.Single(g));
            enqueued.AddRange(partEnqueued.Select(n => n.Id));
            if (part == 4)
            {
                // The chunks folded so far are never read again: break one, the later evaluations do not notice.
                File.WriteAllText(Path.Combine(fixture.Store, model.Name, "estimates", "analysis", "chunk-000001.parquet"), "not parquet");
            }
        }

        var last = fixture.Runner().EvaluateAlerts(model);
        var (expected, _, records, flagsFile) = Oracle(model);

        Assert.Equal(expected.Flags, last.Flags);

        // flags.json grew by appends only, and holds the text one write of every flag gives.
        Assert.Equal(flagsFile, File.ReadAllText(Path.Combine(fixture.Store, model.Name, "alerts", "flags.json")));
        Assert.Equal(JsonSerializer.Serialize(expected.Current), JsonSerializer.Serialize(last.Current));
        // Notifications coalesce per evaluation, so they depend on how the data arrived: the same arrivals into a
        // store whose folded chunks stay readable queue the same notifications, and one evaluation of everything
        // queues at most one per alert.
        Assert.Equal(FileByFileNotifications(model), enqueued);
        Assert.Contains(expected.Current, s => s.State == "firing");
        Assert.Equal(19, last.Flags.Max(f => f.ChunkIndex));

        // /metrics reads the latest final chunk's records from the summary: the oracle's last chunk, per metric.
        var latest = records.Where(r => r.Period == "analysis").GroupBy(r => r.Metric).Select(g => g.MaxBy(r => r.ChunkIndex)!).ToList();
        var fromSummary = fixture.Runner().ReadLatestEstimates(model.Name);
        Assert.Equal(latest.Select(r => (r.Metric, r.ChunkIndex, r.Estimated, r.UpperThreshold)), fromSummary.Select(r => (r.Metric, r.ChunkIndex, r.Estimated, r.UpperThreshold)));
    }

    [Theory]
    [InlineData("cut")]
    [InlineData("comma")]
    [InlineData("longer")]
    public void EvaluateAlerts_AfterAFlagsAppendWasCutShort_RewritesTheFlagsAsOneEvaluationOfEverything(string damage)
    {
        var model = Model(fixture.Incoming);
        fixture.Drop("part-00.parquet", 0, 25_000);
        fixture.Runner().Estimate(model);
        fixture.Runner().EvaluateAlerts(model);

        // What a power loss can leave of an in-place append: a shorter file, the closing bracket already overwritten at
        // the summary's length, or bytes beyond it.
        var path = Path.Combine(fixture.Store, model.Name, "alerts", "flags.json");
        var text = File.ReadAllText(path);
        File.WriteAllText(path, damage switch
        {
            "cut" => text[..^1],
            "comma" => text[..^1] + ",",
            _ => text[..^1] + ",{\"metric\":",
        });
        fixture.Drop("part-01.parquet", 25_000, 25_000);
        fixture.Runner().Estimate(model);
        var last = fixture.Runner().EvaluateAlerts(model);

        var (expected, _, _, flagsFile) = Oracle(model);
        Assert.Equal(expected.Flags, last.Flags);
        Assert.Equal(flagsFile, File.ReadAllText(path));
    }

    [Fact]
    public void EvaluateAlerts_AfterLabelsRewriteFoldedChunks_JudgesFlagsAsAFullEvaluation()
    {
        var model = Model(fixture.Incoming);
        fixture.Drop("a.parquet", 0, 50_000);
        var runner = fixture.Runner();
        runner.Estimate(model);
        var before = runner.EvaluateAlerts(model);
        Assert.DoesNotContain(before.Flags, f => f.Verdict is "confirmed" or "retracted");

        var table = PredictionFileReader.Read(
            TestFiles.CarLoan("analysis_targets.parquet"),
            new ColumnMapping { YPredProba = "repaid", YPred = null, YTrue = "repaid", Id = "id" },
            requireTargets: true,
            requirePredictions: false);
        Directory.CreateDirectory(Path.Combine(files.Directory, "labels"));
        files.WriteParquet(
            Path.Combine("labels", "t.parquet"),
            (new DataField<long>("id"), table.Ids!.Select(long.Parse).ToArray()),
            (new DataField<long>("repaid"), table.Set.Targets!.Select(t => (long)t).ToArray()));
        runner.Reconcile(model);
        var after = runner.EvaluateAlerts(model);

        // The oracle: the same store evaluated afresh by a runner that has no summary.
        File.Delete(Path.Combine(fixture.Store, model.Name, "summary.json"));
        var full = fixture.Runner().EvaluateAlerts(model);
        Assert.Equal(full.Flags, after.Flags);
        Assert.Contains(after.Flags, f => f.Verdict is "confirmed" or "retracted");
        Assert.Equal(
            full.Flags.Count(f => f.Rule == "objective" && f.Severity is not null),
            after.Flags.Count(f => f.Verdict is "confirmed" or "retracted"));
    }
}
