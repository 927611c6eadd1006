using Estimator.IO;
using Estimator.Monitoring;
using Estimator.Monitoring.Online;

namespace Estimator.Host.Tests.Online;

/// <summary>The online log's recovery: what a crash can leave on disk, and what a restart makes of it.</summary>
public sealed class OnlineLogTests : IDisposable
{
    private const int Window = 10;
    private readonly TempDirectory temp = TestData.NewTempDirectory();
    private readonly ModelDefinition model = new("m", "ref.parquet", "in", null, "id", new ColumnMapping { YTrue = "y", Timestamp = "ts" }, new Estimator.Estimation.CbpeOptions());

    public void Dispose() => temp.Dispose();

    private static OnlineRows Rows(int first, int count) => new(
        [.. Enumerable.Range(first, count).Select(i => "r" + i)],
        [.. Enumerable.Range(first, count).Select(i => (i % 100) / 100.0)],
        [.. Enumerable.Range(first, count).Select(i => (double)(i % 2))],
        [.. Enumerable.Range(first, count).Select(i => new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(i))]);

    private string Directory => OnlineLog.DirectoryOf(temp.Path, "m");

    [Fact]
    public void Recover_CutsATornRecord_AndKeepsEveryWholeOne()
    {
        using (var log = new OnlineLog(temp.Path, model, Window))
        {
            log.Recover();
            log.Append(Rows(0, 3));
            log.Append(Rows(3, 4));
            log.Commit();
        }

        // A crash in the middle of the third record's write: half of it on disk.
        var segment = Path.Combine(Directory, "wal", "wal-000000000.bin");
        var whole = new FileInfo(segment).Length;
        using (var log = new OnlineLog(temp.Path, model, Window))
        {
            log.Recover();
            log.Append(Rows(7, 2));
            log.Commit();
        }

        var full = File.ReadAllBytes(segment);
        File.WriteAllBytes(segment, full[..(int)(whole + ((full.Length - whole) / 2))]);

        using var recovered = new OnlineLog(temp.Path, model, Window);
        var (last, open) = recovered.Recover();
        Assert.Equal(7, recovered.RowsSeen);
        Assert.Equal([.. Enumerable.Range(0, 7).Select(i => "r" + i)], last.Ids);
        Assert.Equal(last.Ids, open.Ids);
        Assert.Equal(whole, new FileInfo(segment).Length);
        Assert.Equal(Rows(0, 7).Timestamps, last.Timestamps);
    }

    [Fact]
    public void Recover_ClosesAFullChunkLeftOnlyInTheLog_AndRebuildsTheLastNRows()
    {
        using (var log = new OnlineLog(temp.Path, model, Window))
        {
            log.Recover();

            // 25 rows: chunks 0 and 1 full (never closed: the crash came first), 5 rows of chunk 2 open.
            log.Append(Rows(0, 8));
            log.Append(Rows(8, 17));
            log.Commit();
        }

        using var recovered = new OnlineLog(temp.Path, model, Window);
        var (last, open) = recovered.Recover();
        Assert.Equal(25, recovered.RowsSeen);
        Assert.Equal([.. Enumerable.Range(15, 10).Select(i => "r" + i)], last.Ids);
        Assert.Equal([.. Enumerable.Range(20, 5).Select(i => "r" + i)], open.Ids);
        var files = new OnlineFiles(Directory, model);
        Assert.Equal([0L, 1L], files.ClosedChunks());
        Assert.Equal([.. Enumerable.Range(10, 10).Select(i => "r" + i)], files.ReadChunk(1).Ids);
        Assert.Equal(Rows(10, 10).Scores, files.ReadChunk(1).Scores);
        Assert.Equal(["wal-000000002.bin"], System.IO.Directory.GetFiles(Path.Combine(Directory, "wal")).Select(Path.GetFileName));

        // Appending goes on from row 25, and a second process cannot take the log.
        recovered.Append(Rows(25, 5));
        recovered.Commit();
        using var other = new OnlineLog(temp.Path, model, Window);
        Assert.Throws<IOException>(() => other.Recover());
    }

    [Fact]
    public void Recover_KeepsEachRowsFeatures_ThroughTheLogAndTheClosedChunkFiles()
    {
        // A shift-aware model's rows: x numeric (NaN missing every 7th row), g categorical (null every 5th row, one
        // non-ASCII category).
        var shiftAware = model with { Estimator = Estimator.Estimation.Shift.ShiftEstimator.Weighted, Features = ["x", "g"] };
        static OnlineRows WithFeatures(OnlineRows rows, int first) => rows with
        {
            Features =
            [
                new Estimator.Calculators.NumericFeature("x", [.. Enumerable.Range(first, rows.Count).Select(i => i % 7 == 0 ? double.NaN : (i * 0.1) - 1)]),
                new Estimator.Calculators.CategoricalFeature("g", [.. Enumerable.Range(first, rows.Count).Select(i => i % 5 == 0 ? null : i % 3 == 0 ? "ü" : "B" + (i % 2))]),
            ],
        };
        var all = WithFeatures(Rows(0, 25), 0);
        using (var log = new OnlineLog(temp.Path, shiftAware, Window))
        {
            log.Recover();
            log.Append(all.Slice(0, 8));
            log.Append(all.Slice(8, 17));
            log.Commit();
        }

        using var recovered = new OnlineLog(temp.Path, shiftAware, Window);
        var (last, open) = recovered.Recover();
        var expected = all.Slice(15, 10);
        AssertSameFeatures(expected, last);
        AssertSameFeatures(all.Slice(20, 5), open);
        var files = new OnlineFiles(Directory, shiftAware);
        AssertSameFeatures(all.Slice(10, 10), files.ReadChunk(1));
    }

    private static void AssertSameFeatures(OnlineRows expected, OnlineRows actual)
    {
        Assert.Equal(expected.Ids, actual.Ids);
        Assert.Equal(Numbers(expected), Numbers(actual));
        Assert.Equal(Categories(expected), Categories(actual));
    }

    private static double[] Numbers(OnlineRows rows) => ((Estimator.Calculators.NumericFeature)rows.Features!.Single(f => f.Name == "x")).Values;

    private static string?[] Categories(OnlineRows rows) => ((Estimator.Calculators.CategoricalFeature)rows.Features!.Single(f => f.Name == "g")).Values;
}
