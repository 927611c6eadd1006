using System.Text.Json;
using Estimator.Host.Configuration;
using Estimator.Host.Tests.Notifications;

namespace Estimator.Host.Tests.Remediation;

/// <summary>The car-loan demo (roc_auc only) with remediation targets, and NannyML's numbers to check the actions against.</summary>
internal static class RemediationDemo
{
    /// <summary>
    /// With the objective at 0.969 the decayed chunks' whole band lies below it (their roc_auc upper bounds are
    /// 0.9665–0.9680 in NannyML's numbers) and the healthy chunks' estimates above it (0.9707–0.9714): a P1 from chunk 5 on.
    /// </summary>
    public const double P1Objective = 0.969;

    /// <summary>The demo with the given objective, a P1/P2 webhook channel on the pager's <c>/page</c>, and the remediation list's YAML lines.</summary>
    public static EstimatorConfig Load(string root, Receiver pager, double objective, string remediation, string extraTopLevel = "") =>
        EstimatorConfig.Load(AlertDemo.Copy(
            root,
            $$"""
                  - { kind: webhook, url: "{{pager.Url("/page")}}", severities: [P1, P2] }
            """,
            objective: objective,
            extraTopLevel: extraTopLevel,
            modelYaml: "\n    remediation:\n" + remediation));

    /// <summary>NannyML's roc_auc (estimated, lower bound, upper bound) for analysis chunk <paramref name="index"/> (the core's golden file).</summary>
    public static (double Estimated, double Lower, double Upper) NannyMlRocAuc(int index)
    {
        var path = Path.Combine(TestData.RepositoryRoot, "tests", "Estimator.Core.Tests", "Fixtures", "car_loan", "expected", "chunk_size_5000.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var chunk = doc.RootElement.GetProperty("chunks").EnumerateArray().Where(c => c.GetProperty("period").GetString() == "analysis").ElementAt(index);
        var m = chunk.GetProperty("metrics").GetProperty("roc_auc");
        return (m.GetProperty("estimated").GetDouble(), m.GetProperty("lower_confidence_bound").GetDouble(), m.GetProperty("upper_confidence_bound").GetDouble());
    }

    /// <summary>The requests (refused ones too) that reached <paramref name="path"/>, in arrival order.</summary>
    public static List<(int Status, Dictionary<string, string> Headers)> Requests(Receiver receiver, string path) =>
        [.. receiver.Requests.Where(r => r.Path == path).Select(r => (r.Status, r.Headers))];
}
