using Estimator.Estimation;
using Estimator.Estimation.Multiclass;
using Estimator.IO;
using Estimator.Metrics;
using Estimator.Monitoring;
using Estimator.Tests.Cli;
using Estimator.Tests.IO;

namespace Estimator.Tests.Store;

/// <summary>
/// A multiclass model (NannyML's credit-card data, three classes) run through the store: analysis files arriving over
/// time, estimated run by run, give what one multiclass CBPE fit and estimate over all rows gives, and NannyML's numbers.
/// </summary>
public sealed class MulticlassStoreTests : IDisposable
{
    // Six files whose edges do not line up with the 6,000-row chunks: chunks fill across files.
    private static readonly int[] Cuts = [0, 7_000, 15_500, 24_000, 36_001, 47_000, 60_000];

    private readonly TestFiles files = new();
    private readonly string reference;

    public MulticlassStoreTests()
    {
        Directory.CreateDirectory(Incoming);
        Directory.CreateDirectory(Labels);
        reference = CreditCardFiles.Reference.WriteCsv(files, "reference.csv");
    }

    private string Incoming => files.PathOf("incoming");

    private string Labels => files.PathOf("labels");

    public void Dispose() => files.Dispose();

    private ModelRunner Runner(int workItemRows = 0) =>
        new(files.PathOf("store")) { FileSettleTime = TimeSpan.Zero, WorkItemRows = workItemRows, WorkItemGrace = TimeSpan.Zero };

    private ModelDefinition Model(string? classScores = null, Chunking? chunking = null) => new(
        "credit_card",
        reference,
        Path.Combine(Incoming, "*.csv"),
        Path.Combine(Labels, "*.csv"),
        "id",
        new ColumnMapping { ClassScores = ClassScoreColumns.Parse(classScores ?? CreditCardFiles.ShuffledScoreArgument), YPred = "y_pred", YTrue = "y_true", Timestamp = "timestamp" },
        new CbpeOptions { Metrics = new MulticlassCbpeOptions().Metrics, Chunking = chunking ?? Chunking.BySize(6000) });

    /// <summary>Analysis rows [start, end) with their row number as id and no targets, as one file in the drop directory.</summary>
    private void Drop(string name, int start, int end) =>
        CreditCardFiles.Analysis.WriteCsv(files, Path.Combine("incoming", name), withId: true, drop: ["y_true"], rows: start..end);

    /// <summary>Targets (id, y_true) of analysis rows [start, end) as one label file.</summary>
    private void DropLabels(string name, int start, int end) =>
        CreditCardFiles.Analysis.WriteCsv(files, Path.Combine("labels", name), withId: true, drop: [.. CreditCardFiles.Analysis.Header.Where(h => h != "y_true")], rows: start..end);

    /// <summary>One multiclass CBPE fit on the reference and one estimate over every analysis row, as a notebook would run it.</summary>
    private List<EstimateRecord> Batch(bool withTargets, Chunking? chunking = null)
    {
        var columns = new ColumnMapping { ClassScores = ClassScoreColumns.Parse(CreditCardFiles.ShuffledScoreArgument), YPred = "y_pred", YTrue = "y_true", Timestamp = "timestamp" };
        var data = MulticlassFileReader.Read(reference, columns, requireTargets: true, requirePredictions: true);
        var fitted = new MulticlassCbpeCalculator(new MulticlassCbpeOptions { Chunking = chunking ?? Chunking.BySize(6000) }).Fit(data.Data);
        var path = CreditCardFiles.Analysis.WriteCsv(files, withTargets ? "all-with-targets.csv" : "all.csv", drop: withTargets ? null : ["y_true"]);
        var analysis = MulticlassFileReader.Read(path, columns, requireTargets: withTargets, requirePredictions: true);
        return [.. EstimateRecord.FromResult(fitted.Estimate(analysis.Data, "credit_card")).Where(r => r.Period == "analysis").Select(Comparable)];
    }

    private static EstimateRecord Micros(EstimateRecord r) =>
        r with { ChunkStartDate = r.ChunkStartDate is DateTime s ? new DateTime(s.Ticks - (s.Ticks % 10), DateTimeKind.Utc) : null, ChunkEndDate = r.ChunkEndDate is DateTime e ? new DateTime(e.Ticks - (e.Ticks % 10), DateTimeKind.Utc) : null };

    private static EstimateRecord Comparable(EstimateRecord r) => r with { EstimatedAt = null, RunId = null, Provisional = false };

