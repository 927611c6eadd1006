using System.Diagnostics;
using System.Globalization;
using Estimator.Cli;
using Estimator.Host.Configuration;
using Estimator.IO;
using Estimator.Monitoring;
using Parquet;
using Parquet.Schema;

namespace Estimator.Host.Tests.Cli;

/// <summary>
/// <c>kill -9</c> of <c>estimator run</c> in the middle of a run: no partial file is ever visible, no chunk × metric
/// appears twice, and a restart leaves the store as an undisturbed run would.
/// </summary>
public sealed class KillRecoveryTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Run_KilledMidway_RestartsToTheUndisturbedStore()
    {
        var clean = WriteConfig("clean");
        var killed = WriteConfig("killed");
        Assert.Equal(0, RunCommand.Run(EstimatorConfig.Load(clean), new ModelRunnerStore(new ModelRunner(Store("clean"))), null, TextWriter.Null, TextWriter.Null, CancellationToken.None));
        var expected = Comparable(new ModelRunner(Store("clean")).ReadEstimates("car_loan"));
        Assert.Equal((50 + 200) * 6, expected.Count);

        // Kill each run as soon as it has written k chunk files of its own (k grows), so every kill lands mid-write.
        var kills = 0;
        foreach (var k in new[] { 2, 40, 120 })
        {
            var started = DateTime.UtcNow.AddMilliseconds(-5);
            using var process = Start(killed);
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (!process.HasExited && WrittenSince(Store("killed"), started) < k && DateTime.UtcNow < deadline)
            {
                AssertStoreReadable(Store("killed"));
                await Task.Delay(5);
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                kills++;
            }

            await process.WaitForExitAsync();
            AssertStoreReadable(Store("killed"));
        }

        using (var final = Start(killed))
        {
            await final.WaitForExitAsync();
            Assert.True(final.ExitCode == 0, await final.StandardError.ReadToEndAsync());
        }

        Assert.True(kills >= 2, $"only {kills} run(s) were killed mid-write; give them more work");
        Assert.Equal(expected, Comparable(new ModelRunner(Store("killed")).ReadEstimates("car_loan")));
        Assert.Empty(Directory.GetFiles(Store("killed"), "*.tmp", SearchOption.AllDirectories));
    }

    /// <summary>Analysis chunk estimate files written (renamed into place) since <paramref name="since"/>.</summary>
    private static int WrittenSince(string store, DateTime since)
    {
        var directory = Path.Combine(store, "car_loan", "estimates", "analysis");
        return Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.parquet").Count(f => File.GetLastWriteTimeUtc(f) >= since)
            : 0;
    }

    private static List<EstimateRecord> Comparable(IReadOnlyList<EstimateRecord> records) =>
        records.Select(r => r with { EstimatedAt = null, RunId = null }).ToList();

    /// <summary>Every estimate file present parses, and no chunk × metric is there twice.</summary>
    private static void AssertStoreReadable(string store)
    {
        var directory = Path.Combine(store, "car_loan", "estimates");
        if (!Directory.Exists(directory))
        {
            return;
        }

        var seen = new HashSet<(string, string, string)>();
        foreach (var file in Directory.GetFiles(directory, "*.parquet", SearchOption.AllDirectories))
        {
            IReadOnlyList<EstimateRecord> records;
            try
            {
                records = EstimateFileReader.Read(file);
            }
            catch (EstimatorDataException e) when (e.InnerException is FileNotFoundException || !File.Exists(file))
            {
                continue; // replaced between listing and opening: the new version is whole too
            }

            foreach (var r in records)
            {
                Assert.True(seen.Add((r.Period, r.ChunkKey, r.Metric)), $"{r.Period} {r.ChunkKey} {r.Metric} twice");
            }
        }
    }

    private static Process Start(string config)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "estimator.dll");
        var info = new ProcessStartInfo("dotnet", [cli, "run", "--config", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the estimator");
    }

    private string Store(string name) => Path.Combine(temp.Path, name, "store");

    /// <summary>A model over 200,000 rows in 8 files (the car-loan analysis replayed four times), 1,000-row chunks.</summary>
    private string WriteConfig(string name)
    {
        var root = Path.Combine(temp.Path, name);
        var incoming = Path.Combine(root, "incoming");
        Directory.CreateDirectory(incoming);
        var analysis = PredictionFileReader.Read(TestData.CarLoanAnalysis, new ColumnMapping { Timestamp = "timestamp", Id = "id" }, false, true);
        for (var replay = 0; replay < 4; replay++)
        {
            for (var half = 0; half < 2; half++)
            {
                var path = Path.Combine(incoming, string.Create(CultureInfo.InvariantCulture, $"part-{replay}-{half}.parquet"));
                WriteSlice(analysis, half * 25_000, 25_000, TimeSpan.FromDays(400 * replay), replay * 1_000_000L, path).GetAwaiter().GetResult();
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-5));
            }
        }

        var yaml = $"""
            store: ./store
            models:
              - name: car_loan
                reference: {TestData.CarLoanReference}
                analysis: ./incoming/*.parquet
                id_column: id
                columns: {"{"} y_pred_proba: y_pred_proba, y_pred: y_pred, y_true: repaid, timestamp: timestamp {"}"}
                chunking: {"{"} size: 1000 {"}"}
                metrics: [roc_auc, precision, recall, f1, accuracy, specificity]
                schedule: "0 * * * *"
            """;
        var config = Path.Combine(root, "estimator.yaml");
        File.WriteAllText(config, yaml);
        return config;
    }

    private static async Task WriteSlice(PredictionData a, int start, int count, TimeSpan shift, long idOffset, string path)
    {
        var id = new DataField<long>("id");
        var ts = new DateTimeDataField("timestamp", DateTimeFormat.Timestamp);
        var score = new DataField<double>("y_pred_proba");
        var prediction = new DataField<long>("y_pred");
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, ts, score, prediction), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<long>(id, a.Ids!.Skip(start).Take(count).Select(v => long.Parse(v, CultureInfo.InvariantCulture) + idOffset).ToArray());
        await group.WriteAsync<DateTime>(ts, a.Set.Timestamps!.Skip(start).Take(count).Select(t => t + shift).ToArray());
        await group.WriteAsync<double>(score, a.Set.Scores.AsSpan(start, count).ToArray());
        await group.WriteAsync<long>(prediction, a.Set.Predictions!.Skip(start).Take(count).Select(v => (long)v).ToArray());
    }
}
