using System.Text.Json;
using Estimator.Host.Configuration;
using Estimator.Host.Metrics;
using Estimator.Host.Notifications;
using Estimator.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Parquet;

namespace Estimator.Host.Tests.Notifications;

/// <summary>The car-loan demo with an objective and notification channels, driven through the real store engine.</summary>
internal static class AlertDemo
{
    public const double Objective = 0.965;

    /// <summary>
    /// What NannyML's numbers (the core's golden file) say about roc_auc per analysis chunk, independently of the code
    /// under test: the objective tier (P1 whole band below, P2 estimate below) and whether a reference threshold is crossed.
    /// </summary>
    public static List<(string? Tier, bool Crossed)> ExpectedRocAuc()
    {
        var path = Path.Combine(TestData.RepositoryRoot, "tests", "Estimator.Core.Tests", "Fixtures", "car_loan", "expected", "chunk_size_5000.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("chunks").EnumerateArray()
            .Where(c => c.GetProperty("period").GetString() == "analysis")
            .Select(c => c.GetProperty("metrics").GetProperty("roc_auc"))
            .Select(m => (
                m.GetProperty("upper_confidence_bound").GetDouble() < Objective ? "P1" : m.GetProperty("estimated").GetDouble() < Objective ? "P2" : null,
                m.GetProperty("alert").GetBoolean()))
            .ToList();
    }

    /// <summary>
    /// Copies the demo (roc_auc only) with the objective, alerting and the given model-level notify YAML lines, and any
    /// other model-level YAML lines (<paramref name="modelYaml"/>, indented as a model's keys). The demo's drift and
    /// quality sections are kept only when <paramref name="inputs"/> is true and <paramref name="modelYaml"/> is empty.
    /// </summary>
    public static string Copy(string root, string notifyYaml, string schedule = "*/2 * * * * *", string extraTopLevel = "", double objective = Objective, string modelYaml = "", bool inputs = true)
    {
        var path = TestData.CopyDemo(root, schedule, extraTopLevel);
        var yaml = File.ReadAllText(path).Replace("metrics: [roc_auc, precision, recall, f1, accuracy, specificity]", "metrics: [roc_auc]", StringComparison.Ordinal);
        if (!inputs || modelYaml.Length > 0)
        {
            yaml = WithoutInputSections(yaml);
        }

        yaml += modelYaml;
        yaml += $"""

                slos:
                  - {"{"} metric: roc_auc, objective: {objective.ToString(System.Globalization.CultureInfo.InvariantCulture)} {"}"}
                alerting: {"{"} for: 1, keep_firing_for: 1, consecutive_crossings: 3 {"}"}
                notify:
            {notifyYaml}
            """;
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>The demo's YAML without its <c>drift:</c> and <c>quality:</c> sections (a model key and its deeper-indented lines).</summary>
    private static string WithoutInputSections(string yaml)
    {
        var kept = new List<string>();
        var skipping = false;
        foreach (var line in yaml.Split('\n'))
        {
            if (line.StartsWith("    drift:", StringComparison.Ordinal) || line.StartsWith("    quality:", StringComparison.Ordinal))
            {
                skipping = true;
                continue;
            }

            if (skipping && line.StartsWith("      ", StringComparison.Ordinal))
            {
                continue;
            }

            skipping = false;
            kept.Add(line);
        }

        return string.Join('\n', kept);
    }

    public static ModelRunner Runner(EstimatorConfig config) => new(config.StoreDirectory) { FileSettleTime = TimeSpan.Zero };

    public static NotificationDispatcher Dispatcher(EstimatorConfig config, ModelRunner runner)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(NotificationDispatcher.HttpClientName);
        var provider = services.BuildServiceProvider();
        return new NotificationDispatcher(config, new ModelRunnerStore(runner), provider.GetRequiredService<IHttpClientFactory>(), new HostMetrics(), NullLogger<NotificationDispatcher>.Instance);
    }

    /// <summary>
    /// Writes the healthy first <paramref name="rows"/> analysis rows again, a year later and with new ids, into the
    /// model's analysis folder: performance recovers.
    /// </summary>
    public static async Task DropHealthyReplayAsync(EstimatorConfig config, int rows = 20_000)
    {
        var target = Path.Combine(Path.GetDirectoryName(config.Models[0].Definition.Analysis)!, "part-99-replay.parquet");
        await using var input = File.OpenRead(TestData.CarLoanAnalysis);
        await using var reader = await ParquetReader.CreateAsync(input);
        var fields = reader.Schema.GetDataFields();
        await using var output = File.Create(target);
        await using var writer = await ParquetWriter.CreateAsync(reader.Schema, output);
        using var rowGroupReader = reader.OpenRowGroupReader(0);
        using var rowGroup = writer.CreateRowGroup();
        foreach (var field in fields)
        {
            var column = await DemoSeed.ReadAsync(rowGroupReader, field, (int)rowGroupReader.RowCount);
            switch (column)
            {
                case long?[] ids when field.Name == "id":
                    await rowGroup.WriteAsync<long>(field, ids.Take(rows).Select(v => v + 1_000_000).ToArray().AsMemory(), null, null, CancellationToken.None);
                    break;
                case DateTime?[] times:
                    await rowGroup.WriteAsync<DateTime>(field, times.Take(rows).Select(t => t + TimeSpan.FromDays(365)).ToArray().AsMemory(), null, null, CancellationToken.None);
                    break;
                case long?[] a:
                    await rowGroup.WriteAsync<long>(field, a.Take(rows).ToArray().AsMemory(), null, null, CancellationToken.None);
                    break;
                case int?[] a:
                    await rowGroup.WriteAsync<int>(field, a.Take(rows).ToArray().AsMemory(), null, null, CancellationToken.None);
                    break;
                case double?[] a:
                    await rowGroup.WriteAsync<double>(field, a.Take(rows).ToArray().AsMemory(), null, null, CancellationToken.None);
                    break;
                case bool?[] a:
                    await rowGroup.WriteAsync<bool>(field, a.Take(rows).ToArray().AsMemory(), null, null, CancellationToken.None);
                    break;
                case string?[] a:
                    await rowGroup.WriteAsync(field, a.Take(rows).ToArray(), null);
                    break;
                default:
                    throw new NotSupportedException(field.Name);
            }
        }
    }
}