    private static List<EstimateRecord> Analysis(ModelRunner runner) =>
        [.. runner.ReadEstimates("credit_card").Where(r => r.Period == "analysis")];

    [Fact]
    public void Estimate_WithDailyPeriods_EqualsOneBatchEstimate_WhenSixFilesArriveOverTime()
    {
        // Daily chunks (about 1,440 rows each): the files end mid-day, so a day fills across files and stays provisional
        // until a later day's rows arrive; the last day stays provisional (the stream never ends).
        var runner = Runner();
        var daily = Chunking.ByPeriod(ChunkPeriod.Day);
        var model = Model(chunking: daily);
        for (var f = 0; f + 1 < Cuts.Length; f++)
        {
            Drop($"analysis-{f:D2}.csv", Cuts[f], Cuts[f + 1]);
            runner.Estimate(model);
        }

        var stored = Analysis(runner);
        var batch = Batch(withTargets: false, daily);
        Assert.True(batch.Select(r => r.ChunkKey).Distinct().Count() > 30, "too few daily chunks");
        // Estimate files keep timestamps to the microsecond (Parquet), so a period's end (…:59.9999999) reads back as …:59.999999.
        Assert.Equal(batch.Select(Micros), stored.Select(Comparable).Select(Micros));
        Assert.All(stored.Where(r => r.ChunkIndex < stored.Max(x => x.ChunkIndex)), r => Assert.False(r.Provisional));
    }

    [Fact]
    public void EvaluateAlerts_FlagsAMulticlassObjective_FromTheMacroRows()
    {
        // ROC AUC of this model is about 0.9: an objective of 0.95 is missed by every chunk, with the whole band below it.
        var runner = Runner();
        var model = Model() with { Slos = [new Estimator.Slo.SloObjective("roc_auc", 0.95)], Alerting = new Estimator.Slo.AlertPolicy { For = 1 } };
        for (var f = 0; f + 1 < Cuts.Length; f++)
        {
            Drop($"analysis-{f:D2}.csv", Cuts[f], Cuts[f + 1]);
            runner.Estimate(model);
            runner.EvaluateAlerts(model);
        }

        // The oracle: the batch estimate's final chunks, flagged by hand (P1 when the whole band is below the objective).
        var final = Analysis(runner).Where(r => !r.Provisional).Select(r => r.ChunkIndex).ToHashSet();
        var finals = Batch(withTargets: false).Where(r => r.Metric == "roc_auc" && final.Contains(r.ChunkIndex)).OrderBy(r => r.ChunkIndex).ToList();
        var expected = finals.Select(r => r.UpperConfidenceBound < 0.95 ? "P1" : r.Estimated < 0.95 ? "P2" : null).ToList();
        var outcome = runner.EvaluateAlerts(model);
        var flags = outcome.Flags.Where(f => f.Metric == "roc_auc" && f.Rule == "objective").OrderBy(f => f.ChunkIndex).ToList();
        Assert.Equal(expected, flags.Select(f => f.Severity));
        Assert.Equal("firing", outcome.Current.Single(s => s.Metric == "roc_auc" && s.Rule == "objective").State);
        var trigger = Assert.Single(runner.PendingNotifications("credit_card"), n => n.Rule == "objective" && n.State == "firing");
        Assert.Equal((expected[0], 0), (trigger.Severity, trigger.ChunkIndex));
    }

    [Fact]
    public void Estimate_EqualsOneBatchEstimate_WhenSixFilesArriveOverTime()
    {
        var runner = Runner();
        var model = Model();
        for (var f = 0; f + 1 < Cuts.Length; f++)
        {
            Drop($"analysis-{f:D2}.csv", Cuts[f], Cuts[f + 1]);
            var outcome = runner.Estimate(model);

            Assert.Single(outcome.FilesProcessed);
            Assert.Equal(Cuts[f + 1] - Cuts[f], outcome.RowsProcessed);
            var analysis = Analysis(runner);
            Assert.Equal(Cuts[f + 1] / 6000, analysis.Where(r => !r.Provisional).Select(r => r.ChunkIndex).Distinct().Count());
            var open = analysis.Where(r => r.Provisional).Select(r => r.ChunkKey).Distinct().ToList();
            Assert.Equal(Cuts[f + 1] % 6000 == 0 ? [] : [FormattableString.Invariant($"[{Cuts[f + 1] / 6000 * 6000}:{Cuts[f + 1] - 1}]")], open);
            Assert.All(analysis, r => Assert.Null(r.Class));
        }

        var records = Analysis(runner);
        Assert.Equal(Batch(withTargets: false), records.Select(Comparable));
        Assert.Equal(60, runner.ReadEstimates("credit_card").Count(r => r.Period == "reference"));
        AssertMatchesNannyMl(records, realized: false);
    }

