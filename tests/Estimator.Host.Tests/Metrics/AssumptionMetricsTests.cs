using Estimator.Host.Metrics;
using Estimator.Monitoring;

namespace Estimator.Host.Tests.Metrics;

/// <summary>
/// <c>/metrics</c> reports the assumption flag: on the shared concept-drift world (labels in for every chunk) CBPE's
/// roc_auc leaves its band from chunk 4 on, so <c>estimator_assumption_violated</c> is 1 for it; on the stable world 0.
/// </summary>
public sealed class AssumptionMetricsTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("concept_drift", 1)]
    [InlineData("stable", 0)]
    public async Task Metrics_ReportTheAssumptionFlag_PerMetric(string worldName, int expected)
    {
        var world = SharedScenarios.World(worldName);
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "labels"));
        File.Copy(Path.Combine(world, "analysis.parquet"), Path.Combine(temp.Path, "in", "analysis.parquet"));
        File.Copy(Path.Combine(world, "analysis_targets.parquet"), Path.Combine(temp.Path, "labels", "labels.parquet"));
        var config = TestData.LoadYaml(temp.Path, $"""
            store: ./store
            models:
              - name: world
                reference: {Path.Combine(world, "reference.parquet")}
                analysis: ./in/*.parquet
                targets: ./labels/*.parquet
                id_column: id
                columns: {"{"} y_pred_proba: y_pred_proba, y_pred: y_pred, y_true: y_true, timestamp: timestamp {"}"}
                chunking: {"{"} size: 5000 {"}"}
                metrics: [roc_auc]
                schedule: "0 0 1 1 *"
            """);
        var runner = new ModelRunner(config.StoreDirectory) { FileSettleTime = TimeSpan.Zero };
        var model = config.Models[0].Definition;
        runner.Estimate(model);
        runner.Reconcile(model);

        var text = PrometheusExposition.Render(config, new ModelRunnerStore(runner), new HostMetrics());

        Assert.Contains("# TYPE estimator_assumption_violated gauge\n", text, StringComparison.Ordinal);
        Assert.Contains($"estimator_assumption_violated{{model=\"world\",metric=\"roc_auc\"}} {expected}\n", text, StringComparison.Ordinal);
        var (exit, output) = await MetricsEndpointTests.PromtoolAsync(text);
        Assert.True(exit == 0, "promtool check metrics failed:\n" + output + "\n---\n" + text);
    }
}
