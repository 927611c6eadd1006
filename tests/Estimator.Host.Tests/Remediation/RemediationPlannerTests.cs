using System.Globalization;
using System.Text.Json;
using Estimator.Monitoring;
using Estimator.Slo;

namespace Estimator.Host.Tests.Remediation;

/// <summary>
/// The planner folds the alert engine's state changes (outbox files, as any source of alerts writes them: file runs
/// today, an online window later) into incidents: one action per incident and target, whatever the incident does
/// between its first firing and its resolve.
/// </summary>
public sealed class RemediationPlannerTests : IDisposable
{
    private static readonly RemediationRule[] Rules = [new("page-p1", "webhook", Severity.P1), new("ticket-p2", "webhook", Severity.P2)];

    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Plan_TakesOneActionPerIncidentAndTarget_ThroughEscalationsDeescalationsRestartsAndReplays()
    {
        var runner = new ModelRunner(temp.Path);

        // P2 opens the incident: only the P2-or-worse target acts.
        Write(3, "firing", "P2");
        Assert.Equal(["000003-roc_auc-objective-firing-P2~ticket-p2"], Ids(runner.PlanRemediation("m", Rules)));

        // Escalation to P1 in the same incident: the P1 target acts, with the incident's id and the P1 chunk's numbers.
        Write(4, "firing", "P1");
        var p1 = Assert.Single(runner.PlanRemediation("m", Rules));
        Assert.Equal(("000003-roc_auc-objective-firing-P2~page-p1", "000003-roc_auc-objective-firing-P2", "000004-roc_auc-objective-firing-P1"), (p1.Id, p1.Incident, p1.NotificationId));
        Assert.Equal((4, 0.94, 0.93, 0.95, "P1"), (p1.ChunkIndex, p1.Estimated, p1.LowerConfidenceBound, p1.UpperConfidenceBound, p1.Severity));
        Assert.Equal("m/000003-roc_auc-objective-firing-P2/page-p1", p1.IdempotencyKey);

        // Down to P2 and up to P1 again while it keeps firing; the same notifications planned again; a new runner (a
        // restarted host); the notifications delivered (moved to sent/): nothing more.
        Write(6, "firing", "P2");
        Write(7, "firing", "P1");
        Assert.Empty(runner.PlanRemediation("m", Rules));
        Assert.Empty(runner.PlanRemediation("m", Rules));
        var restarted = new ModelRunner(temp.Path);
        Assert.Empty(restarted.PlanRemediation("m", Rules));
        foreach (var n in restarted.PendingNotifications("m"))
        {
            restarted.RecordDelivery(n, "webhook", complete: true);
        }

        Assert.Empty(restarted.PlanRemediation("m", Rules));

        // A crash after the actions were queued but before the ledger was written: replanning queues nothing twice.
        Write(8, "firing", "P1", metric: "f1");
        File.Delete(Path.Combine(temp.Path, "m", "remediation", "incidents.json"));
        Assert.Equal(2, runner.PlanRemediation("m", Rules).Count);
        File.Delete(Path.Combine(temp.Path, "m", "remediation", "incidents.json"));
        Assert.Empty(runner.PlanRemediation("m", Rules));

        // Resolved, then firing again: a new incident, new actions with new keys.
        Write(9, "resolved", "P1");
        Write(12, "firing", "P1");
        var next = runner.PlanRemediation("m", Rules);
        Assert.Equal(["000012-roc_auc-objective-firing-P1~page-p1", "000012-roc_auc-objective-firing-P1~ticket-p2"], Ids(next).Order(StringComparer.Ordinal));
        Assert.All(next, a => Assert.Equal("000012-roc_auc-objective-firing-P1", a.Incident));

        // Every action once: roc_auc's two incidents × two targets, and f1's one incident × two targets.
        Assert.Equal(6, runner.RemediationActions("m", "pending").Count);
        Assert.Equal(6, runner.RemediationActions("m", "pending").Select(a => a.IdempotencyKey).Distinct().Count());
        Assert.Empty(runner.PlanRemediation("m", []));
    }

    [Theory]
    [InlineData(Severity.P1, "P1", true)]
    [InlineData(Severity.P1, "P2", false)]
    [InlineData(Severity.P2, "P1", true)]
    [InlineData(Severity.P2, "P2", true)]
    [InlineData(Severity.P2, "P3", false)]
    [InlineData(Severity.P3, "P3", true)]
    [InlineData(Severity.P3, "P1", true)]
    [InlineData(Severity.P1, "p1", false)]
    [InlineData(Severity.P1, "1", false)]
    public void Triggers_MeansThisSeverityOrWorse(Severity on, string severity, bool expected) =>
        Assert.Equal(expected, new RemediationRule("t", "webhook", on).Triggers(severity));

    [Theory]
    [InlineData("roc_auc", "objective", true)]
    [InlineData("f1", "objective", false)]
    [InlineData("roc_auc", "assumption", false)]
    [InlineData("roc_auc", "threshold", true)]
    public void Applies_OnlyToTheListedMetricsAndRules(string metric, string rule, bool expected)
    {
        var filtered = new RemediationRule("t", "webhook", Severity.P2) { Metrics = new HashSet<string> { "roc_auc" }, Rules = new HashSet<string> { "objective", "threshold" } };
        var n = new AlertNotification("000001-x", "m", metric, rule, "P1", "firing", "[0:9]", 1, 0.9, 0.8, 0.95, null, null, null, $"m/{metric}/{rule}", default, "", new Dictionary<string, DateTime>());
        Assert.Equal(expected, filtered.Applies(n));
        Assert.True(new RemediationRule("t", "webhook", Severity.P2).Applies(n));
        Assert.False((filtered with { On = Severity.P1 }).Applies(n with { Severity = "P2" }));
    }

    private static string[] Ids(IEnumerable<RemediationAction> actions) => [.. actions.Select(a => a.Id)];

    /// <summary>Writes a state change into the model's outbox as the alert engine does (one JSON file per notification).</summary>
    private void Write(int chunk, string state, string severity, string metric = "roc_auc")
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"{chunk:D6}-{metric}-objective-{state}-{severity}");
        var n = new AlertNotification(
            id, "m", metric, "objective", severity, state, $"[{chunk * 10}:{(chunk * 10) + 9}]", chunk, (90 + chunk) / 100.0, (89 + chunk) / 100.0, (91 + chunk) / 100.0, 0.96, null, null,
            $"m/{metric}/objective", new DateTime(2026, 1, 1, 0, 0, chunk, DateTimeKind.Utc), "test", new Dictionary<string, DateTime>());
        var path = Path.Combine(temp.Path, "m", "outbox", "pending", id + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(n, AlertOutbox.Json));
    }
}