    [Fact]
    public void Reconcile_RecordsRealizedValues_WhenClassLabelsArriveInTwoFiles()
    {
        var runner = Runner();
        var model = Model();
        Drop("analysis-a.csv", 0, 31_000);
        Drop("analysis-b.csv", 31_000, 60_000);
        runner.Estimate(model);
        DropLabels("labels-1.csv", 0, 25_000);

        var first = runner.Reconcile(model);

        Assert.Equal(25_000, first.LabelsRead);
        Assert.Equal(5, first.ChunksUpdated);
        Assert.Equal(4, first.Summary.ChunksComplete);

        DropLabels("labels-2.csv", 25_000, 60_000);
        var second = runner.Reconcile(model);

        Assert.Equal(35_000, second.LabelsRead);
        Assert.Equal(10, second.Summary.ChunksComplete);
        var records = Analysis(runner);
        Assert.Equal(Batch(withTargets: true), records.Select(Comparable));
        AssertMatchesNannyMl(records, realized: true);
        var ledger = runner.ReadLedger("credit_card");
        Assert.Equal(60, ledger.Count);
        Assert.All(ledger, r => Assert.Equal(r.Estimated!.Value - r.Realized!.Value, r.Error!.Value, 12));
    }

    [Fact]
    public void Estimate_EqualsOneBatchEstimate_WhenTheRunIsSplitIntoWorkItems()
    {
        var model = Model();
        for (var f = 0; f + 1 < Cuts.Length; f++)
        {
            Drop($"analysis-{f:D2}.csv", Cuts[f], Cuts[f + 1]);
        }

        // No other worker takes the items: the planner runs them from their segment files after the (zero) grace.
        var outcome = Runner(workItemRows: 12_000).Estimate(model, _ => { });

        Assert.Equal(5, outcome.WorkItems);
        Assert.Equal(Batch(withTargets: false), Analysis(Runner()).Select(Comparable));
    }

    [Fact]
    public void Estimate_FailsWithAClearError_WhenTheModelsClassesChangeAfterRowsAreStored()
    {
        var runner = Runner();
        Drop("analysis-a.csv", 0, 10_000);
        runner.Estimate(Model());
        var renamed = CreditCardFiles.ShuffledScoreArgument.Replace("upmarket_card=", "premium_card=", StringComparison.Ordinal);

        var e = Assert.Throws<EstimatorDataException>(() => runner.Estimate(Model(renamed)));

        Assert.Contains("its classes are now highstreet_card, premium_card, prepaid_card, the store's rows hold highstreet_card, prepaid_card, upmarket_card", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Every analysis chunk × metric against NannyML 0.13.1's estimate over the whole analysis set.</summary>
    private static void AssertMatchesNannyMl(List<EstimateRecord> records, bool realized)
    {
        using var expected = CreditCardFiles.Expected("chunk_size_6000");
        var chunks = expected.RootElement.GetProperty("chunks").EnumerateArray().Where(c => c.GetProperty("period").GetString() == "analysis").ToList();
        var metrics = new MulticlassCbpeOptions().Metrics.Select(m => m.ToName()).ToList();
        Assert.Equal(chunks.Count * metrics.Count, records.Count);
        var i = 0;
        foreach (var chunk in chunks)
        {
            foreach (var metric in metrics)
            {
                var r = records[i++];
                var e = chunk.GetProperty("metrics").GetProperty(metric);
                Assert.Equal(chunk.GetProperty("key").GetString(), r.ChunkKey);
                Assert.Equal(metric, r.Metric);
                Assert.Equal(e.GetProperty("estimated").GetDouble(), r.Estimated!.Value, 1e-6);
                Assert.Equal(e.GetProperty("lower_threshold").GetDouble(), r.LowerThreshold!.Value, 1e-6);
                Assert.Equal(e.GetProperty("upper_threshold").GetDouble(), r.UpperThreshold!.Value, 1e-6);
                Assert.Equal(e.GetProperty("lower_confidence_bound").GetDouble(), r.LowerConfidenceBound!.Value, 1e-5);
                Assert.Equal(e.GetProperty("alert").GetBoolean(), r.Alert);
                if (realized)
                {
                    Assert.Equal(e.GetProperty("realized").GetDouble(), r.Realized!.Value, 1e-6);
                }
                else
                {
                    Assert.Null(r.Realized);
                }
            }
        }
    }
}
