using Estimator.Host.Configuration;
using Estimator.Host.Jobs;
using Estimator.Host.Metrics;
using Estimator.Monitoring;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.Extensions.Logging.Abstractions;

namespace Estimator.Host.Tests.Jobs;

public sealed class ModelTickJobTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Tick_QueuesAModelsJobs_OnlyWhenDueAndItsInputsChanged()
    {
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        var config = OneModel();
        var folder = Path.Combine(temp.Path, "in");
        using var storage = new InMemoryStorage();
        var client = new BackgroundJobClient(storage);
        var monitoring = storage.GetMonitoringApi();
        var store = new ModelRunnerStore(new ModelRunner(config.StoreDirectory) { FileSettleTime = TimeSpan.Zero });
        var stamps = new RunStamps(storage, config);
        var clock = new ManualTime(DateTimeOffset.UtcNow);
        var tick = new ModelTickJob(config, store, stamps, storage, client, clock, new HostMetrics(), NullLogger<ModelTickJob>.Instance);
        var jobs = new ModelJobs(config, store, storage, NullLogger<ModelJobs>.Instance, stamps: stamps);

        // Takes the queued jobs out of the queue and runs them here, as a worker would.
        List<string> RunQueued()
        {
            var queued = monitoring.EnqueuedJobs("default", 0, 100).Where(j => j.Value.InEnqueuedState).ToList();
            foreach (var (id, job) in queued)
            {
                client.Delete(id);
                if (job.Job.Method.Name == nameof(ModelJobs.Calibrate))
                {
                    jobs.Calibrate("m", CancellationToken.None);
                }
                else
                {
                    jobs.Estimate("m", CancellationToken.None);
                }
            }

            return [.. queued.Select(j => j.Value.Job.Method.Name).Order(StringComparer.Ordinal)];
        }

        // The first tick on a storage looks at every model: nothing was recorded, so both jobs are queued.
        Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow.AddMinutes(-5));
        tick.Tick(CancellationToken.None);
        Assert.Equal([nameof(ModelJobs.Calibrate), nameof(ModelJobs.Estimate)], RunQueued());

        // Due again, nothing changed: nothing is queued.
        clock.Advance(TimeSpan.FromSeconds(10));
        tick.Tick(CancellationToken.None);
        Assert.Empty(RunQueued());

        // A file arrives (renamed in; the folder's clock is coarse, so it settles for a second before it counts).
        File.Copy(Path.Combine(TestData.SeedDirectory, "part-01.parquet"), Path.Combine(folder, "part-01.parquet"));
        Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow);
        tick.Tick(CancellationToken.None);
        Assert.Empty(RunQueued());  // not due yet: the schedule is every 10 s
        clock.Advance(TimeSpan.FromSeconds(10));
        tick.Tick(CancellationToken.None);
        Assert.Equal([nameof(ModelJobs.Estimate)], RunQueued());
        var chunks = store.ReadEstimates("m").Count(r => r.Period == "analysis");
        Assert.True(chunks > 0);

        // That run saw an unsettled folder, so it did not count as complete: the next due time runs the model again.
        clock.Advance(TimeSpan.FromSeconds(10));
        tick.Tick(CancellationToken.None);
        Assert.Equal([nameof(ModelJobs.Estimate)], RunQueued());

        // The reference changes: both jobs are queued.
        Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow.AddMinutes(-1));
        File.SetLastWriteTimeUtc(Path.Combine(temp.Path, "reference.parquet"), DateTime.UtcNow.AddMinutes(-2));
        clock.Advance(TimeSpan.FromSeconds(10));
        tick.Tick(CancellationToken.None);
        Assert.Equal([nameof(ModelJobs.Calibrate), nameof(ModelJobs.Estimate)], RunQueued());
        clock.Advance(TimeSpan.FromSeconds(10));
        tick.Tick(CancellationToken.None);
        Assert.Empty(RunQueued());
        Assert.Equal(chunks, store.ReadEstimates("m").Count(r => r.Period == "analysis"));
    }

    [Fact]
    public void Tick_DoesNotQueueAModelsJobAgain_WhileItsPreviousRunIsQueued()
    {
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        var config = OneModel();
        using var storage = new InMemoryStorage();
        var client = new BackgroundJobClient(storage);
        var store = new FakeModelStore(config.StoreDirectory);
        var clock = new ManualTime(DateTimeOffset.UtcNow);
        var tick = new ModelTickJob(config, store, new RunStamps(storage, config), storage, client, clock, new HostMetrics(), NullLogger<ModelTickJob>.Instance);

        // The fake store has no stamps, so the model is queued at every due time, but not while a run waits.
        for (var k = 0; k < 3; k++)
        {
            tick.Tick(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        var queued = storage.GetMonitoringApi().EnqueuedJobs("default", 0, 100).Where(j => j.Value.InEnqueuedState).ToList();
        Assert.Equal([nameof(ModelJobs.Calibrate), nameof(ModelJobs.Estimate)], queued.Select(j => j.Value.Job.Method.Name).Order(StringComparer.Ordinal));
    }

    private EstimatorConfig OneModel()
    {
        File.Copy(TestData.CarLoanReference, Path.Combine(temp.Path, "reference.parquet"), overwrite: true);
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
        return TestData.LoadYaml(temp.Path, """
            models:
              - name: m
                reference: reference.parquet
                analysis: in
                columns: { y_true: repaid, timestamp: timestamp }
                chunking: { size: 5000 }
                schedule: "*/10 * * * * *"
            """);
    }

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset now = start;

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
