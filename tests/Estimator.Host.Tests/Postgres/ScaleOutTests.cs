using System.Diagnostics;
using System.Globalization;
using Estimator.Cli;
using Estimator.Host.Configuration;
using Estimator.Host.Storage;
using Estimator.IO;
using Estimator.Monitoring;
using Hangfire;
using Npgsql;
using Xunit.Abstractions;

namespace Estimator.Host.Tests.Postgres;

/// <summary>
/// Several <c>estimator serve --role worker</c> processes on one PostgreSQL database and one store directory, over 20
/// copies of the car-loan model (the demo's five seed files each): the store ends as a single-process
/// <c>estimator run</c> leaves it, each file is estimated once, and the work is spread; a worker killed with
/// <c>kill -9</c> mid-job (while a <see cref="StoreWatcher"/> reads every file that becomes visible), a worker stopped
/// with SIGTERM mid-job, or a PostgreSQL restart loses nothing.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class ScaleOutTests(PostgresFixture postgres, ITestOutputHelper output) : IDisposable
{
    private const int Models = 20;
    private const int SeedFiles = 5;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(150);
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Workers_EstimateEveryFileOnce_LikeASingleProcessRun_AndShareTheWork(int workers)
    {
        // The analysis files appear only once every process's Hangfire server is up: started together, the first one up
        // could otherwise estimate every model before the others poll the queue (as the backlog kill test once did on CI).
        var connection = postgres.CreateDatabase();
        var (config, expected) = Prepare(connection);
        var analysis = Path.Combine(temp.Path, "inputs", "analysis");
        var held = Directory.CreateDirectory(Path.Combine(temp.Path, "held")).FullName;
        foreach (var file in Directory.GetFiles(analysis))
        {
            File.Move(file, Path.Combine(held, Path.GetFileName(file)));
        }

        using var storage = new StorageHandle(connection);
        var processes = Enumerable.Range(0, workers).Select(_ => WorkerProcess.Start(config)).ToList();
        try
        {
            await TestHosts.WaitUntilAsync(
                () => storage.Value.GetMonitoringApi().Servers().Count(s => processes.Exists(p => s.Name.StartsWith(p.ServerName + ":", StringComparison.OrdinalIgnoreCase))) == workers,
                TimeSpan.FromSeconds(60),
                () => "every worker's Hangfire server\n" + string.Join("\n----\n", processes.Select(p => p.Output)));
            foreach (var file in Directory.GetFiles(held))
            {
                File.Move(file, Path.Combine(analysis, Path.GetFileName(file))); // a rename: the files stay settled (modified 5 minutes ago)
            }

            await WaitForStoreAsync(config, expected, processes);

            // Each model's five files were estimated by exactly one job run (over all processes). A job logs its line
            // after committing, so the store can be complete a moment before the last line is read: wait for the logs.
            await TestHosts.WaitUntilAsync(
                () => Enumerable.Range(0, Models).All(m => processes.Sum(p => p.FilesEstimated().GetValueOrDefault(ModelName(m))) >= SeedFiles),
                TimeSpan.FromSeconds(30),
                "every model's estimate log line");
            var perProcess = processes.Select(p => p.FilesEstimated()).ToList();
            for (var m = 0; m < Models; m++)
            {
                var name = ModelName(m);
                Assert.Equal(SeedFiles, perProcess.Sum(p => p.GetValueOrDefault(name)));
            }

            var busy = perProcess.Count(p => p.Values.Sum() > 0);
            Assert.True(busy >= 2, $"only {busy} of {workers} processes estimated files: {string.Join(" | ", perProcess.Select(p => p.Count))}");
        }
        finally
        {
            await Task.WhenAll(processes.Select(p => p.StopAsync(TimeSpan.FromSeconds(20))));
            processes.ForEach(p => p.Dispose());
        }

        AssertStoreClean(EstimatorConfig.Load(config).StoreDirectory);
    }

    [Fact]
    public async Task KilledWorker_ItsJobIsRetriedElsewhere_AndTheStoreEndsAsAnUndisturbedRun()
    {
        var connection = postgres.CreateDatabase();
        var (config, expected) = Prepare(connection);
        var store = EstimatorConfig.Load(config).StoreDirectory;
        using var storage = new StorageHandle(connection);

        // From before the first write to the end: every file visible under a final name reads whole, at every moment.
        await using var watcher = StoreWatcher.Start(store);
        using var victim = WorkerProcess.Start(config);
        using var survivor = WorkerProcess.Start(config);

        // Kill the victim while it is processing an estimate job (Hangfire's own record of which server runs what).
        var inFlight = new List<string>();
        await TestHosts.WaitUntilAsync(
            () =>
            {
                inFlight = storage.Value.GetMonitoringApi().ProcessingJobs(0, 500)
                    .Where(j => j.Value.ServerId.StartsWith(victim.ServerName + ":", StringComparison.OrdinalIgnoreCase) && j.Value.Job.Method.Name == "Estimate")
                    .Select(j => j.Key).ToList();
                return inFlight.Count > 0;
            },
            TimeSpan.FromSeconds(60),
            () => "an estimate job in flight on the victim:\n" + victim.Output);
        victim.KillHard();
        await WaitForStoreAsync(config, expected, [survivor]);

        // Every job the victim held was handed back (invisibility timeout) and finished on the survivor.
        await FinishedOnSurvivorAsync(storage, inFlight, inFlight, survivor, watcher, store, "the killed worker's jobs to succeed elsewhere");
    }

    [Fact]
    public async Task StoppedWorker_ExitsWithZeroAndHandsBackItsJob_WhenSigtermArrivesMidEstimate()
    {
        var connection = postgres.CreateDatabase();
        var (config, expected) = Prepare(connection);
        var store = EstimatorConfig.Load(config).StoreDirectory;
        using var storage = new StorageHandle(connection);
        await using var watcher = StoreWatcher.Start(store);

        // The test holds model m00's lock (the PostgreSQL advisory lock every run of m00 takes first), so the victim's
        // estimate of m00 is certainly in the middle of its job (waiting for the lock) when SIGTERM arrives, whatever the
        // machine's speed; the other models' jobs run and are wherever they are at that moment.
        var blocked = ModelName(0);
        var inFlight = new List<(string Id, string Model)>();
        bool exitedByItself;
        using var victim = WorkerProcess.Start(config);
        var stopping = new Stopwatch();
        using (storage.Postgres.AcquireModelLock(blocked, TimeSpan.FromSeconds(30)))
        {
            await TestHosts.WaitUntilAsync(
                () =>
                {
                    inFlight = EstimatesOn(storage, victim);
                    return inFlight.Any(j => j.Model == blocked) && inFlight.Any(j => j.Model != blocked);
                },
                TimeSpan.FromSeconds(90),
                () => $"the victim's estimate of {blocked} and another model's in flight:\n" + victim.Output);
            stopping.Start();
            exitedByItself = await victim.StopAsync(TimeSpan.FromSeconds(90));
        }

        output.WriteLine($"victim exited {(exitedByItself ? $"with {victim.ExitCode}" : "only when killed")} {stopping.Elapsed.TotalSeconds:0.0} s after SIGTERM; estimates in flight: {string.Join(", ", inFlight)}");
        Assert.True(exitedByItself, "the victim did not exit within 90 s of SIGTERM:\n" + victim.Output);
        Assert.True(victim.ExitCode == 0, $"exit code {victim.ExitCode}:\n{victim.Output}");
        Assert.DoesNotContain("stopped non-gracefully", victim.Output, StringComparison.Ordinal);

        // Nothing else runs yet: every job the victim had taken either finished or is back in the queue, unclaimed (not
        // left to the invisibility timeout); the blocked estimate of m00 cannot have finished, so it is back in the queue.
        var queue = await QueueAsync(connection);
        Assert.True(queue.All(q => !q.Claimed), "jobs still claimed after the victim exited: " + string.Join(", ", queue.Where(q => q.Claimed).Select(q => q.JobId)));
        var handedBack = inFlight.Where(j => j.Model == blocked).Select(j => j.Id).ToList();
        Assert.All(handedBack, id => Assert.Contains(queue, q => q.JobId == id));

        // Another worker takes the handed-back job and the rest of the backlog; the store ends as an undisturbed run.
        using var survivor = WorkerProcess.Start(config);
        await WaitForStoreAsync(config, expected, [survivor]);
        await FinishedOnSurvivorAsync(storage, [.. inFlight.Select(j => j.Id)], handedBack, survivor, watcher, store, "the stopped worker's jobs to succeed");
    }

    [Fact]
    public async Task PostgresRestartedMidRun_WorkersReconnectAndFinish_NothingLost()
    {
        var (config, expected) = Prepare(postgres.CreateDatabase());
        using var a = WorkerProcess.Start(config);
        using var b = WorkerProcess.Start(config);
        var store = EstimatorConfig.Load(config).StoreDirectory;

        // Restart once some, but not all, models are done.
        await TestHosts.WaitUntilAsync(() => Directory.Exists(store) && Directory.GetFiles(store, "state.json", SearchOption.AllDirectories).Length >= 2, TimeSpan.FromSeconds(90), "the first models");
        postgres.Restart();

        await WaitForStoreAsync(config, expected, [a, b]);
        Assert.False(a.HasExited, a.Output);
        Assert.False(b.HasExited, b.Output);
        await Task.WhenAll(a.StopAsync(TimeSpan.FromSeconds(20)), b.StopAsync(TimeSpan.FromSeconds(20)));
        AssertStoreClean(store);
    }

    /// <summary>The estimate jobs Hangfire records as processing on <paramref name="worker"/>, with their model.</summary>
    private static List<(string Id, string Model)> EstimatesOn(StorageHandle storage, WorkerProcess worker) =>
        storage.Value.GetMonitoringApi().ProcessingJobs(0, 500)
            .Where(j => j.Value.ServerId.StartsWith(worker.ServerName + ":", StringComparison.OrdinalIgnoreCase) && j.Value.Job.Method.Name == "Estimate")
            .Select(j => (j.Key, (string)j.Value.Job.Args[0])).ToList();

    /// <summary>Hangfire's job queue in PostgreSQL: each queued job and whether a worker holds it (<c>fetchedat</c> set).</summary>
    private static async Task<List<(string JobId, bool Claimed)>> QueueAsync(string connection)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT jobid::text, fetchedat IS NOT NULL FROM {PostgresStorage.SchemaName}.jobqueue", db);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, bool)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetBoolean(1)));
        }

        return rows;
    }

    /// <summary>The Hangfire server of the job's last Processing state (the succeeded state itself names none).</summary>
    /// <summary>
    /// Waits until every job in <paramref name="succeeded"/> has succeeded, checks that each of <paramref name="handedBack"/>
    /// last ran on the survivor, then stops the survivor and checks the watcher and the store.
    /// </summary>
    private async Task FinishedOnSurvivorAsync(StorageHandle storage, IReadOnlyList<string> succeeded, IEnumerable<string> handedBack, WorkerProcess survivor, StoreWatcher watcher, string store, string what)
    {
        await TestHosts.WaitUntilAsync(
            () =>
            {
                using var c = storage.Value.GetConnection();
                return succeeded.All(id => c.GetJobData(id)?.State == "Succeeded");
            },
            TimeSpan.FromSeconds(60),
            what);
        foreach (var id in handedBack)
        {
            var server = RanOn(storage, id);
            Assert.True(server?.StartsWith(survivor.ServerName + ":", StringComparison.OrdinalIgnoreCase) == true, $"job {id} last ran on {server}");
        }

        await survivor.StopAsync(TimeSpan.FromSeconds(20));
        await watcher.StopAsync();
        AssertWatched(watcher);
        AssertStoreClean(store);
    }

    private static string? RanOn(StorageHandle storage, string id) =>
        storage.Value.GetMonitoringApi().JobDetails(id).History
            .OrderByDescending(h => h.CreatedAt)
            .FirstOrDefault(h => h.StateName == "Processing") is { } processing && processing.Data.TryGetValue("ServerId", out var server)
            ? server
            : null;

    /// <summary>The watcher read enough files while the workers wrote for its check to mean something, and none was partial.</summary>
    private void AssertWatched(StoreWatcher watcher)
    {
        output.WriteLine("store watcher: " + watcher);
        Assert.True(watcher.Failures.Count == 0, watcher.ToString());
        Assert.True(watcher.ChunkChecks >= 200 && watcher.StateChecks >= Models && watcher.Passes >= 50, "too few checks: " + watcher);
    }

    internal static string ModelName(int index) => string.Create(CultureInfo.InvariantCulture, $"m{index:00}");

    /// <summary>Every model's estimates (without estimated_at and run_id) equal the reference run's, checked until the deadline.</summary>
    private static async Task WaitForStoreAsync(string config, Dictionary<string, List<EstimateRecord>> expected, IReadOnlyList<WorkerProcess> processes)
    {
        var runner = new ModelRunner(EstimatorConfig.Load(config).StoreDirectory);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + Deadline;
        while (done.Count < expected.Count)
        {
            foreach (var (model, records) in expected)
            {
                if (!done.Contains(model) && TryRead(runner, model) is { } actual && actual.SequenceEqual(records))
                {
                    done.Add(model);
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"after {Deadline.TotalSeconds} s only {done.Count} of {expected.Count} models match the reference run\n"
                    + string.Join("\n----\n", processes.Select(p => string.Join('\n', p.Lines.TakeLast(30)))));
            }

            await Task.Delay(250);
        }
    }

    /// <summary>The model's estimates (see <see cref="Comparable"/>), or null when a chunk file was replaced between listing and reading.</summary>
    internal static List<EstimateRecord>? TryRead(ModelRunner runner, string model)
    {
        try
        {
            return Comparable(runner.ReadEstimates(model));
        }
        catch (EstimatorDataException)
        {
            return null; // a chunk file replaced between listing and reading; the next poll sees the new one
        }
    }

    /// <summary>Estimates without <c>estimated_at</c> and <c>run_id</c>, which differ between runs of the same data.</summary>
    internal static List<EstimateRecord> Comparable(IEnumerable<EstimateRecord> records) =>
        records.Select(r => r with { EstimatedAt = null, RunId = null }).ToList();

    /// <summary>No temporary file left, no chunk × metric twice in a model.</summary>
    private static void AssertStoreClean(string store)
    {
        Assert.Empty(Directory.GetFiles(store, "*.tmp", SearchOption.AllDirectories));
        var runner = new ModelRunner(store);
        for (var m = 0; m < Models; m++)
        {
            var records = runner.ReadEstimates(ModelName(m));
            Assert.Equal(records.Count, records.Select(r => (r.Period, r.ChunkKey, r.Metric)).Distinct().Count());
        }
    }

    /// <summary>
    /// Writes the shared inputs and two configurations over them: one on PostgreSQL for the workers, one in-memory that
    /// <c>estimator run</c> (single process) executes first to give the reference store.
    /// </summary>
    private (string Config, Dictionary<string, List<EstimateRecord>> Expected) Prepare(string connection)
    {
        var inputs = Path.Combine(temp.Path, "inputs");
        var analysis = Path.Combine(inputs, "analysis");
        Directory.CreateDirectory(analysis);
        File.Copy(TestData.CarLoanReference, Path.Combine(inputs, "reference.parquet"));
        foreach (var file in Directory.GetFiles(TestData.SeedDirectory, "*.parquet").Order(StringComparer.Ordinal).Take(SeedFiles))
        {
            var copy = Path.Combine(analysis, Path.GetFileName(file));
            File.Copy(file, copy);
            File.SetLastWriteTimeUtc(copy, DateTime.UtcNow.AddMinutes(-5));
        }

        var reference = WriteConfig("reference", inputs, "{ kind: inmemory }");
        var loaded = EstimatorConfig.Load(reference);
        Assert.Equal(0, RunCommand.Run(loaded, new ModelRunnerStore(new ModelRunner(loaded.StoreDirectory)), null, TextWriter.Null, TextWriter.Null, CancellationToken.None));
        var runner = new ModelRunner(loaded.StoreDirectory);
        var expected = Enumerable.Range(0, Models).Select(ModelName).ToDictionary(m => m, m => Comparable(runner.ReadEstimates(m)), StringComparer.Ordinal);
        Assert.All(expected.Values, records => Assert.NotEmpty(records));
        return (WriteConfig("workers", inputs, $"{{ kind: postgres, connection: \"{connection}\", invisibility_timeout_seconds: 5 }}"), expected);
    }

    private string WriteConfig(string name, string inputs, string storage)
    {
        var root = Path.Combine(temp.Path, name);
        Directory.CreateDirectory(root);
        var models = string.Concat(Enumerable.Range(0, Models).Select(m => $"""
              - name: {ModelName(m)}
                reference: {inputs}/reference.parquet
                analysis: {inputs}/analysis/*.parquet
                id_column: id
                columns: {"{"} y_pred_proba: y_pred_proba, y_pred: y_pred, y_true: repaid, timestamp: timestamp {"}"}
                chunking: {"{"} size: 2000 {"}"}
                metrics: [roc_auc, precision, recall, f1, accuracy, specificity]
                schedule: "*/3 * * * * *"

            """));
        var path = Path.Combine(root, "estimator.yaml");
        File.WriteAllText(path, $"store: ./store\nstorage: {storage}\nmodels:\n{models}");
        return path;
    }

    /// <summary>The workers' Hangfire storage, opened by the test to read job states.</summary>
    private sealed class StorageHandle(string connection) : IDisposable
    {
        public PostgresStorage Postgres { get; } = PostgresStorage.Create(new HangfireStorageConfig(HangfireStorageKind.Postgres, connection));

        public JobStorage Value => Postgres;

        public void Dispose()
        {
        }
    }
}
