using Estimator.Host.Configuration;
using Estimator.Slo;

namespace Estimator.Host.Tests.Configuration;

public sealed class AlertingConfigTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Load_ReadsTheIssuesExample_AndGlobalChannels()
    {
        Environment.SetEnvironmentVariable("ESTIMATOR_TEST_PD_KEY", "pd-from-env");
        var config = Load("""
            notify:
              - { kind: slack, url: "https://hooks.example/services/T/B/X", severities: [P3] }
            delivery: { schedule: "*/3 * * * * *", retries: 5, backoff_seconds: 0.5, timeout_seconds: 4 }
            metrics: { allow_remote: true }
            """, """
                slos:
                  - { metric: roc_auc, objective: 0.965 }      # absolute floor; estimated below it is decay
                notify:
                  - { kind: webhook, url: "http://127.0.0.1:9000/hook", severities: [P1, P2] }
                  - { kind: pagerduty, url: "http://127.0.0.1:9001/v2/enqueue", routing_key: "...", severities: [P1] }
                  - { kind: pagerduty, name: pd-env, url: "http://127.0.0.1:9001/v2/enqueue", routing_key_env: ESTIMATOR_TEST_PD_KEY, severities: [P2] }
                alerting: { for: 2, keep_firing_for: 3, consecutive_crossings: 4, budget_window: 30, error_budget: 0.05 }
                reconcile_schedule: "0 * * * *"
            """);

        var model = Assert.Single(config.Models);
        Assert.Equal([new SloObjective("roc_auc", 0.965)], model.Definition.Slos);
        Assert.Equal(new AlertPolicy { For = 2, KeepFiringFor = 3, ConsecutiveCrossings = 4, BudgetWindow = 30, ErrorBudget = 0.05 }, model.Definition.Alerting);
        Assert.Equal("0 * * * *", model.ReconcileSchedule!.Expression);
        Assert.Equal(["webhook", "pagerduty", "pd-env", "slack"], model.Notify.Select(c => c.Name));
        Assert.Equal([NotifyKind.Webhook, NotifyKind.PagerDuty, NotifyKind.PagerDuty, NotifyKind.Slack], model.Notify.Select(c => c.Kind));
        Assert.Equal([Severity.P1, Severity.P2], model.Notify[0].Severities.Order());
        Assert.Equal("...", model.Notify[1].RoutingKey);
        Assert.Equal("pd-from-env", model.Notify[2].RoutingKey);
        Assert.Null(model.Notify[0].RoutingKey);
        Assert.DoesNotContain("pd-from-env", model.Notify[2].ToString(), StringComparison.Ordinal);
        Assert.Equal(("*/3 * * * * *", 5, 0.5, 4.0), (config.Delivery.Schedule.Expression, config.Delivery.Retries, config.Delivery.Backoff.TotalSeconds, config.Delivery.Timeout.TotalSeconds));
        Assert.True(config.Metrics.AllowRemote);
        Assert.Equal("slack", Assert.Single(config.Notify).Name);
    }

    [Fact]
    public void Load_Defaults_ReconcileOnTheModelsSchedule_WhenItHasTargets()
    {
        var config = Load("", "");
        var model = Assert.Single(config.Models);
        Assert.Equal(model.Schedule.Expression, model.ReconcileSchedule!.Expression);
        Assert.Empty(model.Definition.Slos);
        Assert.Equal(new AlertPolicy(), model.Definition.Alerting);
        Assert.Empty(model.Notify);
        Assert.Equal("*/5 * * * * *", config.Delivery.Schedule.Expression);
        Assert.False(config.Metrics.AllowRemote);
    }

    [Fact]
    public void Load_ReportsEveryProblemOfTheNewKeys_AtOnce()
    {
        var e = Assert.Throws<EstimatorConfigException>(() => Load("""
            delivery: { retries: -1, schedule: nope }
            metrics: { allow_remote: maybe }
            """, """
                slos:
                  - { metric: average_precision, objective: 0.9 }
                  - { metric: roc_auc, objective: high }
                alerting: { for: 0, error_budget: 2, bogus: 1 }
                notify:
                  - { kind: email, url: "http://x", severities: [P1] }
                  - { kind: pagerduty, url: "ftp://x", severities: [P4] }
                  - { kind: webhook, url: "http://x", routing_key: k, severities: [] }
                  - { kind: webhook, name: a, url: "http://x", severities: [P1] }
                  - { kind: slack, name: a, url: "http://y", severities: [P2] }
            """));

        var problems = e.Problems.Select(p => $"{p.KeyPath}: {p.Message}").ToList();
        string[] expectedFragments =
        [
            "delivery.retries: expected a whole number, 0 or more, got '-1'",
            "delivery.schedule: 'nope' is not a cron expression",
            "metrics.allow_remote: expected true or false, got 'maybe'",
            "models[0].slos[0].metric: 'average_precision' is not among the model's metrics",
            "models[0].slos[1].objective: expected a number, got 'high'",
            "models[0].alerting.bogus: unknown key 'bogus'",
            "models[0].alerting.for: expected a positive whole number, got '0'",
            "models[0].alerting.error_budget: must be a share in (0, 1]",
            "models[0].notify[0].kind: expected webhook, slack or pagerduty; got 'email'",
            "models[0].notify[1].url: expected an absolute http:// or https:// URL",
            "models[0].notify[1].routing_key: missing",
            "models[0].notify[1].severities[0]: expected P1, P2 or P3; got 'P4'",
            "models[0].notify[2].routing_key: only pagerduty channels take a routing key",
            "models[0].notify[2].severities: expected a non-empty list of P1, P2, P3",
            "models[0].notify: two channels are named 'a'",
        ];
        foreach (var fragment in expectedFragments)
        {
            Assert.Contains(problems, p => p.StartsWith(fragment, StringComparison.Ordinal));
        }

        Assert.All(e.Problems, p => Assert.True(p.Line > 0));
    }

    private EstimatorConfig Load(string top, string modelLines)
    {
        var path = TestData.CopyDemo(temp.Path, extraTopLevel: top.Length == 0 ? "" : top + "\n");
        File.AppendAllText(path, "\n" + modelLines);
        return EstimatorConfig.Load(path);
    }
}
