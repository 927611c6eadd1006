using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Estimator.Benchmarks;

/// <summary>
/// The online path's load test (loopback only, bounded in time): <c>CONNECTIONS</c> clients post pre-built batches of
/// <c>BATCH</c> rows to <c>POST /v1/models/MODEL/predictions</c> for <c>SECONDS</c> seconds while one client polls
/// <c>GET /v1/models/MODEL/online</c>. Reports acknowledged rows/s, the p50/p99 acknowledgement latency (a 202 means
/// durable and applied to the window) and the p50/p99 latency of a refreshed estimate (GET after new rows: the window's
/// estimate computed again), and the p99 time from sending a batch to seeing it in <c>/online</c>.
/// </summary>
internal static class OnlineLoad
{
    public static async Task RunAsync(string url, string model, int seconds, int connections, int batch)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || !baseUri.IsLoopback)
        {
            throw new ArgumentException("The load test posts to a loopback address only.", nameof(url));
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections + 1 }) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        var bodies = Enumerable.Range(0, 64).Select(k => Body(k, batch)).ToArray();
        var predictions = $"/v1/models/{model}/predictions";
        var online = $"/v1/models/{model}/online";
        var acks = new List<double>[connections];
        var visible = new List<double>();
        var refreshes = new List<double>();
        long rows = 0, refused = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var clock = Stopwatch.StartNew();
        var posters = Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            acks[c] = [];
            for (var k = c; !stop.IsCancellationRequested; k += connections)
            {
                var sent = clock.Elapsed;
                using var content = new ByteArrayContent(bodies[k % bodies.Length]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(predictions, content).ConfigureAwait(false);
                if ((int)response.StatusCode == 429)
                {
                    Interlocked.Increment(ref refused);
                    continue;
                }

                response.EnsureSuccessStatusCode();
                acks[c].Add((clock.Elapsed - sent).TotalMilliseconds);
                Interlocked.Add(ref rows, batch);
            }
        })).ToList();

        // One reader: each GET after new rows recomputes the window's estimate; a batch is visible once rows_seen covers it.
        var poller = Task.Run(async () =>
        {
            long seen = 0;
            while (!stop.IsCancellationRequested)
            {
                var asked = clock.Elapsed;
                using var document = JsonDocument.Parse(await http.GetStringAsync(online).ConfigureAwait(false));
                var took = (clock.Elapsed - asked).TotalMilliseconds;
                var now = document.RootElement.GetProperty("rows_seen").GetInt64();
                if (now != seen)
                {
                    refreshes.Add(took);
                    seen = now;
                }

                visible.Add(took);
                await Task.Delay(20).ConfigureAwait(false);
            }
        });

        await Task.WhenAll(posters).ConfigureAwait(false);
        await poller.ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = acks.SelectMany(a => a).Order().ToList();
        var refresh = refreshes.Order().ToList();

        // Visible = a batch's acknowledgement (applied to the window) plus one GET that computes the estimate.
        var ackP99 = Percentile(all, 0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rows/s {rows / elapsed:0} ({rows} rows in {elapsed:0.0} s, {all.Count} requests of {batch}, {connections} connections, {refused} refused with 429)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ack latency ms p50 {Percentile(all, 0.5):0.0} p99 {ackP99:0.0}; refreshed /online GET ms p50 {Percentile(refresh, 0.5):0.0} p99 {Percentile(refresh, 0.99):0.0} ({refresh.Count} refreshes); visible p99 <= {ackP99 + Percentile(refresh, 0.99):0.0} ms"));
    }

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Count) - 1)];

    /// <summary>A batch of car-loan-like rows: two-decimal scores (as the car-loan model's), predictions at 0.5, unique ids per batch.</summary>
    private static byte[] Body(int k, int batch)
    {
        var random = new Random(k);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            var t = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(k);
            for (var i = 0; i < batch; i++)
            {
                var score = Math.Round(random.NextDouble(), 2);
                w.WriteStartObject();
                w.WriteString("id", string.Create(CultureInfo.InvariantCulture, $"{k}-{i}"));
                w.WriteNumber("y_pred_proba", score);
                w.WriteNumber("y_pred", score >= 0.5 ? 1 : 0);
                w.WriteString("timestamp", t.AddMilliseconds(i));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return stream.ToArray();
    }
}
