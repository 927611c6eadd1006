using System.Text.RegularExpressions;
using Estimator.Cli;
using Estimator.Host.Configuration;
using Estimator.Host.Storage;
using Estimator.IO;
using Estimator.Monitoring;
using Estimator.Scenarios;

namespace Estimator.Host.Tests.Postgres;

/// <summary>
/// One model with a large backlog (400,000 rows in eight files, 200 chunks) and two worker processes on PostgreSQL: the
/// estimate run is split into work items queued as jobs, both processes run items, each item is run once, and the store
/// ends as a single-process <c>estimator run</c> (which keeps the run whole) leaves it.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed partial class BacklogScaleOutTests(PostgresFixture postgres) : IDisposable
{
    private const int Rows = 400_000;
    private const int ChunkSize = 2000;
    private const int WorkItemRows = 10_000;
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task TwoWorkers_ShareOneModelsBacklog_EachWorkItemOnce_LikeASingleProcessRun()
    {
        // The planning job leaves its items to the queue for up to 20 s (with no grace it may race through them all
        // before another process polls the queue). Three worker threads per process: one may be the planning job, one a
        // calibrate run waiting for the model's lock, and each process keeps at least one thread free for items.
        var connection = postgres.CreateDatabase();
        var (config, expected) = Prepare(connection, extraTopLevel: "worker_threads: 3\nwork_item_grace_seconds: 20\n");
        var store = EstimatorConfig.Load(config).StoreDirectory;
        using var a = WorkerProcess.Start(config);
        using var b = WorkerProcess.Start(config);
        try
        {
            var runner = new ModelRunner(store);
            await TestHosts.WaitUntilAsync(() => Settled(store) && ScaleOutTests.TryRead(runner, "big") is { } actual && actual.SequenceEqual(expected), TimeSpan.FromSeconds(150), () => "the store to match the single-process run\n" + a.Output + "\n----\n" + b.Output);

            // Items 1..N were handed off (item 0 stays with the planning job); each was run by exactly one process.
            var handedOff = Rows / WorkItemRows - 1;
            await TestHosts.WaitUntilAsync(() => ItemsRun(a).Count + ItemsRun(b).Count >= handedOff, TimeSpan.FromSeconds(30), "every work item's log line");
            var all = ItemsRun(a).Concat(ItemsRun(b)).ToList();
            Assert.Equal(handedOff, all.Count);
            Assert.Equal(handedOff, all.Distinct(StringComparer.Ordinal).Count());
            Assert.True(ItemsRun(a).Count > 0 && ItemsRun(b).Count > 0, $"items per process: {ItemsRun(a).Count}/{ItemsRun(b).Count}");
        }
        finally
        {
            await Task.WhenAll(a.StopAsync(TimeSpan.FromSeconds(20)), b.StopAsync(TimeSpan.FromSeconds(20)));
        }

        Assert.Empty(Directory.GetFiles(store, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(Path.Combine(store, "big", "pending")));
    }

    [Fact]
    public async Task KilledWorker_MidSplitRun_TheOtherFinishes_NoPartialFileEverVisible()
    {
        // The victim starts alone with one worker thread and a long grace, so its planning job is certain to be in flight,
        // with the run's items pending, when it is killed: with two workers started together, the other could take the
        // planning job and run the whole backlog before the victim polled the queue (seen on CI). The survivor shares
        // the store and the database and starts after the kill with the defaults.
        var connection = postgres.CreateDatabase();
        var (config, expected) = Prepare(connection, invisibilitySeconds: 5);
        var victimConfig = WriteConfig("workers", Path.Combine(temp.Path, "inputs"), StorageYaml(connection, 5), "worker_threads: 1\nwork_item_grace_seconds: 120\n", "victim.yaml");
        var store = EstimatorConfig.Load(config).StoreDirectory;
        Assert.Equal(store, EstimatorConfig.Load(victimConfig).StoreDirectory);
        var storage = PostgresStorage.Create(new HangfireStorageConfig(HangfireStorageKind.Postgres, connection));
        await using var watcher = StoreWatcher.Start(store);
        using var victim = WorkerProcess.Start(victimConfig);
        WorkerProcess? survivor = null;
        try
        {
            await TestHosts.WaitUntilAsync(
                () => PendingItems(store) > 0 && storage.GetMonitoringApi().ProcessingJobs(0, 500).Any(j =>
                    j.Value.ServerId.StartsWith(victim.ServerName + ":", StringComparison.OrdinalIgnoreCase)
                    && j.Value.Job.Method.Name == "Estimate"),
                TimeSpan.FromSeconds(90),
                () => "the victim's planning job in flight with its items pending:\n" + victim.Output);
            victim.KillHard();
            Assert.True(PendingItems(store) > 0, "the victim finished its run before it was killed");

            survivor = WorkerProcess.Start(config);
            var runner = new ModelRunner(store);
            await TestHosts.WaitUntilAsync(() => Settled(store) && ScaleOutTests.TryRead(runner, "big") is { } actual && actual.SequenceEqual(expected), TimeSpan.FromSeconds(150), () => "the survivor to finish the store\n" + survivor.Output);

            // The victim's half-written temporary files are swept by the model's next run.
            await TestHosts.WaitUntilAsync(() => Directory.GetFiles(store, "*.tmp", SearchOption.AllDirectories).Length == 0, TimeSpan.FromSeconds(30), "the killed worker's temporary files to be removed");
        }
        finally
        {
            await watcher.StopAsync();
            if (survivor is not null)
            {
                await survivor.StopAsync(TimeSpan.FromSeconds(20));
                survivor.Dispose();
            }
        }

        // Every file the store showed while the victim died and the survivor finished was whole.
        Assert.True(watcher.Failures.Count == 0, watcher.ToString());
        Assert.True(watcher.ChunkChecks >= Rows / ChunkSize && watcher.Passes >= 20, "too few checks: " + watcher);
    }

    private (string Config, List<EstimateRecord> Expected) Prepare(string connection, int invisibilitySeconds = 30, string extraTopLevel = "")
    {
        var inputs = Path.Combine(temp.Path, "inputs");
        var data = ScenarioGenerator.Generate(Scenario.Stable, new ScenarioOptions { ReferenceRows = 50_000, AnalysisRows = Rows, Seed = 11 });
        ScenarioFileWriter.Write(data, inputs, analysisFiles: 8);
        foreach (var file in Directory.GetFiles(Path.Combine(inputs, "analysis")))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-5));
        }

        var single = EstimatorConfig.Load(WriteConfig("single", inputs, "{ kind: inmemory }"));
        Assert.Equal(0, RunCommand.Run(single, new ModelRunnerStore(new ModelRunner(single.StoreDirectory)), null, TextWriter.Null, TextWriter.Null, CancellationToken.None));
        var expected = ScaleOutTests.Comparable(new ModelRunner(single.StoreDirectory).ReadEstimates("big"));
        Assert.Equal(Rows / ChunkSize, expected.Count(r => r.Period == "analysis") / 6);
        return (WriteConfig("workers", inputs, StorageYaml(connection, invisibilitySeconds), extraTopLevel), expected);
    }

    private static string StorageYaml(string connection, int invisibilitySeconds) =>
        $"{{ kind: postgres, connection: \"{connection}\", invisibility_timeout_seconds: {invisibilitySeconds} }}";

    /// <summary>No work item pending.</summary>
    private static bool Settled(string store) => PendingItems(store) == 0;

    /// <summary>The work items state.json lists as pending; -1 before the state exists or while it cannot be read.</summary>
    private static int PendingItems(string store)
    {
        var state = Path.Combine(store, "big", "state.json");
        try
        {
            // The state is compact JSON; parsed rather than matched as text.
            return File.Exists(state) ? System.Text.Json.JsonDocument.Parse(File.ReadAllText(state)).RootElement.GetProperty("pending").GetArrayLength() : -1;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            return -1;
        }
    }

    /// <summary>The work items this process ran (the store's log line, written once per item that did work).</summary>
    private static List<string> ItemsRun(WorkerProcess process) =>
        [.. process.Lines.Select(l => WorkItemLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"work item (run\d+-item\d+) wrote chunks")]
    private static partial Regex WorkItemLine();

    private string WriteConfig(string name, string inputs, string storage, string extraTopLevel = "", string fileName = "estimator.yaml")
    {
        var root = Path.Combine(temp.Path, name);
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, fileName);
        File.WriteAllText(path, extraTopLevel + $$"""
            store: ./store
            storage: {{storage}}
            work_item_rows: {{WorkItemRows}}
            models:
              - name: big
                reference: {{inputs}}/reference.parquet
                analysis: {{inputs}}/analysis/*.parquet
                id_column: id
                columns: { y_pred_proba: y_pred_proba, y_pred: y_pred, y_true: y_true, timestamp: timestamp }
                chunking: { size: {{ChunkSize}} }
                metrics: [roc_auc, precision, recall, f1, accuracy, specificity]
                schedule: "*/2 * * * * *"

            """);
        return path;
    }
}
