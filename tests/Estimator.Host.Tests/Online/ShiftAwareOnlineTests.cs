using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Estimator.Calculators;
using Estimator.Cli;
using Estimator.Host.Configuration;
using Estimator.Host.Online;
using Estimator.IO;
using Estimator.Monitoring;
using Estimator.Monitoring.Online;
using Xunit.Abstractions;

namespace Estimator.Host.Tests.Online;

/// <summary>
/// A shift-aware model on the online path, over the subgroup-shift world of shared/scenarios: posted rows carry the
/// features; the window is the command line's estimate of the same rows as one chunk once refreshed; the closed chunks
/// are estimated in the store as the command line estimates those rows. Expected numbers come from
/// <c>estimator estimate</c> on the world's analysis file, never from the online path.
/// </summary>
public sealed class ShiftAwareOnlineTests(ITestOutputHelper output) : IDisposable
{
    private const int Window = 5_000;
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("weighted")]
    [InlineData("auto")]
    [InlineData("prior")]
    public async Task ShiftAwareOnline_WindowEqualsTheCommandLineOnTheLastNRows_AndClosedChunksEqualItsChunks(string estimatorName)
    {
        // Posted: rows 20,000 .. 34,999 of the analysis file, which the command line's chunks of 5,000 make chunks 4-6
        // (the shift starts in chunk 4); the final window is chunk 6.
        const int first = 20_000, rows = 15_000, batch = 1_000;
        var expected = CommandLineChunks(estimatorName).Where(r => r.ChunkIndex is >= 4 and <= 6).ToDictionary(r => (r.ChunkIndex - 4, r.Metric));

        var config = EstimatorConfig.Load(ShiftAwareOnlineData.WriteConfig(temp.Path, Window, estimatorName, ", refresh_ms: 200"));
        await using var app = await TestHosts.StartAsync(config, null, "http://127.0.0.1:0");
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(120) };
        for (var b = 0; b < rows / batch; b++)
        {
            var response = await http.PostAsync("/v1/models/world/predictions", OnlineTestData.Json(ShiftAwareOnlineData.Body(first + (b * batch), batch)));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal((b + 1) * batch, (await JsonAsync(response)).GetProperty("rows_seen").GetInt64());
        }

        // The window is re-estimated in the background; once a refresh covers every posted row it is chunk 6.
        var online = await OnlineOnceAsync(http, rows, TimeSpan.FromSeconds(120));
        Assert.Equal((Window, Window), (online.GetProperty("window_rows").GetInt32(), online.GetProperty("window").GetInt32()));
        var window = expected.Values.Where(r => r.ChunkIndex == 6).ToList();
        Assert.Equal(window[0].Estimator, online.GetProperty("estimator").GetString());
        AssertSame(window[0].EffectiveSampleSize, online.GetProperty("effective_sample_size"));
        Assert.Equal(5, window.Count);
        foreach (var e in window)
        {
            var actual = online.GetProperty("metrics").GetProperty(e.Metric);
            Assert.Equal(e.Estimated!.Value, actual.GetProperty("estimated").GetDouble(), 1e-9);
            Assert.Equal(e.SamplingError!.Value, actual.GetProperty("sampling_error").GetDouble(), 1e-9);
            Assert.Equal(e.LowerConfidenceBound!.Value, actual.GetProperty("lower_confidence_bound").GetDouble(), 1e-9);
            Assert.Equal(e.UpperConfidenceBound!.Value, actual.GetProperty("upper_confidence_bound").GetDouble(), 1e-9);
            Assert.Equal(e.LowerThreshold!.Value, actual.GetProperty("lower_threshold").GetDouble(), 1e-12);
            Assert.Equal(e.Alert, actual.GetProperty("alert").GetBoolean());
        }

        // The verdict reads the shift-aware window: its whole band lies below the (unreachable) objective of 0.99.
        var verdict = JsonDocument.Parse(await http.GetStringAsync("/v1/models/world/verdict")).RootElement;
        Assert.Equal("fail", verdict.GetProperty("verdict").GetString());
        Assert.Contains(verdict.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("window of the last 5000 rows: roc_auc whole band", StringComparison.Ordinal));

        // The in-process calculator (the notebook API's fit) on the same rows gives the same window; one refresh's cost.
        var fitted = CbpeData.FitShiftAware(config.Models[0].Definition.Reference, config.Models[0].Definition.Columns, config.Models[0].Definition.ToShiftOptions());
        var last = ShiftAwareOnlineData.Slice(first + rows - Window, Window);
        var posted = new OnlineRows(new string[Window], last.Scores!, last.Predictions!, last.Timestamps, last.Features);
        var times = new List<double>();
        var refresh = ShiftWindowEstimate.Of(fitted, posted, predictions: true, Window);
        for (var run = 0; run < 3; run++)
        {
            var clock = Stopwatch.StartNew();
            refresh = ShiftWindowEstimate.Of(fitted, posted, predictions: true, Window);
            times.Add(clock.Elapsed.TotalSeconds);
        }

        output.WriteLine($"refreshes of a {estimatorName} window of {Window} rows (reference 50,000): {string.Join(", ", times.Select(t => t.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))} s");
        var (metrics, estimator, ess, reason) = refresh;
        Assert.Equal((window[0].Estimator, window[0].EffectiveSampleSize, window[0].EstimatorReason), (estimator, ess, reason));
        Assert.Equal(reason, online.GetProperty("estimator_reason").GetString());
        Assert.All(metrics, m => Assert.Equal(online.GetProperty("metrics").GetProperty(m.Name).GetProperty("estimated").GetDouble(), m.Estimated, 1e-12));

        // Every N rows closed a chunk with the features; the store's estimate job estimated it with the shift-aware fit.
        var runner = new ModelRunner(config.StoreDirectory);
        await TestHosts.WaitUntilAsync(
            () => runner.ReadEstimates("world").Count(r => r.Period == "analysis" && !r.Provisional && r.Metric == "roc_auc") == 3,
            TimeSpan.FromSeconds(180),
            "three final chunks in the store");
        var stored = runner.ReadEstimates("world").Where(r => r.Period == "analysis").ToList();
        Assert.Equal(15, stored.Count);
        foreach (var record in stored)
        {
            var e = expected[(record.ChunkIndex, record.Metric)];
            Assert.Equal(e.Estimated!.Value, record.Estimated!.Value, 1e-9);
            Assert.Equal(e.SamplingError!.Value, record.SamplingError!.Value, 1e-9);
            Assert.Equal((e.Estimator, e.Alert), (record.Estimator, record.Alert));
            Assert.Equal(e.EffectiveSampleSize.HasValue, record.EffectiveSampleSize.HasValue);
            Assert.Equal(e.EffectiveSampleSize ?? 0, record.EffectiveSampleSize ?? 0, 1e-9);
        }

        var chunk = FeatureFileReader.Read(Path.Combine(OnlineLog.InboxOf(config.StoreDirectory, "world"), "online-000000001.parquet"), ShiftAwareOnlineData.Features);
        var sent = ShiftAwareOnlineData.Slice(first + Window, Window);
        Assert.Equal(((NumericFeature)sent.Feature("x2")).Values, ((NumericFeature)chunk.Feature("x2")).Values);
        Assert.Equal(((CategoricalFeature)sent.Feature("g")).Values, ((CategoricalFeature)chunk.Feature("g")).Values);
    }

    [Fact]
    public async Task PostPredictions_BadOrMissingFeature_Is400NamingRowAndField_AndAppliesNothing()
    {
        var config = EstimatorConfig.Load(ShiftAwareOnlineData.WriteConfig(temp.Path, 100, "weighted"));
        await using var app = await TestHosts.StartAsync(config, null, "http://127.0.0.1:0");
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(120) };
        const string Row = "\"y_pred_proba\": 0.5, \"y_pred\": 1, \"timestamp\": \"2024-01-01T00:00:00Z\"";
        (string Body, int Row, string Field)[] bad =
        [
            ($$"""[{"id": "a", {{Row}}, "x1": 1, "x2": 2, "x3": 3, "g": "A"}, {"id": "b", {{Row}}, "x1": "abc", "x2": 2, "x3": 3, "g": "A"}]""", 1, "x1"),
            ($$"""[{"id": "a", {{Row}}, "x1": 1, "x2": 2, "x3": 3}]""", 0, "g"),
            ($$"""[{"id": "a", {{Row}}, "x1": 1, "x2": 2, "x3": 3, "g": 3}]""", 0, "g"),
            ($$"""[{"id": "a", {{Row}}, "x1": 1, "x2": [2], "x3": 3, "g": "B"}]""", 0, "x2"),
            ($$"""[{"id": "a", {{Row}}, "x1": 1, "x2": 2, "x3": 3, "g": "B"}, {"id": "b", {{Row}}, "x1": 1, "x2": 2, "x3": 3, "g": "{{new string('C', 5000)}}"}]""", 1, "g"),
        ];
        foreach (var (body, row, field) in bad)
        {
            var response = await http.PostAsync("/v1/models/world/predictions", OnlineTestData.Json(body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = await JsonAsync(response);
            Assert.Equal((row, field), (error.GetProperty("row").GetInt32(), error.GetProperty("field").GetString()));
        }

        // Nothing of the refused bodies was applied; a missing value (null) is taken, as an empty cell of a file is.
        var good = await http.PostAsync("/v1/models/world/predictions", OnlineTestData.Json(ShiftAwareOnlineData.Body(0, 10)));
        Assert.Equal(10, (await JsonAsync(good)).GetProperty("rows_seen").GetInt64());
        var missing = await http.PostAsync("/v1/models/world/predictions", OnlineTestData.Json($$"""[{"id": "z", {{Row}}, "x1": null, "x2": 2, "x3": 3, "g": null}]"""));
        Assert.Equal(11, (await JsonAsync(missing)).GetProperty("rows_seen").GetInt64());
        var online = await OnlineOnceAsync(http, 11, TimeSpan.FromSeconds(60));
        Assert.Equal(("weighted", 11), (online.GetProperty("estimator").GetString(), online.GetProperty("window_rows").GetInt32()));
        var verdict = JsonDocument.Parse(await http.GetStringAsync("/v1/models/world/verdict")).RootElement;
        Assert.Equal("inconclusive", verdict.GetProperty("verdict").GetString());
        Assert.Equal("the window holds 11 of 100 rows", Assert.Single(verdict.GetProperty("reasons").EnumerateArray()).GetString());
    }

    /// <summary><c>estimator estimate</c> on the world's analysis file in chunks of N: the analysis rows.</summary>
    private List<EstimateRecord> CommandLineChunks(string estimator)
    {
        var file = Path.Combine(temp.Path, "cli.parquet");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = EstimatorCli.Run(
            [
                "estimate", "--reference", Path.Combine(ShiftAwareOnlineData.World, "reference.parquet"), "--analysis", Path.Combine(ShiftAwareOnlineData.World, "analysis.parquet"),
                "--id-column", "id", "--timestamp", "timestamp", "--chunk-size", "5000", "--metrics", "roc_auc,precision,recall,f1,accuracy",
                "--estimator", estimator, "--features", string.Join(",", ShiftAwareOnlineData.Features), "--out", file, "--quiet",
            ],
            stdout,
            stderr);
        Assert.True(exit == 0, stderr.ToString());
        return [.. EstimateFileReader.Read(file).Where(r => r.Period == "analysis")];
    }

    /// <summary>The window once an estimate covers <paramref name="rows"/> rows of the stream.</summary>
    private static async Task<JsonElement> OnlineOnceAsync(HttpClient http, long rows, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var online = JsonDocument.Parse(await http.GetStringAsync("/v1/models/world/online")).RootElement;
            if (online.GetProperty("rows_seen").GetInt64() >= rows)
            {
                return online;
            }

            Assert.True(clock.Elapsed < timeout, $"the window covers {online.GetProperty("rows_seen").GetInt64()} of {rows} rows after {timeout}");
            await Task.Delay(50);
        }
    }

    private static void AssertSame(double? expected, JsonElement actual)
    {
        if (expected is { } value)
        {
            Assert.Equal(value, actual.GetDouble(), 1e-9);
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, actual.ValueKind);
        }
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
