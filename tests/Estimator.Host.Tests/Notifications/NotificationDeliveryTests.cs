using System.Text.Json;
using Estimator.Host.Configuration;
using Estimator.Host.Notifications;
using Estimator.Monitoring;
using Estimator.Slo;

namespace Estimator.Host.Tests.Notifications;

public sealed class NotificationDeliveryTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Deliver_SendsOneTriggerPerAlert_ThenOneResolve_RoutedBySeverity_OnTheCarLoanDecay()
    {
        using var receiver = Receiver.Start();
        var config = EstimatorConfig.Load(AlertDemo.Copy(temp.Path, $"""
                  - {"{"} kind: webhook, url: "{receiver.Url("/hook")}", severities: [P1, P2] {"}"}
                  - {"{"} kind: slack, url: "{receiver.Url("/slack")}", severities: [P2, P3] {"}"}
                  - {"{"} kind: pagerduty, url: "{receiver.Url("/v2/enqueue")}", routing_key: "rk-123", severities: [P1, P2] {"}"}
                  - {"{"} kind: webhook, name: pager-only, url: "{receiver.Url("/p1")}", severities: [P1] {"}"}
            """));
        var runner = AlertDemo.Runner(config);
        var model = config.Models[0].Definition;
        var dispatcher = AlertDemo.Dispatcher(config, runner);

        // Independent expectation: NannyML's roc_auc estimates fall below 0.965 from the first decayed chunk on, with the band
        // still reaching the objective (P2); the reference threshold is crossed on every chunk from there (P3, then P2 on the third).
        var expected = AlertDemo.ExpectedRocAuc();
        var firstDecay = expected.FindIndex(e => e.Tier is not null);
        Assert.Equal(5, firstDecay);
        Assert.All(expected.Skip(firstDecay), e => Assert.Equal(("P2", true), e));
        Assert.All(expected.Take(firstDecay), e => Assert.Equal((null, false), e));

        runner.Estimate(model);
        runner.EvaluateAlerts(model);
        await dispatcher.DeliverAsync(CancellationToken.None);
        await dispatcher.DeliverAsync(CancellationToken.None);

        var hook = receiver.On("/hook");
        Assert.Equal(
            [("car_loan/roc_auc/objective", "firing", "P2", firstDecay), ("car_loan/roc_auc/threshold", "firing", "P2", firstDecay + 2)],
            hook.Select(Key).OrderBy(k => k.Item1, StringComparer.Ordinal));
        var objective = hook.Single(h => h.GetProperty("rule").GetString() == "objective");
        Assert.Equal("car_loan", objective.GetProperty("model").GetString());
        Assert.Equal("roc_auc", objective.GetProperty("metric").GetString());
        Assert.Equal(AlertDemo.Objective, objective.GetProperty("objective").GetDouble());
        Assert.Equal("[25000:29999]", objective.GetProperty("chunk_key").GetString());
        Assert.True(objective.GetProperty("estimated").GetDouble() < AlertDemo.Objective);
        Assert.True(objective.GetProperty("upper_confidence_bound").GetDouble() >= AlertDemo.Objective);
        Assert.True(objective.GetProperty("lower_confidence_bound").GetDouble() < objective.GetProperty("estimated").GetDouble());
        Assert.True(DateTime.TryParse(objective.GetProperty("at").GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var at));
        Assert.Equal(DateTimeKind.Utc, at.Kind);

        // The decay arrived as one file: the threshold rule's log entry (P3 at the first crossing) and its ticket (P2 at
        // the third) coalesce into one trigger of the latest state; no P3 is sent.
        var slack = receiver.On("/slack");
        Assert.All(slack, m => Assert.Equal(["text"], m.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(
            ["[P2] car_loan roc_auc (objective) firing", "[P2] car_loan roc_auc (threshold) firing"],
            slack.Select(m => string.Join(' ', m.GetProperty("text").GetString()!.Split(' ').Take(5))).Order(StringComparer.Ordinal));

        var pd = receiver.On("/v2/enqueue");
        Assert.Equal(2, pd.Count);
        Assert.All(pd, e =>
        {
            Assert.Equal("rk-123", e.GetProperty("routing_key").GetString());
            Assert.Equal("trigger", e.GetProperty("event_action").GetString());
            Assert.StartsWith("car_loan/roc_auc/", e.GetProperty("dedup_key").GetString(), StringComparison.Ordinal);
            var payload = e.GetProperty("payload");
            Assert.Equal("error", payload.GetProperty("severity").GetString());
            Assert.False(string.IsNullOrEmpty(payload.GetProperty("summary").GetString()));
            Assert.Equal("estimator/car_loan", payload.GetProperty("source").GetString());
        });
        Assert.Empty(receiver.On("/p1"));
        Assert.Empty(runner.PendingNotifications("car_loan"));

        // Healthy data a year later: each alert resolves once, to the channels that got its trigger.
        await AlertDemo.DropHealthyReplayAsync(config);
        runner.Estimate(model);
        runner.EvaluateAlerts(model);
        await dispatcher.DeliverAsync(CancellationToken.None);
        await dispatcher.DeliverAsync(CancellationToken.None);

        var resolves = receiver.On("/hook").Where(h => h.GetProperty("state").GetString() == "resolved").Select(Key).OrderBy(k => k.Item1, StringComparer.Ordinal).ToList();
        Assert.Equal(["car_loan/roc_auc/objective", "car_loan/roc_auc/threshold"], resolves.Select(r => r.Item1));
        Assert.Equal(4, receiver.On("/hook").Count);
        var pdResolves = receiver.On("/v2/enqueue").Where(e => e.GetProperty("event_action").GetString() == "resolve").ToList();
        Assert.Equal(2, pdResolves.Count);
        Assert.Equal(4, receiver.On("/slack").Count);
        Assert.All(receiver.On("/slack").Skip(2), m => Assert.Contains("resolved", m.GetProperty("text").GetString(), StringComparison.Ordinal));
        Assert.Empty(receiver.On("/p1"));

        // Every post carries the notification id; no id reached a channel twice.
        Assert.Equal(receiver.Posts.Count, receiver.Posts.Select(p => (p.Path, p.IdempotencyKey)).Distinct().Count());
        Assert.Empty(runner.PendingNotifications("car_loan"));
    }

    [Fact]
    public async Task Deliver_RetriesAnUnreachableReceiver_ThenDeliversEachAlertOnce_WhenItComesUp()
    {
        var port = Receiver.FreePort();
        var url = $"http://127.0.0.1:{port}/hook";
        var config = EstimatorConfig.Load(AlertDemo.Copy(
            temp.Path,
            $"""
                  - {"{"} kind: webhook, url: "{url}", severities: [P1, P2, P3] {"}"}
            """,
            extraTopLevel: "delivery: { retries: 2, backoff_seconds: 0.01, timeout_seconds: 2 }\n"));
        var runner = AlertDemo.Runner(config);
        var model = config.Models[0].Definition;
        var dispatcher = AlertDemo.Dispatcher(config, runner);
        runner.Estimate(model);
        // One trigger per alert (the objective's P2; the threshold's P3 and P2 coalesce into its P2).
        var queued = runner.EvaluateAlerts(model).Enqueued.Count;
        Assert.Equal(2, queued);

        // Nobody listens: every attempt fails, nothing is lost.
        var down = await dispatcher.DeliverAsync(CancellationToken.None);
        Assert.Equal((0, 1, 2), (down.Delivered, down.Failed, down.Pending));
        Assert.Equal(2, runner.PendingNotifications("car_loan").Count);

        // Up, but refusing the first two requests (503): retried within the pass, then delivered.
        using var receiver = Receiver.Start(port, refuseFirst: 2);
        var up = await dispatcher.DeliverAsync(CancellationToken.None);
        Assert.Equal((2, 0, 0), (up.Delivered, up.Failed, up.Pending));
        Assert.Equal(2, receiver.Refused);
        await dispatcher.DeliverAsync(CancellationToken.None);

        var posts = receiver.On("/hook");
        Assert.Equal(2, posts.Count);
        Assert.Equal(2, posts.Select(p => p.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(["P2", "P2"], posts.Select(p => p.GetProperty("severity").GetString()!).ToArray());
        Assert.Equal(2, runner.SentNotifications("car_loan").Count);
    }

    [Fact]
    public async Task Deliver_NeverResendsToAChannelAlreadyRecorded_WhenAnotherChannelFails()
    {
        using var up = Receiver.Start();
        var downUrl = $"http://127.0.0.1:{Receiver.FreePort()}/down";
        var config = EstimatorConfig.Load(AlertDemo.Copy(
            temp.Path,
            $"""
                  - {"{"} kind: webhook, name: up, url: "{up.Url("/up")}", severities: [P2] {"}"}
                  - {"{"} kind: webhook, name: down, url: "{downUrl}", severities: [P2] {"}"}
            """,
            extraTopLevel: "delivery: { retries: 1, backoff_seconds: 0.01, timeout_seconds: 2 }\n"));
        var runner = AlertDemo.Runner(config);
        var model = config.Models[0].Definition;
        var dispatcher = AlertDemo.Dispatcher(config, runner);
        runner.Estimate(model);
        runner.EvaluateAlerts(model);

        await dispatcher.DeliverAsync(CancellationToken.None);
        await dispatcher.DeliverAsync(CancellationToken.None);

        // Two P2 triggers reached "up" once each; they stay pending for "down", recorded as delivered to "up".
        Assert.Equal(2, up.On("/up").Count);
        var pending = runner.PendingNotifications("car_loan").Where(n => n.Severity == "P2").ToList();
        Assert.Equal(2, pending.Count);
        Assert.All(pending, n => Assert.Equal(["up"], n.Delivered.Keys));
    }

    [Fact]
    public async Task Queue_RecordsTriggersNoChannelTakes_AsSent_AndTheDispatcherStillRoutesTheRest()
    {
        using var receiver = Receiver.Start();
        var config = EstimatorConfig.Load(AlertDemo.Copy(temp.Path, $"""
                  - {"{"} kind: webhook, url: "{receiver.Url("/p1")}", severities: [P1] {"}"}
            """));
        var runner = new ModelRunner(config.StoreDirectory) { FileSettleTime = TimeSpan.Zero, Unrouted = new NotificationRouting(config).Unrouted };
        var model = config.Models[0].Definition;
        var dispatcher = AlertDemo.Dispatcher(config, runner);

        // The decay's two P2 triggers (independent expectation as above): only a P1 channel, so neither waits for delivery.
        runner.Estimate(model);
        var queued = runner.EvaluateAlerts(model).Enqueued;
        Assert.Equal(["P2", "P2"], queued.Select(n => n.Severity));
        Assert.Empty(runner.PendingNotifications("car_loan"));
        var sent = runner.SentNotifications("car_loan");
        Assert.Equal(queued.Select(n => n.Id).Order(StringComparer.Ordinal), sent.Select(n => n.Id));
        Assert.All(sent, n => Assert.Equal([NotificationDispatcher.NoChannel], n.Delivered.Keys));

        // Their resolves wait in the outbox (a resolve follows its trigger's channels), and go to no channel.
        await AlertDemo.DropHealthyReplayAsync(config);
        runner.Estimate(model);
        Assert.Equal(2, runner.EvaluateAlerts(model).Enqueued.Count(n => n.State == "resolved"));
        Assert.Equal(2, runner.PendingNotifications("car_loan").Count);
        var outcome = await dispatcher.DeliverAsync(CancellationToken.None);
        Assert.Equal((0, 0, 0), (outcome.Delivered, outcome.Failed, outcome.Pending));
        Assert.Equal(4, runner.SentNotifications("car_loan").Count);
        Assert.Empty(receiver.Posts);
    }

    [Fact]
    public void Unrouted_IsTrueOnlyWhenNoChannelCanReceiveTheNotification()
    {
        var config = EstimatorConfig.Load(AlertDemo.Copy(temp.Path, """
                  - { kind: webhook, url: "http://127.0.0.1:9/p1", severities: [P1] }
            """));
        var routing = new NotificationRouting(config);
        AlertNotification N(string severity, string state, string model = "car_loan") =>
            new("id", model, "roc_auc", "objective", severity, state, "[0:4999]", 0, null, null, null, null, null, null, $"{model}/roc_auc/objective", default, "", new Dictionary<string, DateTime>());

        Assert.False(routing.Unrouted(N("P1", "firing")));
        Assert.True(routing.Unrouted(N("P2", "firing")));
        Assert.True(routing.Unrouted(N("P3", "firing")));

        // Severities are read as the remediation rules read them: "1" is not P1 (the enum's number), nor is "p1".
        Assert.True(routing.Unrouted(N("1", "firing")));
        Assert.True(routing.Unrouted(N("p1", "firing")));
        Assert.Empty(NotificationRouting.Route(config.Models.Single(m => m.Name == "car_loan"), N("1", "firing"), []));
        Assert.False(new RemediationRule("t", "webhook", Severity.P1).Triggers("1"));
        Assert.False(routing.Unrouted(N("P2", "resolved")));  // its trigger may have reached a channel under another severity
        Assert.False(routing.Unrouted(N("P2", "firing", model: "not-configured")));

        // With a remediation target, every notification waits in the outbox, where the remediation planner folds it into
        // the model's incidents (written straight to sent/, a P2 trigger no channel takes would never open an incident).
        Directory.CreateDirectory(Path.Combine(temp.Path, "remediated"));
        var remediated = new NotificationRouting(EstimatorConfig.Load(AlertDemo.Copy(
            Path.Combine(temp.Path, "remediated"),
            """
                  - { kind: webhook, url: "http://127.0.0.1:9/p1", severities: [P1] }
            """,
            modelYaml: "\n    remediation:\n      - { on: P2, kind: webhook, url: \"http://127.0.0.1:9/rollback\" }")));
        Assert.False(remediated.Unrouted(N("P2", "firing")));
        Assert.False(remediated.Unrouted(N("P3", "firing")));
    }

    private static (string, string, string, int) Key(JsonElement e) => (
        e.GetProperty("dedup_key").GetString()!,
        e.GetProperty("state").GetString()!,
        e.GetProperty("severity").GetString()!,
        e.GetProperty("chunk_index").GetInt32());
}
