using System.Diagnostics;
using System.Net;
using Estimator.Host.Configuration;
using Estimator.Host.Tests.Notifications;
using Microsoft.AspNetCore.TestHost;

namespace Estimator.Host.Tests.Metrics;

public sealed class MetricsEndpointTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Host_EstimatesFlagsNotifiesAndServesMetrics_ThatPassPromtool()
    {
        using var receiver = Receiver.Start();
        var config = EstimatorConfig.Load(AlertDemo.Copy(
            temp.Path,
            $"""
                  - {"{"} kind: webhook, url: "{receiver.Url("/hook")}", severities: [P1, P2] {"}"}
            """,
            schedule: "* * * * * *",
            extraTopLevel: "delivery: { schedule: \"* * * * * *\", retries: 1, backoff_seconds: 0.01 }\n"));
        var port = Receiver.FreePort();
        await using var app = await TestHosts.StartAsync(config, null, $"http://127.0.0.1:{port}");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        // The estimate job evaluates alerts; the notify job delivers the two P2 triggers (objective and threshold).
        await TestHosts.WaitUntilAsync(() => receiver.On("/hook").Count >= 2, TimeSpan.FromSeconds(60), "the webhook to receive the decay's triggers");
        var text = await client.GetStringAsync("/metrics");

        var expected = AlertDemo.ExpectedRocAuc();
        Assert.Contains("estimator_alert_firing{model=\"car_loan\",metric=\"roc_auc\",rule=\"objective\",severity=\"P2\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("estimator_alerts_firing{severity=\"P2\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("estimator_alerts_firing{severity=\"P1\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains($"estimator_performance_chunk_index{{model=\"car_loan\",metric=\"roc_auc\"}} {expected.Count - 1}\n", text, StringComparison.Ordinal);
        Assert.Matches("estimator_performance_estimated\\{model=\"car_loan\",metric=\"roc_auc\"\\} 0\\.96", text);
        Assert.Contains("estimator_performance_lower_bound{model=\"car_loan\",metric=\"roc_auc\"}", text, StringComparison.Ordinal);
        Assert.Contains("estimator_performance_upper_bound{model=\"car_loan\",metric=\"roc_auc\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE estimator_job_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("estimator_rows_processed_total{job=\"estimate\",model=\"car_loan\"} 50000\n", text, StringComparison.Ordinal);
        Assert.Contains("estimator_notifications_delivered_total{model=\"car_loan\",channel=\"webhook\"}", text, StringComparison.Ordinal);

        var (exit, output) = await PromtoolAsync(text);
        Assert.True(exit == 0, "promtool check metrics failed:\n" + output + "\n---\n" + text);
    }

    [Fact]
    public async Task Metrics_AnswersRemoteRequestsOnlyWithCredentialsOrAllowRemote()
    {
        // TestServer requests have no remote address: they count as remote.
        var closed = Config("");
        await using (var app = await TestHosts.StartAsync(closed, new FakeModelStore(closed.StoreDirectory)))
        {
            using var client = app.GetTestClient();
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metrics")).StatusCode);
        }

        var token = Config("dashboard: { authorization: { token: \"0123456789abcdef-scrape\" } }\n");
        await using (var app = await TestHosts.StartAsync(token, new FakeModelStore(token.StoreDirectory)))
        {
            using var client = app.GetTestClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "0123456789abcdef-scrape");
            var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        }

        var open = Config("metrics: { allow_remote: true }\n");
        await using (var app = await TestHosts.StartAsync(open, new FakeModelStore(open.StoreDirectory)))
        {
            using var client = app.GetTestClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);
        }
    }

    private EstimatorConfig Config(string top)
    {
        var dir = Path.Combine(temp.Path, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return EstimatorConfig.Load(TestData.CopyDemo(dir, extraTopLevel: top));
    }

    internal static async Task<(int Exit, string Output)> PromtoolAsync(string exposition)
    {
        Assert.True(File.Exists("/usr/bin/promtool"), "promtool is missing: apt-get install prometheus (.ci/run installs it)");
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
