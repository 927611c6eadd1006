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

    public static NotificationDispatcher Dispatcher(EstimatorConfig config, ModelRunner runner, HostMetrics? metrics = null) =>
        Dispatcher(config, new ModelRunnerStore(runner), metrics);

    public static NotificationDispatcher Dispatcher(EstimatorConfig config, IModelStore store, HostMetrics? metrics = null)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(NotificationDispatcher.HttpClientName);
        var provider = services.BuildServiceProvider();
        return new NotificationDispatcher(config, store, provider.GetRequiredService<IHttpClientFactory>(), metrics ?? new HostMetrics(), NullLogger<NotificationDispatcher>.Instance);
    }

    /// <summary>
    /// Writes the healthy first <paramref name="rows"/> analysis rows again, a year later and with new ids, into the
    /// model's analysis folder: performance recovers.
    /// </summary>
    public static Task DropHealthyReplayAsync(EstimatorConfig config, int rows = 20_000) => DropReplayAsync(config, 0, rows, "part-99-replay.parquet", 1_000_000, TimeSpan.FromDays(365));

    /// <summary>
    /// Writes analysis rows <paramref name="skip"/> to <paramref name="skip"/> + <paramref name="rows"/> again as
    /// <paramref name="file"/> in the model's analysis folder, with ids shifted by <paramref name="idShift"/> and
    /// timestamps by <paramref name="later"/> (rows from 25,000 on are the decayed ones).
    /// </summary>
    public static async Task DropReplayAsync(EstimatorConfig config, int skip, int rows, string file, long idShift, TimeSpan later)
    {
        var target = Path.Combine(Path.GetDirectoryName(config.Models[0].Definition.Analysis)!, file);
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
                    await rowGroup.WriteAsync<long>(field, ids.Skip(skip).Take(rows).Select(v => v + idShift).ToArray().AsMemory(), null, null, CancellationToken.None);
                    break;
                case DateTime?[] times:
                    await rowGroup.WriteAsync<DateTime>(field, times.Skip(skip).Take(rows).Select(t => t + later).ToArray().AsMemory(), null, null, CancellationToken.None);
                    break;
                case long?[] a:
                    await rowGroup.WriteAsync<long>(field, a.Skip(skip).Take(rows).ToArray().AsMemory(), null, null, CancellationToken.None);
                    break;
                case int?[] a:
                    await rowGroup.WriteAsync<int>(field, a.Skip(skip).Take(rows).ToArray().AsMemory(), null, null, CancellationToken.None);
                    break;
                case double?[] a:
                    await rowGroup.WriteAsync<double>(field, a.Skip(skip).Take(rows).ToArray().AsMemory(), null, null, CancellationToken.None);
                    break;
                case bool?[] a:
                    await rowGroup.WriteAsync<bool>(field, a.Skip(skip).Take(rows).ToArray().AsMemory(), null, null, CancellationToken.None);
                    break;
                case string?[] a:
                    await rowGroup.WriteAsync(field, a.Skip(skip).Take(rows).ToArray(), null);
                    break;
                default:
                    throw new NotSupportedException(field.Name);
            }
        }
    }
}
