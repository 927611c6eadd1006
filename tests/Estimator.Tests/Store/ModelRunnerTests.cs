using System.Text.Json;
using DuckDB.NET.Data;
using Estimator.IO;
using Estimator.Monitoring;
using Estimator.Tests.IO;
using Parquet.Schema;

namespace Estimator.Tests.Store;

public sealed class ModelRunnerTests : IDisposable
{
    private readonly StoreFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    /// <summary>The analysis chunks NannyML computed on the whole car-loan analysis set.</summary>
    private static List<JsonElement> ExpectedAnalysisChunks(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestFiles.Expected(name)));
        return doc.RootElement.GetProperty("chunks").EnumerateArray()
            .Where(c => c.GetProperty("period").GetString() == "analysis")
            .Select(c => c.Clone())
            .ToList();
    }

    private static void AssertMatchesNannyMl(IReadOnlyList<EstimateRecord> records, string name, bool lastProvisional)
    {
        var expected = ExpectedAnalysisChunks(name);
        var analysis = records.Where(r => r.Period == "analysis").ToList();
        string[] metrics = ["roc_auc", "precision", "recall", "f1", "accuracy", "specificity"];
        Assert.Equal(expected.Count * metrics.Length, analysis.Count);
        var i = 0;
        foreach (var chunk in expected)
        {
            foreach (var metric in metrics)
            {
                var r = analysis[i++];
                var e = chunk.GetProperty("metrics").GetProperty(metric);
                Assert.Equal(chunk.GetProperty("key").GetString(), r.ChunkKey);
                Assert.Equal(chunk.GetProperty("start_index").GetInt64(), r.ChunkStartIndex);
                Assert.Equal(chunk.GetProperty("end_index").GetInt64(), r.ChunkEndIndex);
                Assert.Equal(metric, r.Metric);
                Assert.Equal(e.GetProperty("estimated").GetDouble(), r.Estimated!.Value, 9);
                Assert.Equal(e.GetProperty("sampling_error").GetDouble(), r.SamplingError!.Value, 9);
                Assert.Equal(e.GetProperty("lower_threshold").GetDouble(), r.LowerThreshold!.Value, 9);
                Assert.Equal(e.GetProperty("alert").GetBoolean(), r.Alert);
                var isLast = chunk.GetProperty("chunk_index").GetInt32() == expected.Count - 1;
                Assert.Equal(lastProvisional && isLast, r.Provisional);
                Assert.NotNull(r.RunId);
            }
        }
    }

    [Fact]
    public void Estimate_MatchesWholeDataSetChunking_WhenFilesArriveOneByOne()
    {
        var runner = fixture.Runner();
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000));
        // Seven files that do not line up with the chunks: chunks fill across files.
        int[] cuts = [0, 3000, 11_000, 12_500, 24_999, 33_333, 47_000, 50_000];
        var finals = new List<int>();
        for (var f = 0; f + 1 < cuts.Length; f++)
        {
            fixture.Drop($"analysis-{f:D2}.parquet", cuts[f], cuts[f + 1] - cuts[f]);
            var outcome = runner.Estimate(model);
            Assert.Single(outcome.FilesProcessed);
            Assert.Equal(cuts[f + 1] - cuts[f], outcome.RowsProcessed);

            var analysis = runner.ReadEstimates("car_loan").Where(r => r.Period == "analysis").ToList();
            var final = analysis.Where(r => !r.Provisional).Select(r => r.ChunkIndex).Distinct().Count();
            var open = analysis.Where(r => r.Provisional).Select(r => r.ChunkKey).Distinct().ToList();
            Assert.Equal(cuts[f + 1] / 5000, final);
            Assert.Equal(cuts[f + 1] % 5000 == 0 ? 0 : 1, open.Count);
            if (open.Count == 1)
            {
                Assert.Equal(FormattableString.Invariant($"[{final * 5000}:{cuts[f + 1] - 1}]"), open[0]);
            }

            finals.Add(final);
        }

        AssertMatchesNannyMl(runner.ReadEstimates("car_loan"), "chunk_size_5000", lastProvisional: false);
        Assert.Equal(60, runner.ReadEstimates("car_loan").Count(r => r.Period == "reference"));
    }

    [Fact]
    public void Estimate_KeepsLastPeriodProvisional_WithMonthlyChunks()
    {
        var runner = fixture.Runner();
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.ByPeriod(ChunkPeriod.Month));
        fixture.Drop("a.parquet", 0, 20_000);
        runner.Estimate(model);
        fixture.Drop("b.parquet", 20_000, 30_000);

        runner.Estimate(model);

        AssertMatchesNannyMl(runner.ReadEstimates("car_loan"), "period_M", lastProvisional: true);
    }

    [Fact]
    public void Estimate_IsIdempotent_WhenNothingNewArrived()
    {
        var runner = fixture.Runner();
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000));
        fixture.Drop("a.parquet", 0, 12_000);
        runner.Estimate(model);
        var before = Snapshot();

        var again = runner.Estimate(model);

        Assert.Empty(again.FilesProcessed);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Estimate_FinishesTheWork_AfterACrashBeforeCommit()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000));
        fixture.Drop("a.parquet", 0, 12_000);
        fixture.Runner().Estimate(model);
        fixture.Drop("b.parquet", 12_000, 9_000);
        var crashing = new ModelRunner(fixture.Store) { FileSettleTime = TimeSpan.Zero, BeforeCommit = _ => throw new IOException("killed") };

        // The run writes its chunk files, then dies before committing the state.
        Assert.Throws<IOException>(() => crashing.Estimate(model));
        var outcome = fixture.Runner().Estimate(model);

        Assert.Equal(["b.parquet"], outcome.FilesProcessed.Select(Path.GetFileName));
        var records = fixture.Runner().ReadEstimates("car_loan").Where(r => r.Period == "analysis").ToList();
        Assert.Equal(5 * 6, records.Count);
        Assert.Equal(records.Count, records.Select(r => (r.ChunkKey, r.Metric)).Distinct().Count());

        // The same as a store that saw both files without a crash.
        var clean = new ModelRunner(fixture.Store + "-clean") { FileSettleTime = TimeSpan.Zero };
        clean.Estimate(model);
        var undisturbed = clean.ReadEstimates("car_loan").Where(r => r.Period == "analysis").ToList();
        Assert.Equal(undisturbed.Select(r => r with { EstimatedAt = null, RunId = null }), records.Select(r => r with { EstimatedAt = null, RunId = null }));
        Directory.Delete(fixture.Store + "-clean", recursive: true);
    }

    [Fact]
    public void Estimate_RefitsAndReestimates_WhenReferenceOptionsChange()
    {
        var runner = fixture.Runner();
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000));
        fixture.Drop("a.parquet", 0, 50_000);
        runner.Estimate(model);
        var changed = model with { Options = model.Options with { Calibration = Calibration.CalibrationMode.Never } };

        var outcome = runner.Calibrate(changed);

        Assert.True(outcome.Refitted);
        Assert.False(outcome.CalibrationApplied);
        var records = runner.ReadEstimates("car_loan");
        Assert.Equal(120, records.Count);
        Assert.Single(records.Select(r => r.RunId).Where(r => r!.EndsWith("-calibrate", StringComparison.Ordinal)).Distinct());
        Assert.False(runner.Calibrate(changed).Refitted);
    }

    [Fact]
    public void Calibrate_Refits_WhenTheReferenceFileIsReplaced_OnTheSameRunner()
    {
        var reference = Path.Combine(fixture.Store + "-reference", "reference.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(reference)!);
        File.Copy(TestFiles.CarLoan("reference.parquet"), reference);
        var runner = fixture.Runner();
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000)) with { Reference = reference };
        var fitted = runner.Calibrate(model);
        Assert.False(runner.Calibrate(model).Refitted);

        // Another file under the same name: the first 30,000 reference rows.
        var rows = PredictionFileReader.Read(TestFiles.CarLoan("reference.parquet"), new ColumnMapping { YTrue = "repaid", Timestamp = "timestamp" }, requireTargets: true, requirePredictions: true).Set;
        using var files = new TestFiles();
        var shorter = files.WriteParquet(
            "reference.parquet",
            (new DateTimeDataField("timestamp", DateTimeFormat.Timestamp), rows.Timestamps!.Take(30_000).ToArray()),
            (new DataField<double>("y_pred_proba"), rows.Scores.Take(30_000).ToArray()),
            (new DataField<long>("y_pred"), rows.Predictions!.Take(30_000).Select(v => (long)v).ToArray()),
            (new DataField<long>("repaid"), rows.Targets!.Take(30_000).Select(v => (long)v).ToArray()));
        File.Copy(shorter, reference, overwrite: true);
        File.SetLastWriteTimeUtc(reference, DateTime.UtcNow.AddMinutes(1));
        var refitted = runner.Calibrate(model);

        Assert.True(fitted.Refitted);
        Assert.True(refitted.Refitted);
        Assert.NotEqual(fitted.Fingerprint, refitted.Fingerprint);
        Assert.Equal(refitted, new ModelRunner(fixture.Store).Calibrate(model) with { Refitted = true });
        Directory.Delete(Path.GetDirectoryName(reference)!, recursive: true);
    }

    [Fact]
    public void Estimate_SetsPoisonFilesAside_AndEstimatesTheFilesAroundThem_UntilOneChanges()
    {
        var runner = fixture.Runner();
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000));
        var a = fixture.Drop("a.parquet", 0, 10_000);
        var notParquet = Path.Combine(fixture.Incoming, "b.parquet");
        File.WriteAllText(notParquet, "not parquet");
        var truncated = fixture.Drop("c.parquet", 10_000, 5000);
        var bytes = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var d = fixture.Drop("d.parquet", 10_000, 10_000);

        var outcome = runner.Estimate(model);

        // The good files on either side of the poison ones are estimated, as a store that never saw the bad ones.
        Assert.Equal([a, d], outcome.FilesProcessed);
        Assert.Equal([notParquet, truncated], outcome.Rejected.Select(r => r.Path));
        Assert.All(outcome.Rejected, r => Assert.Contains(Path.GetFileName(r.Path), r.Error, StringComparison.Ordinal));
        using (var oracle = new StoreFixture())
        {
            oracle.Drop("a.parquet", 0, 20_000);
            var whole = StoreFixture.CarLoan(oracle.Incoming, Chunking.BySize(5000));
            oracle.Runner().Estimate(whole);
            Assert.Equal(
                oracle.Runner().ReadEstimates("car_loan").Select(r => (r.ChunkKey, r.Metric, r.Estimated, r.Provisional)),
                runner.ReadEstimates("car_loan").Select(r => (r.ChunkKey, r.Metric, r.Estimated, r.Provisional)));
        }

        // Not read again while unchanged: a later run (a new process too) has nothing to do and still reports them.
        var again = fixture.Runner().Estimate(model);
        Assert.Empty(again.FilesProcessed);
        Assert.Empty(again.Rejected);
        Assert.Equal([notParquet, truncated], fixture.Runner().ReadRejected("car_loan").Select(r => r.Path));

        // Replaced by a good file: tried again and estimated; the other stays set aside.
        fixture.Drop("b.parquet", 20_000, 5000);
        var fixedRun = runner.Estimate(model);
        Assert.Equal([notParquet], fixedRun.FilesProcessed);
        Assert.Equal([truncated], runner.ReadRejected("car_loan").Select(r => r.Path));
    }

    [Fact]
    public void Estimate_WaitsForFilesStillBeingWritten()
    {
        var time = new ManualClock(DateTimeOffset.UtcNow);
        var runner = new ModelRunner(fixture.Store, time) { FileSettleTime = TimeSpan.FromMinutes(5) };
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000));
        fixture.Drop("a.parquet", 0, 10_000);

        Assert.Empty(runner.Estimate(model).FilesProcessed);
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Single(runner.Estimate(model).FilesProcessed);
    }

    [Fact]
    public void Estimate_RefusesUnsafeModelNames()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000), name: "../escape");

        Assert.Throws<EstimatorDataException>(() => fixture.Runner().Estimate(model));
        Assert.False(Directory.Exists(Path.Combine(fixture.Store, "..", "escape")));
    }

    [Fact]
    public void Store_IsReadByDuckDb_WithEveryChunkAndMetricOnce()
    {
        var runner = fixture.Runner();
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000));
        fixture.Drop("a.parquet", 0, 23_000);
        runner.Estimate(model);
        fixture.Drop("b.parquet", 23_000, 4_000);
        runner.Estimate(model);

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var glob = Path.Combine(fixture.Store, "car_loan", "estimates", "**", "*.parquet").Replace("'", "''", StringComparison.Ordinal);
        command.CommandText = $"SELECT count(*), count(DISTINCT period || chunk_key || metric), CAST(count_if(provisional) AS BIGINT) FROM read_parquet('{glob}')";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        // 10 reference + 5 final + 1 provisional ([25000:26999]) analysis chunks, 6 metrics each.
        Assert.Equal(16 * 6, reader.GetInt64(0));
        Assert.Equal(16 * 6, reader.GetInt64(1));
        Assert.Equal(6, reader.GetInt64(2));
    }

    private SortedDictionary<string, string> Snapshot()
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(fixture.Store, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) != ".lock")
            {
                result[Path.GetRelativePath(fixture.Store, file)] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));
            }
        }

        return result;
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset now = now;

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
