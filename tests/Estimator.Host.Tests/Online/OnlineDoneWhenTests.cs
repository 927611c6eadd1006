using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Estimator.Estimation;
using Estimator.Host.Configuration;
using Estimator.Host.Tests.Notifications;
using Estimator.IO;
using Estimator.Monitoring;

namespace Estimator.Host.Tests.Online;

/// <summary>
/// The issue's done-when scenario: NannyML's car-loan analysis posted at about 10,000 rows/s in batches of 500 to the
/// real host (Kestrel, Hangfire, the store engine). Expected numbers come from the batch engine and the demo's
/// estimates, never from the online path.
/// </summary>
public sealed class OnlineDoneWhenTests : IDisposable
{
    private const int Window = 5_000;
    private const int Batch = 500;
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task CarLoanPostedOnline_IsVisibleWithin1s_EqualsTheBatchEngine_AndFailsTheVerdictOnDecay()
    {
        // The rollback hook: a real receiver the notify job posts to (every second) once the store's P1 incident opens.
        using var deploy = Receiver.Start();
        var remediation = $"    remediation: [{{ on: P1, kind: webhook, url: \"{deploy.Url("/rollback")}\" }}]\ndelivery: {{ schedule: \"*/1 * * * * *\" }}";
        var config = EstimatorConfig.Load(OnlineTestData.WriteConfig(temp.Path, Window, modelExtra: remediation));
        var model = config.Models[0].Definition;
        await using var app = await TestHosts.StartAsync(config, null, "http://127.0.0.1:0");
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(60) };
        var rows = OnlineTestData.CarLoan;
        var bodies = Enumerable.Range(0, rows.Ids.Length / Batch).Select(b => OnlineTestData.Body(b * Batch, Batch)).ToList();

        var latencies = new List<double>();
        var verdicts = new List<(int Rows, string Verdict)>();
        var clock = Stopwatch.StartNew();
        for (var b = 0; b < bodies.Count; b++)
        {
            // 500 rows every 50 ms: 10,000 rows/s.
            var due = TimeSpan.FromMilliseconds(b * 50);
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var sent = clock.Elapsed;
            var response = await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json(bodies[b]));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var end = (b + 1) * Batch;
            using (var accepted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
            {
                Assert.Equal(Batch, accepted.RootElement.GetProperty("accepted").GetInt32());
                Assert.Equal(end, accepted.RootElement.GetProperty("rows_seen").GetInt64());
            }

            while ((await OnlineAsync(http)).GetProperty("rows_seen").GetInt64() < end)
            {
                await Task.Delay(5);
            }

            latencies.Add((clock.Elapsed - sent).TotalSeconds);
            verdicts.Add((end, (await VerdictAsync(http)).GetProperty("verdict").GetString()!));
        }

        latencies.Sort();
        var p99 = latencies[(int)Math.Ceiling(0.99 * latencies.Count) - 1];
        Assert.True(p99 < 1.0, $"p99 visibility latency {p99:0.###} s");
        var online = await OnlineAsync(http);
        Assert.Equal(rows.Ids.Length, online.GetProperty("rows_seen").GetInt64());
        Assert.Equal(Window, online.GetProperty("window_rows").GetInt32());

        // The final window against the batch engine on the last N rows as one chunk (estimate --chunk-number 1), and
        // the model's own thresholds (fitted with its chunking of N) for the alert.
        var last = LastRows(rows.Ids.Length - Window, Window);
        var reference = PredictionFileReader.Read(model.Reference, model.Columns with { Id = null }, requireTargets: true, requirePredictions: true).Set;
        var oneChunk = Cbpe.Fit(reference, model.Options with { Chunking = Chunking.ByNumber(1) }).Estimate(last, "car_loan").Rows.Where(r => r.Period == Period.Analysis).ToList();
        var byWindow = Cbpe.Fit(reference, model.Options).Estimate(last, "car_loan").Rows.Where(r => r.Period == Period.Analysis).ToList();
        Assert.Equal(model.Options.Metrics.Count, oneChunk.Count);
        foreach (var expected in oneChunk)
        {
            var actual = online.GetProperty("metrics").GetProperty(expected.Metric);
            Assert.Equal(expected.Estimated, actual.GetProperty("estimated").GetDouble(), 1e-9);
            Assert.Equal(expected.SamplingError, actual.GetProperty("sampling_error").GetDouble(), 1e-9);
            Assert.Equal(expected.LowerConfidenceBound, actual.GetProperty("lower_confidence_bound").GetDouble(), 1e-9);
            Assert.Equal(expected.UpperConfidenceBound, actual.GetProperty("upper_confidence_bound").GetDouble(), 1e-9);
            var thresholds = Assert.Single(byWindow, r => r.Metric == expected.Metric);
            Assert.Equal(thresholds.Alert, actual.GetProperty("alert").GetBoolean());
            Assert.Equal(thresholds.LowerThreshold!.Value, actual.GetProperty("lower_threshold").GetDouble(), 1e-12);
        }

