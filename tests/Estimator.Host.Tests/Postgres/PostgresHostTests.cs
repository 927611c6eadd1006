using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Estimator.Cli;
using Estimator.Host.Configuration;
using Estimator.Host.Jobs;
using Estimator.Host.Storage;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit.Abstractions;

namespace Estimator.Host.Tests.Postgres;

/// <summary>The host on a real PostgreSQL (<see cref="PostgresFixture"/>): schema step, roles, /health, start-up errors.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresHostTests(PostgresFixture postgres, ITestOutputHelper output) : IDisposable
{
    private const string Password = "Sup3r-S3cret-pw-7781";
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task PrepareSchema_CreatesHangfiresTablesOnce_WhenEightProcessesStartTogether()
    {
        var connection = postgres.CreateDatabase();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => PostgresStorage.PrepareSchema(connection))));

        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'hangfire' AND table_name IN ('job', 'jobqueue', 'lock', 'server')", db);
        Assert.Equal(4L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Health_Returns200WithBothChecks_AndWorkerServesNoDashboard()
    {
        var config = Config(postgres.CreateDatabase());
        await using var app = await StartAsync(config, HostRole.Worker);
        using var client = app.GetTestClient();

        var (status, text) = await app.GetAsLocalAsync("/health");
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("worker", body.GetProperty("role").GetString());
        Assert.True(body.GetProperty("checks").GetProperty("storage").GetProperty("ok").GetBoolean());
        Assert.True(body.GetProperty("checks").GetProperty("store").GetProperty("ok").GetBoolean());
        using var dashboard = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, dashboard.StatusCode);
    }

    [Fact]
    public async Task Health_Returns503_WhenTheStoreIsNotWritable()
    {
        var config = Config(postgres.CreateDatabase());
        await File.WriteAllTextAsync(config.StoreDirectory, "a file where the store directory should be");
        await using var app = await StartAsync(config, HostRole.Web);

        var (status, text) = await app.GetAsLocalAsync("/health");
        var body = JsonDocument.Parse(text).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("checks").GetProperty("storage").GetProperty("ok").GetBoolean());
        Assert.False(body.GetProperty("checks").GetProperty("store").GetProperty("ok").GetBoolean());
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("web")]
    public async Task Health_Returns503WithoutThePasswordAndThen200Again_WhenPostgresStopsAndStarts(string role)
    {
        // Trust authentication ignores the password, but it is in the connection string the process holds.
        var config = Config(postgres.CreateDatabase() + $";Password={Password}");
        using var process = WorkerProcess.Start(config.ConfigFile, role);
        var health = await process.HealthUriAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var up = await GetHealthAsync(http, health);
        Assert.True(up.Status == HttpStatusCode.OK, up.Body);
        Assert.True(Check(up.Body, "storage").GetProperty("ok").GetBoolean(), up.Body);

        postgres.Stop();
        var answers = new List<(HttpStatusCode Status, string Body)>();
        try
        {
            // 503 within a few seconds, and the process keeps answering (and does not exit) while the database is down:
            // ten consecutive 503 answers, each a fresh check of the storage, while its jobs and Hangfire's loops fail.
            await PollAsync(
                async () =>
                {
                    answers.Add(await GetHealthAsync(http, health));
                    return answers.Count >= 10 && answers.TakeLast(10).All(a => a.Status == HttpStatusCode.ServiceUnavailable);
                },
                TimeSpan.FromSeconds(60),
                () => $"ten 503 answers with the database down; got {string.Join(" | ", answers.TakeLast(3).Select(a => $"{(int)a.Status} {a.Body}"))}\n{process.Output}");
            Assert.False(process.HasExited, process.Output);
        }
        finally
        {
            postgres.Start();
        }

        var down = answers[^1];
        output.WriteLine($"{answers.Count} answer(s) while PostgreSQL was down, the last: {(int)down.Status} {down.Body}");
        var body = JsonDocument.Parse(down.Body).RootElement;
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Equal(role, body.GetProperty("role").GetString());
        var storage = Check(down.Body, "storage");
        Assert.False(storage.GetProperty("ok").GetBoolean(), down.Body);
        var error = storage.GetProperty("error").GetString() ?? "";
        Assert.StartsWith($"storage: cannot use PostgreSQL at 127.0.0.1:{postgres.Port}, database '", error, StringComparison.Ordinal);
        Assert.Contains("refused", error, StringComparison.OrdinalIgnoreCase);
        Assert.True(Check(down.Body, "store").GetProperty("ok").GetBoolean(), down.Body);
        Assert.All(answers, a => Assert.DoesNotContain(Password, a.Body, StringComparison.Ordinal));

        // Back to 200 once PostgreSQL is up again, from the same process.
        var last = (Status: HttpStatusCode.ServiceUnavailable, Body: "");
        await PollAsync(
            async () => (last = await GetHealthAsync(http, health)).Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60),
            () => $"200 after PostgreSQL started again; last {(int)last.Status} {last.Body}\n{process.Output}");
        Assert.True(Check(last.Body, "storage").GetProperty("ok").GetBoolean(), last.Body);
        Assert.False(process.HasExited, process.Output);
        Assert.True(await process.StopAsync(TimeSpan.FromSeconds(60)), process.Output);
        Assert.DoesNotContain(Password, process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebRole_ServesTheDashboardLocalOnly_AndRunsNoHangfireServer()
    {
        var config = Config(postgres.CreateDatabase());
        await using var app = await StartAsync(config, HostRole.Web);
        using var client = app.GetTestClient();

        // Through TestServer a request has no remote address: not local, so without credentials it is refused.
        using var dashboard = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, dashboard.StatusCode);
        await Task.Delay(1500);
        Assert.Empty(app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().Servers());
        Assert.DoesNotContain(app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s.GetType().Name.Contains("BackgroundJobServer", StringComparison.Ordinal));
    }

    [Fact]
    public void Serve_FailsWithOneLineWithoutThePassword_WhenTheDatabaseIsUnreachable()
    {
        int closedPort;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var (exit, stdout, stderr) = Serve($"Host=127.0.0.1;Port={closedPort};Username=estimator;Password={Password};Database=jobs;Timeout=3");

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: storage: cannot use PostgreSQL at 127.0.0.1:{closedPort}, database 'jobs', user 'estimator': ", line, StringComparison.Ordinal);
        Assert.Contains("refused", line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Password, stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", line[line.IndexOf("': ", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_FailsWithOneLineWithoutThePassword_WhenTheDatabaseDoesNotExist()
    {
        var (exit, stdout, stderr) = Serve($"Host=127.0.0.1;Port={postgres.Port};Username=postgres;Password={Password};Database=no_such_db;Timeout=3");

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: storage: cannot use PostgreSQL at 127.0.0.1:", line, StringComparison.Ordinal);
        Assert.Contains("no_such_db", line, StringComparison.Ordinal);
        Assert.Contains("does not exist", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_FailsWithOneLineWithoutThePassword_WhenTheConnectionStringIsMalformed()
    {
        var (exit, stdout, stderr) = Serve($"Host=127.0.0.1;Colour=blue;Password={Password}");

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: storage: cannot use PostgreSQL", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcquireModelLock_ThrowsOperationCanceled_WhenCancelledWhileAnotherHolderHasIt()
    {
        var connection = postgres.CreateDatabase();
        var storage = PostgresStorage.Create(new HangfireStorageConfig(HangfireStorageKind.Postgres, connection));
        using var held = storage.AcquireModelLock("m", TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource();

        // A job of a stopping worker waits for the model's lock: cancelling its token ends the wait (well before the 10 min lock timeout).
        var waiting = Task.Run(() => storage.AcquireModelLock("m", TimeSpan.FromMinutes(10), cancel.Token));
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Redact_HidesQuotedAndPlainPasswords()
    {
        Assert.Equal("x Password=*** y *** Pwd=***", PostgresStorage.Redact("x Password=abc y abc Pwd='q r'", "Host=h;Password=abc;Pwd='q r'"));
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("web")]
    public void Serve_RejectsWorkerAndWebRoles_WithInMemoryStorage(string role)
    {
        var path = TestData.CopyDemo(temp.Path);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        Assert.Equal(2, EstimatorCli.Run(["serve", "--config", path, "--role", role], stdout, stderr));
        Assert.Contains("needs storage {kind: postgres}", stderr.ToString(), StringComparison.Ordinal);
    }

    private (int Exit, string Stdout, string Stderr) Serve(string connection)
    {
        Environment.SetEnvironmentVariable("ESTIMATOR_TEST_BAD_PG", connection);
        try
        {
            var path = TestData.CopyDemo(temp.Path, extraTopLevel: "");
            File.WriteAllText(path, File.ReadAllText(path).Replace("storage: { kind: inmemory }", "storage: { kind: postgres, connection_env: ESTIMATOR_TEST_BAD_PG }", StringComparison.Ordinal));
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = EstimatorCli.Run(["serve", "--config", path, "--role", "worker", "--urls", "http://127.0.0.1:0"], stdout, stderr);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("ESTIMATOR_TEST_BAD_PG", null);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetHealthAsync(HttpClient http, Uri health)
    {
        using var response = await http.GetAsync(health);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static JsonElement Check(string body, string name) =>
        JsonDocument.Parse(body).RootElement.GetProperty("checks").GetProperty(name);

    /// <summary>Evaluates <paramref name="condition"/> every 250 ms until it holds; fails after <paramref name="timeout"/>.</summary>
    private static async Task PollAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds} s waiting for {what()}");
            }

            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task EstimateJob_StoresItsFinalProgress_InPostgresStorage_AndTheDashboardShowsIt()
    {
        const string token = "postgres-progress-test-token";
        var path = TestData.CopyDemo(Path.Combine(temp.Path, "progress"), "0 0 1 1 *", $"dashboard: {{ authorization: {{ token: {token} }} }}\n");
        File.WriteAllText(path, File.ReadAllText(path).Replace("storage: { kind: inmemory }", $"storage: {{ kind: postgres, connection: \"{postgres.CreateDatabase()}\" }}", StringComparison.Ordinal));
        var config = EstimatorConfig.Load(path);
        var files = Directory.GetFiles(Path.GetDirectoryName(config.Models[0].Definition.Analysis)!, "*.parquet");
        long rows = 0;
        foreach (var file in files)
        {
            rows += Estimator.IO.PredictionFileReader.Read(file, config.Models[0].Definition.Columns with { YTrue = null }, requireTargets: false, requirePredictions: true).Count;
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-1));
        }

        var chunks = (int)((rows + 4999) / 5000);
        await using var app = await StartAsync(config, HostRole.All);
        var storage = app.Services.GetRequiredService<JobStorage>();

        var id = app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ModelJobs>(j => j.Estimate("car_loan", CancellationToken.None));
        await TestHosts.WaitUntilAsync(
            () => storage.GetMonitoringApi().JobDetails(id)?.History.FirstOrDefault()?.StateName is "Succeeded" or "Failed",
            TimeSpan.FromSeconds(60),
            "the estimate job to finish");

        using (var connection = storage.GetConnection())
        {
            var stored = JobProgress.FromJson(connection.GetJobParameter(id, JobProgress.ParameterName))!;
            Assert.Equal(("Done", files.Length, rows, chunks, chunks), (stored.Phase, stored.FilesRead, stored.RowsRead, stored.ChunksEstimated, stored.TotalChunks));
        }

        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var html = await client.GetStringAsync(new Uri($"/hangfire/jobs/details/{id}", UriKind.Relative));
        Assert.Contains($"data-progress=\"rows\">{rows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}<", html, StringComparison.Ordinal);
        Assert.Contains($"data-progress=\"chunks\">{chunks} of {chunks}<", html, StringComparison.Ordinal);
    }

    private EstimatorConfig Config(string connection)
    {
        var path = TestData.CopyDemo(Path.Combine(temp.Path, Guid.NewGuid().ToString("N")[..8]));
        File.WriteAllText(path, File.ReadAllText(path).Replace("storage: { kind: inmemory }", $"storage: {{ kind: postgres, connection: \"{connection}\", invisibility_timeout_seconds: 5 }}", StringComparison.Ordinal));
        return EstimatorConfig.Load(path);
    }

    private static async Task<WebApplication> StartAsync(EstimatorConfig config, HostRole role)
    {
        var builder = EstimatorHost.CreateBuilder(config, null, role);
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var app = EstimatorHost.Build(builder);
        await app.StartAsync();
        return app;
    }
}
