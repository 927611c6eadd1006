using System.Globalization;
using System.Net.Http.Headers;
using Estimator.Host.Configuration;
using Estimator.Host.Jobs;
using Estimator.Monitoring;
using Hangfire;
using Hangfire.States;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parquet;

namespace Estimator.Host.Tests.Jobs;

/// <summary>A job's progress in its log, its parameters and the dashboard's job details page.</summary>
public sealed class JobProgressTests : IDisposable
{
    private const string Token = "job-progress-test-token";
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task EstimateJob_LogsStoresAndShowsItsProgress_WhenItRunsOnGeneratedData()
    {
        var config = EstimatorConfig.Load(TestData.CopyDemo(temp.Path, "0 0 1 1 *", $"dashboard: {{ authorization: {{ token: {Token} }} }}\n", seedFiles: 0));
        var model = config.Models[0].Definition;
        var analysis = Path.GetDirectoryName(model.Analysis)!;

        // Three quarters of the car-loan analysis in three files; the counts come from the files themselves.
        var parts = await DemoSeed.SplitAsync(TestData.CarLoanAnalysis, analysis, 4);
        File.Delete(parts[^1]);
        long rows = 0;
        foreach (var part in parts.SkipLast(1))
        {
            rows += await RowCountAsync(part);

            // Older than the store's settle time, so the run takes the files at once.
            File.SetLastWriteTimeUtc(part, DateTime.UtcNow.AddMinutes(-1));
        }

        var chunkSize = 5000;
        var chunks = (int)((rows + chunkSize - 1) / chunkSize);
        Assert.True(rows % chunkSize != 0, "the data ends in a chunk still filling, which counts too");
        var logs = new ListLoggerProvider();
        await using var app = await TestHosts.StartAsync(config, null, logs: logs);
        var storage = app.Services.GetRequiredService<JobStorage>();
        var monitoring = storage.GetMonitoringApi();

        var id = app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ModelJobs>(j => j.Estimate("car_loan", CancellationToken.None));
        await TestHosts.WaitUntilAsync(
            () => monitoring.JobDetails(id)?.History.FirstOrDefault()?.StateName is "Succeeded" or "Failed",
            TimeSpan.FromSeconds(60),
            "the estimate job to finish");
        Assert.Equal(SucceededState.StateName, monitoring.JobDetails(id).History[0].StateName);

        // (a) The log: a line at each phase, ending with the whole run's numbers.
        var lines = logs.Lines.Where(l => l.Level == LogLevel.Information && l.Message.StartsWith("estimate car_loan: ", StringComparison.Ordinal)).Select(l => l.Message).ToList();
        Assert.Contains(lines, l => l.StartsWith("estimate car_loan: fitting on the reference;", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("estimate car_loan: reading files", StringComparison.Ordinal) && l.Contains("0/3 file(s), 0 row(s) read", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("estimate car_loan: estimating chunks", StringComparison.Ordinal) && l.Contains($"3/3 file(s), {rows} row(s) read, 0/{chunks} chunk(s) estimated", StringComparison.Ordinal));
        var done = Assert.Single(lines, l => l.StartsWith("estimate car_loan: done", StringComparison.Ordinal));
        Assert.Contains($"3/3 file(s), {rows} row(s) read, {chunks}/{chunks} chunk(s) estimated", done, StringComparison.Ordinal);
        Assert.Matches(@"[0-9,]+ rows/s, 0:00 left in this phase", done);

        // (b) The job's parameter holds the final progress.
        using (var connection = storage.GetConnection())
        {
            var stored = JobProgress.FromJson(connection.GetJobParameter(id, JobProgress.ParameterName))!;
            Assert.Equal(
                ("estimate car_loan", nameof(RunPhase.Done), 3, 3, rows, chunks, chunks, 1.0),
                (stored.Job, stored.Phase, stored.FilesRead, stored.TotalFiles, stored.RowsRead, stored.ChunksEstimated, stored.TotalChunks, stored.Fraction));
            Assert.True(stored.TotalBytes > 0 && stored.BytesRead == stored.TotalBytes);
        }

        // (c) The dashboard's job details page shows it.
        var html = await DetailsPageAsync(app, id);
        Assert.Contains("id=\"estimator-progress\"", html, StringComparison.Ordinal);
        Assert.Contains("data-progress=\"phase\">done<", html, StringComparison.Ordinal);
        Assert.Contains($"data-progress=\"rows\">{rows.ToString("N0", CultureInfo.InvariantCulture)}<", html, StringComparison.Ordinal);
        Assert.Contains($"data-progress=\"chunks\">{chunks} of {chunks}<", html, StringComparison.Ordinal);
        Assert.Contains("data-progress=\"files\">3 of 3 (", html, StringComparison.Ordinal);
        Assert.Contains("aria-valuenow=\"100\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobDetailsPage_ShowsNoProgress_WhenTheJobReportedNone_AndEscapesStoredValues()
    {
        var config = EstimatorConfig.Load(TestData.CopyDemo(temp.Path, "0 0 1 1 *", $"dashboard: {{ authorization: {{ token: {Token} }} }}\n", seedFiles: 0));
        await using var app = await TestHosts.StartAsync(config, new FakeModelStore(config.StoreDirectory));
        var storage = app.Services.GetRequiredService<JobStorage>();
        var id = app.Services.GetRequiredService<IBackgroundJobClient>().Schedule<ModelJobs>(j => j.Calibrate("car_loan", CancellationToken.None), TimeSpan.FromDays(1));

        var before = await DetailsPageAsync(app, id);

        Assert.Contains("calibrate car_loan", before, StringComparison.Ordinal);
        Assert.DoesNotContain("estimator-progress", before, StringComparison.Ordinal);

        // Parameters are storage contents anyone with storage access can write: the page must not take them as HTML.
        var hostile = new JobProgress { Job = "<script>alert(1)</script>", Phase = "<b>odd</b>", RowsRead = 1234, ChunksEstimated = 5, TotalChunks = 7, Fraction = 0.5, UpdatedAt = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc) };
        using (var connection = storage.GetConnection())
        {
            connection.SetJobParameter(id, JobProgress.ParameterName, hostile.ToJson());
        }

        var after = await DetailsPageAsync(app, id);

        Assert.Contains("<small>&lt;script&gt;alert(1)&lt;/script&gt;</small>", after, StringComparison.Ordinal);
        Assert.Contains("data-progress=\"phase\">&lt;b&gt;odd&lt;/b&gt;<", after, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", after, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>odd</b>", after, StringComparison.Ordinal);
        Assert.Contains("data-progress=\"rows\">1,234<", after, StringComparison.Ordinal);
        Assert.Contains("data-progress=\"chunks\">5 of 7<", after, StringComparison.Ordinal);
        Assert.Contains("aria-valuenow=\"50\"", after, StringComparison.Ordinal);
        Assert.Contains("updated 2026-11-23 12:00:00 UTC", after, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_KeepsTheRunGoingAndWarnsOnce_WhenStoringTheParameterFails()
    {
        var logs = new ListLoggerProvider();
        var time = new ManualTime();
        var attempts = 0;
        var reporter = new JobProgressReporter("estimate m", logs.CreateLogger("test"), time, TimeSpan.FromSeconds(5), _ =>
        {
            attempts++;
            throw new IOException("storage <down>");
        });

        reporter.Report(Progress(RunPhase.Reading, rows: 0));
        time.Advance(TimeSpan.FromSeconds(2));
        reporter.Report(Progress(RunPhase.Reading, rows: 100));
        reporter.Report(Progress(RunPhase.Done, rows: 200));

        Assert.Equal(3, attempts);
        var warning = Assert.Single(logs.Lines, l => l.Level == LogLevel.Warning);
        Assert.Contains("cannot store progress", warning.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Information && l.Message.StartsWith("estimate m: done;", StringComparison.Ordinal));
        Assert.Equal(200, reporter.Latest!.RowsRead);
    }

    [Fact]
    public void Report_LogsAtDebugOnly_WhenTheRunHasNothingToRead()
    {
        var logs = new ListLoggerProvider();
        var reporter = new JobProgressReporter("estimate m", logs.CreateLogger("test"), new ManualTime(), TimeSpan.FromSeconds(5), null);

        // An idle tick: no file, no row, no chunk (what a host with nothing new reports every few seconds).
        reporter.Report(new RunProgress("m", RunPhase.Reading, 0, 0, 0, 0, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero));
        reporter.Report(new RunProgress("m", RunPhase.Done, 0, 0, 0, 0, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero));
        Assert.Equal([LogLevel.Debug, LogLevel.Debug], logs.Lines.Select(l => l.Level));

        // Fitting is work even before any file is listed.
        reporter.Report(new RunProgress("m", RunPhase.Fitting, 0, 0, 0, 0, 0, 0, 0, TimeSpan.Zero, TimeSpan.Zero));
        Assert.Equal(LogLevel.Information, logs.Lines.Last().Level);
    }

    [Fact]
    public void Report_ThrottlesLogLinesAndParameterWrites_WithinAPhase_ButNotAcrossPhases()
    {
        var logs = new ListLoggerProvider();
        var time = new ManualTime();
        var stored = new List<JobProgress>();
        var reporter = new JobProgressReporter("estimate m", logs.CreateLogger("test"), time, TimeSpan.FromSeconds(5), stored.Add);

        // Ten reports 0.1 s apart in one phase: logged and stored once (the first).
        for (var k = 0; k < 10; k++)
        {
            reporter.Report(Progress(RunPhase.Reading, rows: k * 10));
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.Single(logs.Lines);
        Assert.Single(stored);

        // 1 s on: stored again, not yet logged; 5 s on: logged too.
        time.Advance(TimeSpan.FromSeconds(1));
        reporter.Report(Progress(RunPhase.Reading, rows: 100));
        Assert.Equal((1, 2), (logs.Lines.Count, stored.Count));
        time.Advance(TimeSpan.FromSeconds(5));
        reporter.Report(Progress(RunPhase.Reading, rows: 110));
        Assert.Equal((2, 3), (logs.Lines.Count, stored.Count));

        // A new phase is logged and stored at once, and so is the end.
        reporter.Report(Progress(RunPhase.Estimating, rows: 110));
        reporter.Report(Progress(RunPhase.Done, rows: 110));
        Assert.Equal((4, 5), (logs.Lines.Count, stored.Count));
        Assert.Equal([nameof(RunPhase.Reading), nameof(RunPhase.Reading), nameof(RunPhase.Reading), nameof(RunPhase.Estimating), nameof(RunPhase.Done)], stored.Select(s => s.Phase));
        Assert.Equal(110, stored[^1].RowsRead);
    }

    [Fact]
    public void Flush_StoresTheLatestReport_WhenThrottlingHeldItBack()
    {
        var time = new ManualTime();
        var stored = new List<JobProgress>();
        var reporter = new JobProgressReporter("estimate m", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, time, TimeSpan.FromSeconds(5), stored.Add);
        reporter.Report(Progress(RunPhase.Reading, rows: 0));
        reporter.Report(Progress(RunPhase.Reading, rows: 70));

        reporter.Flush();
        reporter.Flush();

        // The held-back report is stored once; a second flush has nothing new.
        Assert.Equal([0L, 70L], stored.Select(s => s.RowsRead));
    }

    private static RunProgress Progress(RunPhase phase, long rows) =>
        new("m", phase, 1, 2, rows, rows * 10, 4000, 0, 0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    private static async Task<long> RowCountAsync(string parquet)
    {
        await using var stream = File.OpenRead(parquet);
        await using var reader = await ParquetReader.CreateAsync(stream);
        long rows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            rows += group.RowCount;
        }

        return rows;
    }

    private static async Task<string> DetailsPageAsync(Microsoft.AspNetCore.Builder.WebApplication app, string id)
    {
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return await client.GetStringAsync(new Uri($"/hangfire/jobs/details/{id}", UriKind.Relative));
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