        // The verdict: inconclusive until the window is full, pass over the reference-like rows, fail once the decayed
        // rows (from row 25,000 on: NannyML's chunks 5-9) fill enough of the window, at the latest when it is chunk 5.
        Assert.All(verdicts.Where(v => v.Rows < Window), v => Assert.Equal("inconclusive", v.Verdict));
        Assert.Equal("pass", verdicts.Single(v => v.Rows == 25_000).Verdict);
        var firstFail = verdicts.First(v => v.Verdict == "fail").Rows;
        Assert.InRange(firstFail, 25_001, 30_000);
        var final = await VerdictAsync(http);
        Assert.Equal("fail", final.GetProperty("verdict").GetString());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await http.GetAsync("/v1/models/car_loan/verdict?gate=fail")).StatusCode);
        Assert.Contains(final.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("window of the last 5000 rows: roc_auc whole band", StringComparison.Ordinal));

        // Every N rows closed a chunk: the store holds the demo's ten chunks with its numbers, and its P1 fires.
        var runner = new ModelRunner(config.StoreDirectory);
        await TestHosts.WaitUntilAsync(
            () => runner.ReadEstimates("car_loan").Count(r => r.Period == "analysis" && !r.Provisional && r.Metric == "roc_auc") == 10,
            TimeSpan.FromSeconds(120),
            "ten final chunks in the store");
        var demo = TestData.ExpectedCarLoanEstimates(model).Where(r => r.Period == "analysis").ToDictionary(r => (r.ChunkIndex, r.Metric));
        foreach (var record in runner.ReadEstimates("car_loan").Where(r => r.Period == "analysis"))
        {
            Assert.Equal(demo[(record.ChunkIndex, record.Metric)].Estimated!.Value, record.Estimated!.Value, 1e-9);
        }

        await TestHosts.WaitUntilAsync(
            () => runner.ReadAlertStatus("car_loan").Any(a => a.State == "firing" && a.Severity == "P1"),
            TimeSpan.FromSeconds(60),
            "the store's P1 alert");
        var withStore = await VerdictAsync(http);
        Assert.Contains(withStore.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("P1 alert firing in the store: roc_auc (objective)", StringComparison.Ordinal));

        // The rollback hook is called exactly once for the incident, with the firing chunk's numbers from the store, and
        // not again while the alert keeps firing (the estimate and notify jobs keep running every second meanwhile).
        await TestHosts.WaitUntilAsync(() => !deploy.Posts.IsEmpty, TimeSpan.FromSeconds(60), "the rollback posted");
        await Task.Delay(TimeSpan.FromSeconds(5));
        var rollback = Assert.Single(deploy.On("/rollback"));
        Assert.Equal(
            ("rollback", "car_loan", "roc_auc", "P1"),
            (rollback.GetProperty("action").GetString(), rollback.GetProperty("model").GetString(), rollback.GetProperty("metric").GetString(), rollback.GetProperty("severity").GetString()));
        Assert.Equal(0.969, rollback.GetProperty("objective").GetDouble(), 1e-12);
        var firing = demo[(rollback.GetProperty("chunk_index").GetInt32(), "roc_auc")];
        Assert.Equal(firing.Estimated!.Value, rollback.GetProperty("estimated").GetDouble(), 1e-9);
        Assert.Equal(firing.UpperConfidenceBound!.Value, rollback.GetProperty("upper_confidence_bound").GetDouble(), 1e-9);
        Assert.True(firing.UpperConfidenceBound!.Value < 0.969, "the firing chunk's whole band is below the objective");
        Assert.False(string.IsNullOrEmpty(rollback.GetProperty("dedup_key").GetString()));
        Assert.Single(deploy.Posts, p => p.Path == "/rollback" && !string.IsNullOrEmpty(p.IdempotencyKey));
    }

    private static PredictionSet LastRows(int start, int count)
    {
        var rows = OnlineTestData.CarLoan;
        return new PredictionSet(rows.Scores[start..(start + count)], rows.Predictions[start..(start + count)], null, rows.Timestamps[start..(start + count)]);
    }

    private static async Task<JsonElement> OnlineAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("/v1/models/car_loan/online")).RootElement;

    private static async Task<JsonElement> VerdictAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("/v1/models/car_loan/verdict")).RootElement;
}
