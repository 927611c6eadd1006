using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Estimator.Host.Metrics;
using Estimator.Monitoring;
using Microsoft.AspNetCore.TestHost;

namespace Estimator.Host.Tests.Dashboard;

/// <summary>
/// A model configured with <c>estimator: auto</c> over the subgroup-shift world of shared/scenarios (12 chunks of
/// 5,000; P(x) moves toward a miscalibrated subgroup from chunk 4): the Models page names each chunk's estimator, the
/// latest chunk's estimator and effective sample size, and that auto left plain CBPE on the shifted chunks; /metrics
/// reports the latest final chunk's effective sample size, promtool-clean.
/// </summary>
public sealed class ShiftAwareHostTests : IDisposable
{
    private const string Token = "shift-aware-test-token";
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task ModelsPageAndMetrics_ShowTheEstimatorChosenPerChunk_AndTheEffectiveSampleSize()
    {
        var world = SharedScenarios.World("covariate_shift_subgroup");
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
        File.Copy(Path.Combine(world, "analysis.parquet"), Path.Combine(temp.Path, "in", "analysis.parquet"));
        var config = TestData.LoadYaml(temp.Path, $"""
            store: ./store
            dashboard: {"{"} authorization: {"{"} token: {Token} {"}"} {"}"}
            models:
              - name: world
                reference: {Path.Combine(world, "reference.parquet")}
                analysis: ./in/*.parquet
                columns: {"{"} timestamp: timestamp {"}"}
                chunking: {"{"} size: 5000 {"}"}
                estimator: auto
                features: [x1, x2, x3, g]
                schedule: "0 0 1 1 *"
            """);
        var runner = new ModelRunner(config.StoreDirectory) { FileSettleTime = TimeSpan.Zero };
        var model = config.Models[0].Definition;
        runner.Estimate(model);
        runner.EvaluateAlerts(model);
        var analysis = runner.ReadEstimates("world").Where(r => r.Period == "analysis").ToList();
        var latest = analysis.Where(r => r.ChunkIndex == 11).ToList();
        var switched = analysis.Where(r => r.ChunkIndex >= 2 && r.Estimator != "cbpe").Select(r => r.ChunkIndex).Distinct().Count();
        Assert.Equal("weighted", latest[0].Estimator);
        Assert.InRange(switched, 1, 10);

        var text = PrometheusExposition.Render(config, new ModelRunnerStore(runner), new HostMetrics());
        Assert.Contains("# TYPE estimator_effective_sample_size gauge\n", text, StringComparison.Ordinal);
        Assert.Contains($"estimator_effective_sample_size{{model=\"world\"}} {latest[0].EffectiveSampleSize!.Value.ToString("R", CultureInfo.InvariantCulture)}\n", text, StringComparison.Ordinal);
        var (exit, output) = await Metrics.MetricsEndpointTests.PromtoolAsync(text);
        Assert.True(exit == 0, "promtool check metrics failed:\n" + output + "\n---\n" + text);

        await using var app = await TestHosts.StartAsync(config, new ModelRunnerStore(runner));
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var html = await client.GetStringAsync(new Uri("/hangfire/models", UriKind.Relative));

        Assert.Contains("estimated with shift-aware CBPE (estimator <strong>auto</strong>, logistic domain classifier on <code>x1</code>", html, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"estimator-choice\" data-estimator=\"weighted\">Latest chunk <code>{latest[0].ChunkKey}</code> estimated with <strong>weighted</strong>, effective sample size {latest[0].EffectiveSampleSize!.Value.ToString("0", CultureInfo.InvariantCulture)}. Why: {System.Net.WebUtility.HtmlEncode(latest[0].EstimatorReason)}.</p>", html, StringComparison.Ordinal);
        Assert.StartsWith("covariate shift moving P(y|score)", latest[0].EstimatorReason, StringComparison.Ordinal);
        Assert.Contains($"data-chunks=\"{switched}\">auto switched away from cbpe on {switched} of the latest 10 chunk(s)", html, StringComparison.Ordinal);
        Assert.Equal(10, Regex.Count(html, "class=\"estimator-chunk-estimator\""));
        Assert.Equal(switched, Regex.Count(html, "class=\"estimator-chunk-estimator\" title=\"covariate shift moving [^\"]*\">weighted<br/><small class=\"text-muted\">ESS "));
    }
}
