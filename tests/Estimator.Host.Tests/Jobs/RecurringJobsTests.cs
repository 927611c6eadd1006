using Estimator.Host.Configuration;
using Estimator.Host.Jobs;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Estimator.Host.Tests.Jobs;

public sealed class RecurringJobsTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Host_RegistersTheModelScheduler_AndNoRecurringJobPerModel()
    {
        var config = TwoModels("*/7 * * * *", "0 */2 * * * *");
        await using var app = await TestHosts.StartAsync(config, new FakeModelStore(config.StoreDirectory));

        var storage = app.Services.GetRequiredService<JobStorage>();
        using var connection = storage.GetConnection();
        var all = connection.GetRecurringJobs().OrderBy(j => j.Id, StringComparer.Ordinal).ToList();

        // The models' schedules are the scheduler's business (every second it queues the models that fell due).
        Assert.Equal(["models", "notify"], all.Select(j => j.Id));
        Assert.Equal("*/5 * * * * *", all[1].Cron);
        Assert.Equal("* * * * * *", all[0].Cron);
        Assert.Equal(typeof(ModelTickJob), all[0].Job.Type);
        Assert.Equal(nameof(ModelTickJob.Tick), all[0].Job.Method.Name);
    }

    [Fact]
    public void Registrar_RemovesTheRecurringModelJobsOfEarlierVersions()
    {
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        var config = TwoModels("*/7 * * * *", "0 */2 * * * *");
        using var storage = new Hangfire.InMemory.InMemoryStorage();
        var manager = new RecurringJobManager(storage);
        manager.AddOrUpdate<ModelJobs>("estimate first", jobs => jobs.Estimate("first", CancellationToken.None), "*/7 * * * *");
        manager.AddOrUpdate<ModelJobs>("calibrate gone", jobs => jobs.Calibrate("gone", CancellationToken.None), "*/7 * * * *");

        RecurringJobRegistrar.Register(config, manager, storage, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        using var connection = storage.GetConnection();
        Assert.Equal(["models", "notify"], connection.GetRecurringJobs().Select(j => j.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Host_RunsEachModelsJobs_AndAFailingModelFailsOnlyItsOwnJobs()
    {
        var config = TwoModels("* * * * * *", "* * * * * *");
        var store = new FakeModelStore(config.StoreDirectory);
        store.Failing.Add("first");
        await using var app = await TestHosts.StartAsync(config, store);
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();

        await TestHosts.WaitUntilAsync(
            () => store.Calls.Contains("estimate second") && store.ReadEstimates("second").Count > 0
                && monitoring.SucceededJobs(0, 100).Count(j => j.Value.Job?.Args.Count > 0 && Equals(j.Value.Job.Args[0], "second")) >= 2
                && monitoring.ScheduledCount() + monitoring.FailedCount() >= 1,
            TimeSpan.FromSeconds(30),
            "the second model's jobs to succeed and the first model's to fail");

        Assert.True(store.ReadEstimates("second").Count > 0);
        Assert.Empty(store.ReadEstimates("first"));
        // The notify job takes no model name; of the model jobs, only the second model's succeed.
        var succeeded = monitoring.SucceededJobs(0, 100).Select(j => j.Value.Job.Args.Count > 0 ? j.Value.Job.Args[0] : null).OfType<string>().Distinct();
        Assert.Equal(["second"], succeeded);

        // The failure is retried (scheduled again) with a message naming the job, the model and the cause.
        var retried = monitoring.ScheduledJobs(0, 100).Select(j => j.Key).Concat(monitoring.FailedJobs(0, 100).Select(j => j.Key)).First();
        var details = monitoring.JobDetails(retried);
        var failure = details.History.First(h => h.StateName == "Failed");
        Assert.Equal(typeof(ModelJobException).FullName, failure.Data["ExceptionType"]);
        Assert.Matches("^(calibrate|estimate) first: bad input: .*y_pred_proba", failure.Data["ExceptionMessage"]);
    }

    [Fact]
    public void RecurringModelJob_IsNotEnqueuedAgain_WhileItsPreviousRunIsQueued()
    {
        // Earlier tests' hosts leave Hangfire's process-wide log provider on their disposed logger factory; a storage
        // built outside a host takes its logger from there, so start it on a clean provider (as a fresh process does).
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        using var storage = new Hangfire.InMemory.InMemoryStorage();
        var manager = new RecurringJobManager(storage);
        var client = new BackgroundJobClient(storage);
        var monitoring = storage.GetMonitoringApi();
        manager.AddOrUpdate<ModelJobs>("estimate m", jobs => jobs.Estimate("m", CancellationToken.None), Cron.Never());
        manager.AddOrUpdate<ModelJobs>("calibrate m", jobs => jobs.Calibrate("m", CancellationToken.None), Cron.Never());

        // Ticks while nothing runs: one queued run per recurring job, not one per tick.
        for (var tick = 0; tick < 3; tick++)
        {
            manager.Trigger("estimate m");
            manager.Trigger("calibrate m");
        }

        var queued = monitoring.EnqueuedJobs("default", 0, 10).Where(j => j.Value.InEnqueuedState).Select(j => j.Key).ToList();
        Assert.Equal(2, queued.Count);

        // Once the queued run has left the queue (here: deleted), the next tick enqueues again.
        var estimate = queued.Single(id => monitoring.JobDetails(id).Job.Method.Name == nameof(ModelJobs.Estimate));
        client.Delete(estimate);
        manager.Trigger("estimate m");
        manager.Trigger("estimate m");

        // (The deleted run's queue entry stays until a worker fetches and discards it.)
        var waiting = monitoring.EnqueuedJobs("default", 0, 10).Where(j => j.Value.InEnqueuedState).Select(j => j.Key).ToList();
        Assert.Equal(2, waiting.Count);
        Assert.DoesNotContain(estimate, waiting);
    }

    [Fact]
    public void Job_Throws_WhenTheModelIsNotConfigured()
    {
        var config = TwoModels("* * * * *", "* * * * *");
        var jobs = new ModelJobs(config, new FakeModelStore(config.StoreDirectory), new UnusedStorage(), Microsoft.Extensions.Logging.Abstractions.NullLogger<ModelJobs>.Instance);

        var e = Assert.Throws<ModelJobException>(() => jobs.Estimate("gone", CancellationToken.None));
        Assert.StartsWith("estimate gone: the model is not in the configuration", e.Message, StringComparison.Ordinal);
    }

    private sealed class UnusedStorage : JobStorage
    {
        public override IMonitoringApi GetMonitoringApi() => throw new NotSupportedException();

        public override IStorageConnection GetConnection() => throw new NotSupportedException();
    }

    private EstimatorConfig TwoModels(string firstCron, string secondCron)
    {
        File.Copy(TestData.CarLoanReference, Path.Combine(temp.Path, "reference.parquet"), overwrite: true);
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
        return TestData.LoadYaml(temp.Path, $"""
            models:
              - name: first
                reference: reference.parquet
                analysis: in
                columns: {"{"} y_true: repaid, timestamp: timestamp {"}"}
                chunking: {"{"} size: 5000 {"}"}
                schedule: "{firstCron}"
              - name: second
                reference: reference.parquet
                analysis: in
                columns: {"{"} y_true: repaid, timestamp: timestamp {"}"}
                chunking: {"{"} size: 5000 {"}"}
                schedule: "{secondCron}"
            """);
    }
}
