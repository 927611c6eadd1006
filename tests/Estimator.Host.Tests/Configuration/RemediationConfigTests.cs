using Estimator.Host.Configuration;
using Estimator.Slo;

namespace Estimator.Host.Tests.Configuration;

public sealed class RemediationConfigTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Load_ReadsTargets_WithDefaultNames_Headers_AndSecretsKeptOutOfToString()
    {
        Environment.SetEnvironmentVariable("ESTIMATOR_TEST_ROLLBACK_TOKEN", "tok-from-env");
        var config = Load(temp.Path, """
                remediation:
                  - { on: P1, kind: webhook, url: "https://deploy.example/rollback" }
                  - { on: p2, kind: WEBHOOK, url: "http://127.0.0.1:9000/r", headers: { X-Team: ml }, bearer_token_env: ESTIMATOR_TEST_ROLLBACK_TOKEN, timeout_seconds: 2.5 }
                  - { on: P3, kind: webhook, name: canary.gate, url: "http://127.0.0.1:9001/r", bearer_token: direct, metrics: [roc_auc, f1], rules: [objective] }
            """);

        var targets = Assert.Single(config.Models).Remediation;
        Assert.Equal(["webhook", "webhook-2", "canary.gate"], targets.Select(t => t.Name));
        Assert.Equal([Severity.P1, Severity.P2, Severity.P3], targets.Select(t => t.On));
        Assert.All(targets, t => Assert.Same(RemediationKind.Webhook, t.Kind));
        Assert.Equal(new Uri("https://deploy.example/rollback"), targets[0].Url);
        Assert.Empty(targets[0].Headers);
        Assert.Null(targets[0].BearerToken);
        Assert.Null(targets[0].Timeout);
        Assert.Equal("ml", targets[1].Headers["x-team"]);
        Assert.Equal("tok-from-env", targets[1].BearerToken);
        Assert.Equal(TimeSpan.FromSeconds(2.5), targets[1].Timeout);
        Assert.Equal("direct", targets[2].BearerToken);
        Assert.Equal("webhook-2 (webhook on P2)", targets[1].ToString());
        Assert.Null(targets[0].Metrics);
        Assert.Null(targets[0].Rules);
        var rule = targets[2].ToRule();
        Assert.Equal(("canary.gate", "webhook", Severity.P3), (rule.Target, rule.Kind, rule.On));
        Assert.Equal(["f1", "roc_auc"], rule.Metrics!.Order(StringComparer.Ordinal));
        Assert.Equal(["objective"], rule.Rules!);
    }

    [Fact]
    public void Load_ReadsTheReadmesBlockStyleExample()
    {
        Environment.SetEnvironmentVariable("DEPLOY_TOKEN", "deploy-secret");
        var readme = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("    remediation:\n      - on: P1", StringComparison.Ordinal);
        Assert.True(start > 0);
        var example = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];

        var target = Assert.Single(Assert.Single(Load(temp.Path, example).Models).Remediation);
        Assert.Equal(["roc_auc"], target.Metrics!);
        Assert.Equal(["objective"], target.Rules!);
        Assert.Equal(("deploy", Severity.P1, "https://deploy.example/v1/rollback", "ml-platform", "deploy-secret", 5.0), (target.Name, target.On, target.Url.ToString(), target.Headers["X-Team"], target.BearerToken, target.Timeout!.Value.TotalSeconds));
    }

    [Fact]
    public void Load_DefaultsToNoRemediation()
    {
        var config = Load(temp.Path, "");
        Assert.Empty(Assert.Single(config.Models).Remediation);
    }

    [Theory]
    [InlineData("Webhook", true)]
    [InlineData(" webhook ", true)]
    [InlineData("lambda", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void RemediationKind_TryParse_AcceptsTheClosedSetOnly(string? text, bool ok)
    {
        Assert.Equal(ok, RemediationKind.TryParse(text, out var kind));
        Assert.Equal(ok ? RemediationKind.Webhook : null, kind);
        if (!ok && text is not null)
        {
            Assert.Throws<FormatException>(() => RemediationKind.Parse(text));
        }
    }

    [Fact]
    public void Load_ReportsEveryMistake_AsFileLineColumn()
    {
        var lines = """
                remediation:
                  - { on: P4, kind: webhook, url: "http://127.0.0.1:9000/r" }
                  - { on: P1, kind: lambda, url: "http://127.0.0.1:9000/r" }
                  - { on: P1, kind: webhook, url: "ftp://x" }
                  - { on: P1, kind: webhook }
                  - { on: P1, kind: webhook, url: "http://x", headers: { Idempotency-Key: mine } }
                  - { on: P1, kind: webhook, url: "http://x", bearer_token: t, headers: { Authorization: "Basic x" } }
                  - { on: P1, kind: webhook, url: "http://x", retries: 3 }
                  - { on: P1, kind: webhook, url: "http://x", timeout_seconds: 0 }
                  - { on: P1, kind: webhook, url: "http://x", metrics: [roc_acu] }
                  - { on: P1, kind: webhook, url: "http://x", rules: [objective, slo] }
            """;
        var path = Write(temp.Path, lines);
        var e = Assert.Throws<EstimatorConfigException>(() => EstimatorConfig.Load(path));
        var text = File.ReadAllText(path).Split('\n');

        // Where each mistake is, found in the file's text independently of the reader: 1-based line and column.
        string At(string line, string token)
        {
            var index = Array.FindIndex(text, l => l.Contains(line, StringComparison.Ordinal));
            Assert.True(index >= 0, line);
            return $"{path}:{index + 1}:{text[index].IndexOf(token, StringComparison.Ordinal) + 1}: ";
        }

        string[] expected =
        [
            At("on: P4", "P4") + "models[0].remediation[0].on: expected P1, P2 or P3",
            At("kind: lambda", "lambda") + "models[0].remediation[1].kind: 'lambda' is not a remediation kind; expected webhook",
            At("ftp://x", "\"ftp") + "models[0].remediation[2].url: expected an absolute http:// or https:// URL",
            At("- { on: P1, kind: webhook }", "{") + "models[0].remediation[3].url: missing",
            At("Idempotency-Key", "Idempotency-Key") + "models[0].remediation[4].headers.Idempotency-Key: 'Idempotency-Key' is set by the dispatcher",
            At("Basic x", "Authorization") + "models[0].remediation[5].headers.Authorization: 'Authorization' is set by the dispatcher from bearer_token",
            At("retries: 3", "retries") + "models[0].remediation[6].retries: unknown key 'retries'",
            At("timeout_seconds: 0", "0 }") + "models[0].remediation[7].timeout_seconds: expected seconds in (0, 3600]",
            At("roc_acu", "roc_acu") + "models[0].remediation[8].metrics[0]: 'roc_acu' is not among the model's metrics: roc_auc, ",
            At("rules: [objective, slo]", "slo") + "models[0].remediation[9].rules[1]: 'slo' is not among the alert rules: objective, threshold, assumption",
        ];
        var problems = e.Problems.Select(p => p.ToString()).ToList();
        foreach (var fragment in expected)
        {
            Assert.Contains(problems, p => p.StartsWith(fragment, StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, problems.Count);
    }

    [Fact]
    public void Load_RefusesTwoTargetsOfOneName_AndAListThatIsNotOne()
    {
        var twice = Assert.Throws<EstimatorConfigException>(() => Load(Path.Combine(temp.Path, "a"), """
                remediation:
                  - { on: P1, kind: webhook, name: a, url: "http://x" }
                  - { on: P2, kind: webhook, name: a, url: "http://y" }
            """));
        Assert.Contains(twice.Problems, p => p.KeyPath == "models[0].remediation" && p.Message.StartsWith("two targets are named 'a'", StringComparison.Ordinal) && p.Line > 0);

        var notAList = Assert.Throws<EstimatorConfigException>(() => Load(Path.Combine(temp.Path, "b"), """
                remediation: { on: P1, kind: webhook, url: "http://x" }
            """));
        Assert.Contains(notAList.Problems, p => p.KeyPath == "models[0].remediation" && p.Message.StartsWith("expected a list of targets", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ReportsEmptyNonListAndRepeatedFilters()
    {
        var lines = """
                remediation:
                  - { on: P1, kind: webhook, url: "http://x", metrics: [] }
                  - { on: P1, kind: webhook, url: "http://x", rules: objective }
                  - { on: P1, kind: webhook, url: "http://x", rules: [objective, objective] }
            """;
        var e = Assert.Throws<EstimatorConfigException>(() => EstimatorConfig.Load(Write(temp.Path, lines)));
        var problems = e.Problems.Select(p => p.ToString()).ToList();

        // The messages as the reader words them for a list of names: what it expected, and what it got.
        string[] expected =
        [
            "models[0].remediation[0].metrics: expected a non-empty list of the model's metrics; got ",
            "models[0].remediation[1].rules: expected a non-empty list of the alert rules; got ",
            "models[0].remediation[2].rules[1]: 'objective' is listed twice",
        ];
        foreach (var fragment in expected)
        {
            Assert.Contains(problems, p => p.Contains(fragment, StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, problems.Count);
    }

    private static EstimatorConfig Load(string root, string modelLines) => EstimatorConfig.Load(Write(root, modelLines));

    /// <summary>The demo's configuration under <paramref name="root"/> with <paramref name="modelLines"/> added to its model.</summary>
    private static string Write(string root, string modelLines)
    {
        var path = TestData.CopyDemo(root);
        File.AppendAllText(path, "\n" + modelLines);
        return path;
    }
}
