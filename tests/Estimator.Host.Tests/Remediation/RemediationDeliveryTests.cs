using System.Globalization;
using System.Text.Json;
using Estimator.Host.Metrics;
using Estimator.Host.Tests.Notifications;

namespace Estimator.Host.Tests.Remediation;

/// <summary>
/// Remediation on the car-loan demo, through the real store engine, outbox and dispatcher: the rollback request is
/// posted once per incident with the firing chunk's numbers, retried with the same idempotency key, and never sent for
/// an incident that stays below the target's severity.
/// </summary>
public sealed class RemediationDeliveryTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Rollback_IsPostedOncePerIncident_WithTheFiringChunksNumbers_AndNeverAgainWhileItFires()
    {
        using var receiver = Receiver.Start();
        var config = RemediationDemo.Load(temp.Path, receiver, RemediationDemo.P1Objective, $$"""
                  - { on: P1, kind: webhook, url: "{{receiver.Url("/rollback")}}", headers: { X-Team: ml }, bearer_token: s3cret }
            """);
        var runner = AlertDemo.Runner(config);
        var model = config.Models[0].Definition;
        var dispatcher = AlertDemo.Dispatcher(config, runner);

        runner.Estimate(model);
        runner.EvaluateAlerts(model);
        var first = await dispatcher.DeliverAsync(CancellationToken.None);
        Assert.Equal((1, 0), (first.ActionsSent, first.ActionsFailed));

        // The P1 fires at chunk 5, the first decayed chunk (NannyML's numbers: its whole band is below 0.969).
        var body = Assert.Single(receiver.On("/rollback"));
        var nannyMl = RemediationDemo.NannyMlRocAuc(5);
        Assert.True(nannyMl.Upper < RemediationDemo.P1Objective && RemediationDemo.NannyMlRocAuc(4).Estimated >= RemediationDemo.P1Objective);
        Assert.Equal(
            ["action", "model", "metric", "severity", "estimated", "lower_confidence_bound", "upper_confidence_bound", "objective", "dedup_key", "at"],
            body.EnumerateObject().Select(p => p.Name).Take(10));
        Assert.Equal(("rollback", "car_loan", "roc_auc", "P1", "car_loan/roc_auc/objective"), (Text(body, "action"), Text(body, "model"), Text(body, "metric"), Text(body, "severity"), Text(body, "dedup_key")));
        Assert.Equal(5, body.GetProperty("chunk_index").GetInt32());
        Assert.Equal(RemediationDemo.P1Objective, body.GetProperty("objective").GetDouble());

        // The numbers are the stored estimate file's for that chunk, which are NannyML's to 1e-9.
        var stored = runner.ReadEstimates("car_loan").Single(r => r.Period == "analysis" && r.Metric == "roc_auc" && r.ChunkIndex == 5);
        Assert.Equal((stored.Estimated, stored.LowerConfidenceBound, stored.UpperConfidenceBound), (Number(body, "estimated"), Number(body, "lower_confidence_bound"), Number(body, "upper_confidence_bound")));
        Assert.Equal(nannyMl.Estimated, Number(body, "estimated"), 1e-9);
        Assert.Equal(nannyMl.Lower, Number(body, "lower_confidence_bound"), 1e-9);
        Assert.Equal(nannyMl.Upper, Number(body, "upper_confidence_bound"), 1e-9);

        // "at" is when the alert engine saw the P1: the P1 notification's time, in UTC.
        var page = Assert.Single(receiver.On("/page"), p => Text(p, "rule") == "objective");
        Assert.Equal(Text(page, "at"), Text(body, "at"));
        Assert.True(DateTime.TryParse(Text(body, "at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) && at.Kind == DateTimeKind.Utc);

        // Headers: the idempotency key (the body's id), the bearer token and the configured header.
        var (status, headers) = Assert.Single(RemediationDemo.Requests(receiver, "/rollback"));
        Assert.Equal(200, status);
        Assert.Equal(Text(body, "id"), headers["Idempotency-Key"]);
        Assert.Equal("car_loan/" + Text(page, "id") + "/webhook", headers["Idempotency-Key"]);
        Assert.Equal("Bearer s3cret", headers["Authorization"]);
        Assert.Equal("ml", headers["X-Team"]);

        // More runs while the incident fires: the same files again, another five decayed chunks, and a restarted host (a
        // new runner and dispatcher over the same store): no second rollback.
        await dispatcher.DeliverAsync(CancellationToken.None);
        await AlertDemo.DropReplayAsync(config, 25_000, 25_000, "part-97-decayed.parquet", 1_000_000, TimeSpan.FromDays(365));
        runner.Estimate(model);
        runner.EvaluateAlerts(model);
        await dispatcher.DeliverAsync(CancellationToken.None);
        var restarted = AlertDemo.Runner(config);
        restarted.Estimate(model);
        restarted.EvaluateAlerts(model);
        await AlertDemo.Dispatcher(config, restarted).DeliverAsync(CancellationToken.None);
        Assert.Equal(15, restarted.ReadEstimates("car_loan").Count(r => r.Period == "analysis"));
        Assert.Equal("firing", restarted.ReadAlertStatus("car_loan").Single(s => s.Rule == "objective").State);
        Assert.Single(receiver.On("/rollback"));
        Assert.Equal("sent", Assert.Single(restarted.RemediationActions("car_loan", "sent")).Status);
        Assert.Empty(restarted.RemediationActions("car_loan", "pending"));

        // The incident resolves on healthy data; the next decay is a new incident: one new rollback, with a new key.
        await AlertDemo.DropReplayAsync(config, 0, 20_000, "part-98-healthy.parquet", 2_000_000, TimeSpan.FromDays(730));
        restarted.Estimate(model);
        restarted.EvaluateAlerts(model);
        await AlertDemo.Dispatcher(config, restarted).DeliverAsync(CancellationToken.None);
        Assert.Contains(receiver.On("/page"), p => Text(p, "state") == "resolved" && Text(p, "rule") == "objective");
        Assert.Single(receiver.On("/rollback"));
        await AlertDemo.DropReplayAsync(config, 25_000, 25_000, "part-99-decayed.parquet", 3_000_000, TimeSpan.FromDays(1095));
        restarted.Estimate(model);
        restarted.EvaluateAlerts(model);
        await AlertDemo.Dispatcher(config, restarted).DeliverAsync(CancellationToken.None);

        var rollbacks = receiver.On("/rollback");
        Assert.Equal(2, rollbacks.Count);
        // Chunks 0–9 the demo, 10–14 decayed, 15–18 healthy, 19–23 decayed again: the same rows as chunks 5–9, so NannyML's numbers.
        Assert.Equal(19, rollbacks[1].GetProperty("chunk_index").GetInt32());
        Assert.Equal(nannyMl.Estimated, Number(rollbacks[1], "estimated"), 1e-9);
        Assert.Equal(nannyMl.Upper, Number(rollbacks[1], "upper_confidence_bound"), 1e-9);
        Assert.Equal(2, RemediationDemo.Requests(receiver, "/rollback").Select(r => r.Headers["Idempotency-Key"]).Distinct().Count());
        Assert.Equal(["P1", "P1"], rollbacks.Select(r => Text(r, "severity")));
    }

    [Fact]
    public async Task ANotificationWrittenBetweenAPassesPlanAndItsDelivery_WaitsForTheNextPlan_SoItsRollbackIsNeverLost()
    {
        using var receiver = Receiver.Start();
        var config = RemediationDemo.Load(temp.Path, receiver, RemediationDemo.P1Objective, $$"""
                  - { on: P1, kind: webhook, url: "{{receiver.Url("/rollback")}}" }
            """);
        var runner = AlertDemo.Runner(config);
        var model = config.Models[0].Definition;

        // An estimate run in another worker lands the demo's notifications (the P1 at chunk 5 among them) right after the
        // pass planned its remediation from an empty outbox.
        var landed = 0;
        var store = AfterPlanStore.Wrap(new ModelRunnerStore(runner), () =>
        {
            if (landed++ == 0)
            {
                runner.Estimate(model);
                runner.EvaluateAlerts(model);
            }
        });
        var dispatcher = AlertDemo.Dispatcher(config, store);

        var first = await dispatcher.DeliverAsync(CancellationToken.None);
        Assert.Equal(1, landed);
        Assert.Equal((0, 0, 0), (first.Delivered, first.ActionsSent, first.ActionsFailed));
        Assert.Empty(receiver.On("/page"));
        var waiting = runner.PendingNotifications("car_loan");
        Assert.Contains(waiting, n => n.Rule == "objective" && n.State == "firing" && n.Severity == "P1");

        // The next pass plans them first: the rollback is posted, then every waiting notification is delivered.
        var second = await dispatcher.DeliverAsync(CancellationToken.None);
        Assert.Equal((1, 0), (second.ActionsSent, second.ActionsFailed));
        Assert.Equal(5, Assert.Single(receiver.On("/rollback")).GetProperty("chunk_index").GetInt32());
        Assert.Contains(receiver.On("/page"), p => Text(p, "rule") == "objective" && Text(p, "state") == "firing");
        Assert.Empty(runner.PendingNotifications("car_loan"));
    }

    [Fact]
    public async Task Rollback_IsRetriedWithTheSameIdempotencyKey_AfterTheReceiverFails_AndShowsInMetrics()
    {
        using var receiver = Receiver.Start(refuseFirst: 3, refuseStatus: 500);
        using var pager = Receiver.Start();
        var config = RemediationDemo.Load(
            temp.Path,
            pager,
            RemediationDemo.P1Objective,
            $$"""
                  - { on: P1, kind: webhook, name: deploy, url: "{{receiver.Url("/rollback")}}" }
            """,
            extraTopLevel: "delivery: { retries: 1, backoff_seconds: 0.01, timeout_seconds: 5 }\n");
        var runner = AlertDemo.Runner(config);
        var model = config.Models[0].Definition;
        var metrics = new HostMetrics();
        var dispatcher = AlertDemo.Dispatcher(config, runner, metrics);
        runner.Estimate(model);
        runner.EvaluateAlerts(model);

        // Pass 1: both attempts answered 500; the action stays pending, marked failed.
        var down = await dispatcher.DeliverAsync(CancellationToken.None);
        Assert.Equal((0, 1), (down.ActionsSent, down.ActionsFailed));
        var failed = Assert.Single(runner.RemediationActions("car_loan", "pending"));
        Assert.Equal(("failed", 1), (failed.Status, failed.FailedPasses));
        Assert.Contains("500", failed.LastError, StringComparison.Ordinal);
        var text = PrometheusExposition.Render(config, new ModelRunnerStore(runner), metrics);
        Assert.Contains("estimator_remediation_actions_total{model=\"car_loan\",kind=\"webhook\",result=\"failed\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("estimator_remediation_actions{model=\"car_loan\",kind=\"webhook\",status=\"failed\"} 1\n", text, StringComparison.Ordinal);

        // Pass 2: one more 500, then accepted; pass 3 sends nothing.
        var up = await dispatcher.DeliverAsync(CancellationToken.None);
        Assert.Equal((1, 0), (up.ActionsSent, up.ActionsFailed));
        await dispatcher.DeliverAsync(CancellationToken.None);

        var requests = RemediationDemo.Requests(receiver, "/rollback");
        Assert.Equal([500, 500, 500, 200], requests.Select(r => r.Status));
        Assert.Single(requests.Select(r => r.Headers["Idempotency-Key"]).Distinct());
        Assert.Equal("car_loan/", requests[0].Headers["Idempotency-Key"][..9]);
        Assert.Single(receiver.On("/rollback"));
        var sent = Assert.Single(runner.RemediationActions("car_loan", "sent"));
        Assert.Equal(("sent", 1), (sent.Status, sent.FailedPasses));
        text = PrometheusExposition.Render(config, new ModelRunnerStore(runner), metrics);
        Assert.Contains("estimator_remediation_actions_total{model=\"car_loan\",kind=\"webhook\",result=\"sent\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("estimator_remediation_actions{model=\"car_loan\",kind=\"webhook\",status=\"sent\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("status=\"failed\"", text, StringComparison.Ordinal);

        // A crash after the sent record was written but before the pending copy was removed: not posted again.
        var sentFile = Directory.GetFiles(Path.Combine(config.StoreDirectory, "car_loan", "remediation", "sent")).Single();
        File.Copy(sentFile, Path.Combine(config.StoreDirectory, "car_loan", "remediation", "pending", Path.GetFileName(sentFile)));

        // Until the next pass tidies it, the action left in both boxes counts once, as sent.
        text = PrometheusExposition.Render(config, new ModelRunnerStore(runner), metrics);
        Assert.Contains("estimator_remediation_actions{model=\"car_loan\",kind=\"webhook\",status=\"sent\"} 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("status=\"pending\"", text, StringComparison.Ordinal);
        await dispatcher.DeliverAsync(CancellationToken.None);
        Assert.Equal(4, RemediationDemo.Requests(receiver, "/rollback").Count);
        Assert.Empty(runner.RemediationActions("car_loan", "pending"));

        // A crash after the receiver's 2xx but before anything was recorded: posted again, with the same key (at-least-once).
        File.Move(sentFile, Path.Combine(config.StoreDirectory, "car_loan", "remediation", "pending", Path.GetFileName(sentFile)));
        await dispatcher.DeliverAsync(CancellationToken.None);
        var again = RemediationDemo.Requests(receiver, "/rollback");
        Assert.Equal(5, again.Count);
        Assert.Equal(requests[0].Headers["Idempotency-Key"], again[^1].Headers["Idempotency-Key"]);
    }

    [Fact]
    public async Task NoRollback_ForIncidentsThatStayAtP2_WhenOnP1_WhileOnP2TakesEach()
    {
        using var receiver = Receiver.Start();

        // At 0.965 the decayed chunks' estimates are below the objective but their bands reach it: P2, never P1 (NannyML's
        // numbers, as NotificationDeliveryTests checks); the threshold rule reaches P2 too.
        var config = RemediationDemo.Load(temp.Path, receiver, AlertDemo.Objective, $$"""
                  - { on: P1, kind: webhook, name: on-p1, url: "{{receiver.Url("/p1")}}" }
                  - { on: p2, kind: WebHook, name: on-p2, url: "{{receiver.Url("/p2")}}" }
                  - { on: P2, kind: webhook, name: objective-only, url: "{{receiver.Url("/objective")}}", metrics: [roc_auc], rules: [objective] }
            """);
        Assert.All(AlertDemo.ExpectedRocAuc(), e => Assert.NotEqual("P1", e.Tier));
        var runner = AlertDemo.Runner(config);
        var model = config.Models[0].Definition;
        var dispatcher = AlertDemo.Dispatcher(config, runner);

        runner.Estimate(model);
        runner.EvaluateAlerts(model);
        await dispatcher.DeliverAsync(CancellationToken.None);
        await dispatcher.DeliverAsync(CancellationToken.None);

        Assert.Equal(2, receiver.On("/page").Count);
        Assert.Empty(receiver.On("/p1"));
        var p2 = receiver.On("/p2");
        Assert.Equal(["car_loan/roc_auc/objective", "car_loan/roc_auc/threshold"], p2.Select(b => Text(b, "dedup_key")).Order(StringComparer.Ordinal));
        Assert.All(p2, b => Assert.Equal(("rollback", "P2"), (Text(b, "action"), Text(b, "severity"))));
        Assert.Equal(JsonValueKind.Null, p2.Single(b => Text(b, "dedup_key").EndsWith("threshold", StringComparison.Ordinal)).GetProperty("objective").ValueKind);
        Assert.Equal(AlertDemo.Objective, p2.Single(b => Text(b, "dedup_key").EndsWith("objective", StringComparison.Ordinal)).GetProperty("objective").GetDouble());
        Assert.Equal("car_loan/roc_auc/objective", Text(Assert.Single(receiver.On("/objective")), "dedup_key"));
        Assert.Equal(3, runner.RemediationActions("car_loan", "sent").Count);
    }

    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    private static double Number(JsonElement e, string name) => e.GetProperty(name).GetDouble();
}
