using DuckDB.NET.Data;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Monitoring;
using Estimator.Tests.IO;

namespace Estimator.Tests.Store;

/// <summary>
/// Reconciliation's feedback through the store on the shared classification worlds (shared/scenarios): in the concept-drift
/// world, where P(y | x) changes from analysis chunk 4 on and no label-free estimate can follow, the assumption flag fires
/// within two chunks of those chunks' labels arriving; in the stable world it never fires. Labels arrive one chunk at a time.
/// </summary>
public sealed class AssumptionFlagTests : IDisposable
{
    private const int ChunkRows = 5000;

    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void ConceptDrift_IsFlaggedWithinTwoChunksOfItsLabels_OnceAndInTheLedgerSummaryAndOutbox()
    {
        var (runner, model, world) = Start("concept_drift");
        int? firedAfter = null;
        for (var k = 0; k < 12; k++)
        {
            DropLabels(world, model, k);
            var summary = runner.Reconcile(model).Summary;
            var active = summary.AssumptionViolations.Where(v => v.Active).ToList();
            if (k < 4)
            {
                // Chunks 0–3 are drawn as the reference: no flag (two chunks outside a ±3σ band in a row by chance: ~1e-5).
                Assert.Empty(summary.AssumptionViolations);
            }
            else if (active.Count > 0 && firedAfter is null)
            {
                firedAfter = k;
                Assert.Contains(summary.Warnings, w => w.Contains("assumption violated (concept drift?)", StringComparison.Ordinal));
            }
        }

        // The world's drift starts at chunk 4 (intensity 0.25, then 0.5, 0.75, 1): the labels of chunk 4 and 5 suffice.
        Assert.NotNull(firedAfter);
        Assert.InRange(firedAfter!.Value, 4, 5);

        var ledger = runner.ReadLedger(model.Name);
        var final = runner.ReadReconciliationSummary(model.Name)!;
        Assert.All(final.AssumptionViolations, v => Assert.True(v.FirstIndex >= 4, $"{v.Metric} flagged from chunk {v.FirstIndex}"));
        Assert.Contains(final.AssumptionViolations, v => v.Metric == "roc_auc" && v.Active);

        // The ledger marks exactly the violating runs: chunk by chunk, outside the band from the first to the last.
        foreach (var row in ledger)
        {
            var expected = final.AssumptionViolations.Any(v => v.Metric == row.Metric && row.ChunkIndex >= v.FirstIndex && row.ChunkIndex <= v.LastIndex);
            Assert.Equal(expected, row.AssumptionViolated);
        }

        // One P2 per violated metric, queued once although reconcile ran again after it with more labels.
        var notes = runner.PendingNotifications(model.Name).Where(n => n.Rule == "assumption").ToList();
        Assert.Equal(final.AssumptionViolations.Count, notes.Count(n => n.State == "firing"));
        Assert.Equal(final.AssumptionViolations.Count(v => v.ClearedIndex is not null), notes.Count(n => n.State == "resolved"));
        Assert.All(notes, n => Assert.Equal(("P2", $"{model.Name}/{n.Metric}/assumption"), (n.Severity, n.DedupKey)));
        Assert.Single(notes, n => n.Metric == "roc_auc");
        runner.Reconcile(model);
        Assert.Equal(notes.Count, runner.PendingNotifications(model.Name).Count(n => n.Rule == "assumption"));
    }

    [Fact]
    public void StableWorld_IsNeverFlagged()
    {
        var (runner, model, world) = Start("stable");
        for (var k = 0; k < 12; k++)
        {
            DropLabels(world, model, k);
        }

        var summary = runner.Reconcile(model).Summary;

        Assert.Equal(12, summary.ChunksComplete);
        Assert.Empty(summary.AssumptionViolations);
        Assert.All(runner.ReadLedger(model.Name), r => Assert.False(r.AssumptionViolated));
        Assert.DoesNotContain(runner.PendingNotifications(model.Name), n => n.Rule == "assumption");
    }

    private (ModelRunner Runner, ModelDefinition Model, string World) Start(string name)
    {
        var world = SharedScenarios.World(name);
        var incoming = files.PathOf("incoming");
        var labels = files.PathOf("labels");
        Directory.CreateDirectory(incoming);
        Directory.CreateDirectory(labels);
        File.Copy(Path.Combine(world, "analysis.parquet"), Path.Combine(incoming, "analysis.parquet"));
        var model = new ModelDefinition(
            name,
            Path.Combine(world, "reference.parquet"),
            Path.Combine(incoming, "*.parquet"),
            Path.Combine(labels, "*.parquet"),
            "id",
            new ColumnMapping { YTrue = "y_true", Timestamp = "timestamp" },
            new CbpeOptions { Chunking = Chunking.BySize(ChunkRows) });
        var runner = new ModelRunner(files.PathOf("store")) { FileSettleTime = TimeSpan.Zero };
        runner.Estimate(model);
        return (runner, model, world);
    }

    /// <summary>The labels of analysis chunk <paramref name="k"/> (rows in file order, which is timestamp order), cut by DuckDB.</summary>
    private static void DropLabels(string world, ModelDefinition model, int k)
    {
        var target = Path.Combine(Path.GetDirectoryName(model.Targets!)!, $"labels-{k:D2}.parquet");
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            COPY (SELECT t.id, t.y_true FROM read_parquet('{Path.Combine(world, "analysis_targets.parquet")}') t
                  JOIN (SELECT id, file_row_number AS r FROM read_parquet('{Path.Combine(world, "analysis.parquet")}', file_row_number = true)) a USING (id)
                  WHERE a.r >= {k * ChunkRows} AND a.r < {(k + 1) * ChunkRows})
            TO '{target}' (FORMAT parquet)
            """;
        command.ExecuteNonQuery();
    }
}
