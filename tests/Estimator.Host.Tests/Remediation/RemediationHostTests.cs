using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Estimator.Host.Tests.Notifications;
using Microsoft.AspNetCore.TestHost;

namespace Estimator.Host.Tests.Remediation;

/// <summary>The running host: its estimate and notify jobs take the action; the Models page and <c>/metrics</c> show it.</summary>
public sealed partial class RemediationHostTests : IDisposable
{
    private const string Token = "remediation-test-token";
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task TheHostsJobsPostTheRollback_AndTheModelsPageAndMetricsShowEachTargetsStatus()
    {
        using var receiver = Receiver.Start();
        using var pager = Receiver.Start();
        var down = $"http://127.0.0.1:{Receiver.FreePort()}/rollback";
        var config = RemediationDemo.Load(
            temp.Path,
            pager,
            RemediationDemo.P1Objective,
            $$"""
                  - { on: P1, kind: webhook, name: deploy, url: "{{receiver.Url("/rollback")}}" }
                  - { on: P1, kind: webhook, name: unreachable, url: "{{down}}", timeout_seconds: 1 }
            """,
            extraTopLevel: $"dashboard: {{ authorization: {{ token: {Token} }} }}\ndelivery: {{ schedule: \"*/1 * * * * *\", retries: 0 }}\n");
        var runner = AlertDemo.Runner(config);
        await using var app = await TestHosts.StartAsync(config, new ModelRunnerStore(runner));
        using var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        // The demo's schedule estimates every 2 seconds; the notify job runs every second.
        await TestHosts.WaitUntilAsync(
            () => !receiver.Posts.IsEmpty && runner.RemediationActions("car_loan", "pending").Any(a => a.Status == "failed"),
            TimeSpan.FromSeconds(60),
            "the rollback posted to deploy and failed for unreachable");
        var html = await client.GetStringAsync(new Uri("/hangfire/models", UriKind.Relative));
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var body = Assert.Single(receiver.On("/rollback"));
        Assert.Equal(("rollback", "P1", 5), (body.GetProperty("action").GetString(), body.GetProperty("severity").GetString(), body.GetProperty("chunk_index").GetInt32()));
        var items = ActionItem().Matches(html).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["status"].Value);
        Assert.Equal(
            new Dictionary<string, string> { ["000005-roc_auc-objective-firing-P1~deploy"] = "sent", ["000005-roc_auc-objective-firing-P1~unreachable"] = "failed" },
            items);
        Assert.Contains("Targets: deploy (webhook on P1), unreachable (webhook on P1).", html, StringComparison.Ordinal);
        Assert.DoesNotContain(down, html, StringComparison.Ordinal);
        Assert.Contains("estimator_remediation_actions_total{model=\"car_loan\",kind=\"webhook\",result=\"sent\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Matches("estimator_remediation_actions_total\\{model=\"car_loan\",kind=\"webhook\",result=\"failed\"\\} [1-9]", metrics);
        Assert.Contains("estimator_remediation_actions{model=\"car_loan\",kind=\"webhook\",status=\"sent\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("estimator_remediation_actions{model=\"car_loan\",kind=\"webhook\",status=\"failed\"} 1\n", metrics, StringComparison.Ordinal);
    }

    [GeneratedRegex("<li data-action=\"(?<id>[^\"]+)\" data-status=\"(?<status>[a-z]+)\">")]
    private static partial Regex ActionItem();
}
