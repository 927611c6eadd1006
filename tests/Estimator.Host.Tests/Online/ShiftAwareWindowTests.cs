using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Estimator.Estimation;
using Estimator.Host.Configuration;
using Estimator.Host.Online;
using Estimator.IO;
using Estimator.Monitoring.Online;
using Microsoft.Extensions.Logging.Abstractions;

namespace Estimator.Host.Tests.Online;

/// <summary>
/// A shift-aware window's refresh: throttled (batches arriving within the interval make one later refresh), and
/// rebuilt after a restart from the closed chunk file and the write-ahead log with the rows' features.
/// </summary>
public sealed class ShiftAwareWindowTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Refresh_WaitsTheInterval_AndCoalescesTheBatchesThatArriveMeanwhile()
    {
        var config = EstimatorConfig.Load(ShiftAwareOnlineData.WriteConfig(temp.Path, 100, "weighted"));
        var model = config.Models[0].Definition;
        var fitted = CbpeData.FitShiftAware(model.Reference, model.Columns, model.ToShiftOptions());
        var windowLock = new Lock();
        var interval = TimeSpan.FromMilliseconds(1500);
        await using var window = new ShiftAwareWindow(fitted, "world", 100, predictions: true, timestamps: true, interval, TimeProvider.System, NullLogger.Instance, windowLock);
        window.Start();
        Assert.Equal((0L, 0), (window.Latest.RowsSeen, window.Latest.WindowRows));

        Add(window, windowLock, 0, 10);
        await UntilAsync(() => window.Latest.RowsSeen == 10, "the first refresh");
        var first = window.Latest.UpdatedAt!.Value;

        // Two more batches at once: no refresh before the interval has passed since the last, then one with both.
        Add(window, windowLock, 10, 10);
        Add(window, windowLock, 20, 10);
        // (A stalled machine may reach the interval within the 700 ms; a refresh seen then must be at least the interval late.)
        await Task.Delay(700);
        var meanwhile = window.Latest;
        Assert.True(meanwhile.RowsSeen == 10 || meanwhile.UpdatedAt!.Value - first >= interval, $"{meanwhile.RowsSeen} rows refreshed {meanwhile.UpdatedAt - first} after the last");
        await UntilAsync(() => window.Latest.RowsSeen == 30, "the throttled refresh");
        Assert.True(window.Latest.UpdatedAt!.Value - first >= interval, $"refreshed {window.Latest.UpdatedAt - first} after the last");
        Assert.Equal(("weighted", 30), (window.Latest.Estimator, window.Latest.WindowRows));

        // The throttled refresh estimated all 30 rows as the calculator estimates them as one chunk.
        var expected = fitted.Estimate(ShiftAwareOnlineData.Slice(0, 30), "world", ComputeOptions.Default).Rows.Where(r => r.Period == Period.Analysis).ToList();
        Assert.Single(expected.Select(r => r.Chunk.Index).Distinct());
        foreach (var e in expected)
        {
            Assert.Equal(e.Estimated, window.Latest.Metrics.Single(m => m.Name == e.Metric).Estimated, 1e-9);
        }
    }

    [Fact]
    public async Task Restart_RebuildsTheWindowWithItsFeatures_FromTheClosedChunkAndTheLog()
    {
        const int window = 5_000, first = 22_500, rows = 7_500;
        var path = ShiftAwareOnlineData.WriteConfig(temp.Path, window, "weighted", ", refresh_ms: 100");
        var config = EstimatorConfig.Load(path);
        await using (var app = await TestHosts.StartAsync(config, null, "http://127.0.0.1:0"))
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(120) };
            for (var b = 0; b < rows / 2_500; b++)
            {
                var response = await http.PostAsync("/v1/models/world/predictions", OnlineTestData.Json(ShiftAwareOnlineData.Body(first + (b * 2_500), 2_500)));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }
        }

        // The last 5,000 rows: 2,500 from closed chunk 0's file, 2,500 from the log.
        Assert.True(File.Exists(Path.Combine(OnlineLog.InboxOf(config.StoreDirectory, "world"), "online-000000000.parquet")));
        var model = config.Models[0].Definition;
        var expected = CbpeData.FitShiftAware(model.Reference, model.Columns, model.ToShiftOptions())
            .Estimate(ShiftAwareOnlineData.Slice(first + rows - window, window), "world", ComputeOptions.Default).Rows.Where(r => r.Period == Period.Analysis).ToList();
        Assert.Equal(5, expected.Count);

        await using var restarted = await TestHosts.StartAsync(EstimatorConfig.Load(path), null, "http://127.0.0.1:0");
        using var client = new HttpClient { BaseAddress = new Uri(restarted.Urls.Single()), Timeout = TimeSpan.FromSeconds(120) };
        var online = JsonDocument.Parse(await client.GetStringAsync("/v1/models/world/online")).RootElement;
        Assert.Equal((rows, window), (online.GetProperty("rows_seen").GetInt64(), online.GetProperty("window_rows").GetInt32()));
        Assert.Equal(expected[0].Estimator, online.GetProperty("estimator").GetString());
        Assert.Equal(expected[0].EffectiveSampleSize!.Value, online.GetProperty("effective_sample_size").GetDouble(), 1e-9);
        Assert.Equal(expected[0].EstimatorReason, online.GetProperty("estimator_reason").GetString());
        Assert.NotNull(expected[0].EstimatorReason);
        foreach (var e in expected)
        {
            Assert.Equal(e.Estimated, online.GetProperty("metrics").GetProperty(e.Metric).GetProperty("estimated").GetDouble(), 1e-9);
        }
    }

    private static void Add(ShiftAwareWindow window, Lock windowLock, int start, int count)
    {
        var rows = ShiftAwareOnlineData.Analysis;
        var data = ShiftAwareOnlineData.Slice(start, count);
        lock (windowLock)
        {
            window.Add(new OnlineRows(rows.Ids[start..(start + count)], data.Scores!, data.Predictions!, data.Timestamps, data.Features), start + count);
        }

        window.Changed();
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }
}
