using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Estimator.Host.Configuration;
using Estimator.Host.Tests.Notifications;
using Estimator.Host.Tests.Online;
using Estimator.Monitoring.Online;

namespace Estimator.Host.Tests.Cli;

/// <summary>
/// <c>kill -9</c> of <c>estimator serve</c> while clients post predictions concurrently: after a restart every
/// acknowledged row is in the store exactly once (closed chunks and the write-ahead log), none is doubled, and the
/// restarted host counts exactly the stored rows.
/// </summary>
public sealed class OnlineKillTests : IDisposable
{
    private const int Window = 2_000;
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Serve_KilledDuringIngestion_LosesNoAcknowledgedRow_AndDoublesNone()
    {
        var configPath = OnlineTestData.WriteConfig(temp.Path, Window);
        var config = EstimatorConfig.Load(configPath);
        var port = Receiver.FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        var acknowledged = new ConcurrentBag<string>();
        var interrupted = 0;

        using (var first = Start(configPath, port))
        {
            await WaitReadyAsync(http, first);
            using var stop = new CancellationTokenSource();
            var posters = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
            {
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    var size = 137 + (batch % 5 * 61);
                    var offset = (worker * 10_000) + (batch * 400 % 9_000);
                    var ids = Enumerable.Range(0, size).Select(i => string.Create(CultureInfo.InvariantCulture, $"w{worker}-b{batch}-r{i}")).ToArray();
                    try
                    {
                        var response = await http.PostAsync("/v1/models/car_loan/predictions", OnlineTestData.Json(OnlineTestData.Body(offset, size, i => ids[i - offset])));
                        if (response.StatusCode != HttpStatusCode.Accepted)
                        {
                            continue;
                        }

                        foreach (var id in ids)
                        {
                            acknowledged.Add(id);
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref interrupted);
                        return; // the host is gone
                    }
                }
            })).ToList();

            try
            {
                // Let several chunks close, then kill the process in the middle of the posting.
                await TestHosts.WaitUntilAsync(() => acknowledged.Count > Window * 4, TimeSpan.FromSeconds(60), "four chunks of rows");
            }
            finally
            {
                first.Kill();
                await first.WaitForExitAsync();
                await stop.CancelAsync();
                await Task.WhenAll(posters);
            }
        }

        // Posts were in flight when the process died (their rows may or may not have been logged: not acknowledged).
        Assert.True(interrupted > 0, "the kill landed between posts");
        long rowsSeen;
        using (var second = Start(configPath, port))
        {
            try
            {
                await WaitReadyAsync(http, second);
            }
            catch
            {
                second.Kill();
                throw;
            }

            using var online = JsonDocument.Parse(await http.GetStringAsync("/v1/models/car_loan/online"));
            rowsSeen = online.RootElement.GetProperty("rows_seen").GetInt64();
            Assert.Equal((int)Math.Min(rowsSeen, Window), online.RootElement.GetProperty("window_rows").GetInt32());
            second.Kill();
            await second.WaitForExitAsync();
        }

        var stored = StoredIds(config);
        var doubled = stored.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToList();
        Assert.True(doubled.Count == 0, "doubled: " + string.Join(", ", doubled));
        var storedSet = stored.ToHashSet(StringComparer.Ordinal);
        var lost = acknowledged.Where(id => !storedSet.Contains(id)).Take(5).ToList();
        Assert.True(lost.Count == 0, "acknowledged but lost: " + string.Join(", ", lost));
        Assert.Equal(stored.Count, rowsSeen);
        Assert.True(stored.Count >= acknowledged.Count);
        Assert.True(stored.Count > Window * 4, $"{stored.Count} rows stored");
    }

    /// <summary>Every row id in the store: the closed chunks' files, then the write-ahead log's segments.</summary>
    private static List<string> StoredIds(EstimatorConfig config)
    {
        var model = config.Models[0].Definition;
        var directory = OnlineLog.DirectoryOf(config.StoreDirectory, model.Name);
        var files = new OnlineFiles(directory, model);
        var ids = new List<string>();
        foreach (var index in files.ClosedChunks())
        {
            var rows = files.ReadChunk(index);
            Assert.Equal(Window, rows.Count);
            ids.AddRange(rows.Ids);
        }

        using var wal = new WriteAheadLog(Path.Combine(directory, "wal"), Window);
        var closed = files.ClosedChunks().ToHashSet();
        foreach (var index in wal.Segments().Where(i => !closed.Contains(i)))
        {
            ids.AddRange(wal.ReadSegment(index, timestamps: true).Ids);
        }

        return ids;
    }

    private static async Task WaitReadyAsync(HttpClient http, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                Assert.Fail("the host exited: " + await process.StandardError.ReadToEndAsync());
            }

            try
            {
                if ((await http.GetAsync("/v1/models/car_loan/online")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the host did not serve /online in 90 s");
    }

    private static Process Start(string config, int port)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "estimator.dll");
        var info = new ProcessStartInfo("dotnet", [cli, "serve", "--config", config, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = false,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the estimator");
    }
}
