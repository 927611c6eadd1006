using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Estimator.Host.Configuration;
using Estimator.IO;
using Estimator.Monitoring;
using Microsoft.AspNetCore.TestHost;

namespace Estimator.Host.Tests.Dashboard;

public sealed partial class ModelsPageTests : IDisposable
{
    private const string Token = "models-page-test-token";
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task ModelsPage_ShowsTheLatestChunksWithBoundsThresholdsAlertsAndAChart()
    {
        var config = EstimatorConfig.Load(TestData.CopyDemo(temp.Path, "0 0 1 1 *", $"dashboard: {{ authorization: {{ token: {Token} }} }}\n", seedFiles: 5));
        var store = new ModelRunnerStore(new ModelRunner(config.StoreDirectory) { FileSettleTime = TimeSpan.Zero });
        store.Estimate(new EstimateRequest(config.Models[0].Definition), CancellationToken.None);
        var expected = TestData.ExpectedCarLoanEstimates(config.Models[0].Definition);
        await using var app = await TestHosts.StartAsync(config, store);
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var html = await client.GetStringAsync(new Uri("/hangfire/models", UriKind.Relative));

        Assert.Contains("<h2>car_loan</h2>", html, StringComparison.Ordinal);
        Assert.Contains(">Models<", html, StringComparison.Ordinal); // the navigation entry
        var analysis = expected.Where(r => r.Period == "analysis").ToList();
        var keys = analysis.Select(r => r.ChunkKey).Distinct().ToList();
        Assert.Equal(10, keys.Count);
        foreach (var key in keys)
        {
            Assert.Contains($"data-chunk=\"{key}\"", html, StringComparison.Ordinal);
        }

        var last = analysis.Last(r => r.Metric == "roc_auc");
        Assert.Contains(F(last.Estimated), html, StringComparison.Ordinal);
        Assert.Contains($"[{F(last.LowerConfidenceBound)}, {F(last.UpperConfidenceBound)}]", html, StringComparison.Ordinal);
        Assert.Contains($"thresholds {F(last.LowerThreshold)} – {F(last.UpperThreshold)}", html, StringComparison.Ordinal);
        Assert.Equal(analysis.Count(r => r.Alert), AlertCell().Count(html));
        Assert.True(analysis.Any(r => r.Alert), "the car-loan analysis decays: some chunks alert");
        Assert.Matches("<div class=\"estimator-chart\" data-metric=\"roc_auc\"><svg", html);
        Assert.True(Regex.Count(html, "<path") > 20);

        var f1 = await client.GetStringAsync(new Uri("/hangfire/models?metric=f1", UriKind.Relative));
        Assert.Contains("data-metric=\"f1\"><svg", f1, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsPage_MarksTheChunkStillFilling_AsProvisional()
    {
        var config = EstimatorConfig.Load(TestData.CopyDemo(temp.Path, "0 0 1 1 *", $"dashboard: {{ authorization: {{ token: {Token} }} }}\n", seedFiles: 0));
        var model = config.Models[0].Definition;
        var analysis = Path.GetDirectoryName(model.Analysis)!;
        var parts = await DemoSeed.SplitAsync(TestData.CarLoanAnalysis, analysis, 3);
        foreach (var later in parts.Skip(1))
        {
            File.Delete(later);
        }

        var store = new ModelRunnerStore(new ModelRunner(config.StoreDirectory) { FileSettleTime = TimeSpan.Zero });
        store.Estimate(new EstimateRequest(model), CancellationToken.None);
        await using var app = await TestHosts.StartAsync(config, store);
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var html = await client.GetStringAsync(new Uri("/hangfire/models", UriKind.Relative));

        // 16,666 rows (a third) in 5,000-row chunks: three complete chunks and [15000:16665] still filling.
        Assert.Equal(1, Regex.Count(html, "estimator-provisional"));
        Assert.Matches(@"data-chunk=""\[15000:16665\]""><td><code>\[15000:16665\]</code> <span class=""label label-default estimator-provisional""", html);
    }

    [Fact]
    public async Task ModelsPage_ShowsFiringAlerts_WithSeverityAndBudget()
    {
        var path = TestData.CopyDemo(temp.Path, "0 0 1 1 *", $"dashboard: {{ authorization: {{ token: {Token} }} }}\n", seedFiles: 5);
        File.AppendAllText(path, "    slos:\n      - { metric: roc_auc, objective: 0.965 }\n");
        var config = EstimatorConfig.Load(path);
        var store = new ModelRunnerStore(new ModelRunner(config.StoreDirectory) { FileSettleTime = TimeSpan.Zero });
        store.Estimate(new EstimateRequest(config.Models[0].Definition), CancellationToken.None);
        store.EvaluateAlerts(config.Models[0].Definition, CancellationToken.None);
        await using var app = await TestHosts.StartAsync(config, store);
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var html = await client.GetStringAsync(new Uri("/hangfire/models", UriKind.Relative));

        // NannyML's last car-loan chunk: roc_auc 0.9613 with band [0.9559, 0.9667] reaches 0.965, so a ticket (P2).
        Assert.Matches(@"data-alert=""roc_auc/objective""><span class=""label label-danger"">P2 firing</span> <strong>roc_auc</strong> below objective 0.965 at \[45000:49999\]; error budget burn rate 5 over 10 chunks", html);
        Assert.Contains("data-alert=\"roc_auc/threshold\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsPage_NamesTheDriftingInputs_UnderAFiringAlert()
    {
        var path = TestData.CopyDemo(temp.Path, "0 0 1 1 *", $"dashboard: {{ authorization: {{ token: {Token} }} }}\n", seedFiles: 5);
        // The demo's own drift section: the seven inputs by Jensen-Shannon.
        File.AppendAllText(path, "    slos:\n      - { metric: roc_auc, objective: 0.969 }\n");
        var config = EstimatorConfig.Load(path);
        var store = new ModelRunnerStore(new ModelRunner(config.StoreDirectory) { FileSettleTime = TimeSpan.Zero });
        store.Estimate(new EstimateRequest(config.Models[0].Definition), CancellationToken.None);
        store.EvaluateAlerts(config.Models[0].Definition, CancellationToken.None);
        await using var app = await TestHosts.StartAsync(config, store);
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var html = await client.GetStringAsync(new Uri("/hangfire/models", UriKind.Relative));

        // The evidence the queued P1 carries, listed under the alert: the columns that alerted, not the quiet ones.
        // The host's notify job may have moved it to sent/ already.
        var queued = store.PendingNotifications("car_loan").Concat(store.SentNotifications("car_loan"));
        var evidence = Assert.Single(queued, n => n.Severity == "P1" && n.Rule == "objective").Drift!;
        var drifting = evidence.Where(e => e.AlertingChunks > 0).Select(e => e.Column).ToList();
        Assert.Contains("car_value", drifting);
        var block = Regex.Match(html, "<div class=\"estimator-root-cause\" data-alert=\"car_loan/roc_auc/objective\"><small>Drifting inputs: (.*?)</small></div>");
        Assert.True(block.Success, html);
        Assert.Equal(drifting, Regex.Matches(block.Groups[1].Value, "data-column=\"([^\"]+)\"").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task ModelsPage_SaysSo_WhenThereAreNoEstimatesYetOrTheStoreFails()
    {
        var config = EstimatorConfig.Load(TestData.CopyDemo(temp.Path, "0 0 1 1 *", $"dashboard: {{ authorization: {{ token: {Token} }} }}\n", seedFiles: 0));
        await using (var app = await TestHosts.StartAsync(config, new FakeModelStore(config.StoreDirectory)))
        {
            using var client = app.GetTestClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            Assert.Contains("No estimates yet", await client.GetStringAsync(new Uri("/hangfire/models", UriKind.Relative)), StringComparison.Ordinal);
        }

        await using (var app = await TestHosts.StartAsync(config, new ThrowingStore()))
        {
            using var client = app.GetTestClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            Assert.Contains("Cannot read the estimates of car_loan: store &lt;broken&gt;", await client.GetStringAsync(new Uri("/hangfire/models", UriKind.Relative)), StringComparison.Ordinal);
        }
    }

    private static string F(double? v) => v!.Value.ToString("0.0000", CultureInfo.InvariantCulture);

    [GeneratedRegex("class=\"danger estimator-alert\"")]
    private static partial Regex AlertCell();

    private sealed class ThrowingStore : IModelStore
    {
        public Monitoring.CalibrationOutcome Calibrate(Monitoring.CalibrateRequest request, CancellationToken cancellationToken) => throw new IOException("store <broken>");

        public Monitoring.EstimateOutcome Estimate(Monitoring.EstimateRequest request, CancellationToken cancellationToken) => throw new IOException("store <broken>");

        public Monitoring.WorkItemOutcome? EstimateWorkItem(Monitoring.WorkItemRequest request, CancellationToken cancellationToken) => throw new IOException("store <broken>");

        public IReadOnlyList<EstimateRecord> ReadEstimates(string model) => throw new IOException("store <broken>");

        public Monitoring.ReconcileOutcome Reconcile(Monitoring.ModelDefinition model, CancellationToken cancellationToken) => throw new IOException("store <broken>");

        public Monitoring.AlertOutcome EvaluateAlerts(Monitoring.ModelDefinition model, CancellationToken cancellationToken) => throw new IOException("store <broken>");

        public IReadOnlyList<Monitoring.AlertStatus> ReadAlertStatus(string model) => throw new IOException("store <broken>");

        public Monitoring.ReconciliationSummary? ReadReconciliationSummary(string model) => throw new IOException("store <broken>");

        public IReadOnlyList<Monitoring.AlertNotification> PendingNotifications(string model) => throw new IOException("store <broken>");

        public IReadOnlyList<Monitoring.AlertNotification> SentNotifications(string model) => throw new IOException("store <broken>");

        public Monitoring.AlertNotification RecordDelivery(Monitoring.AlertNotification notification, string channel, bool complete) => throw new IOException("store <broken>");
    }
}
