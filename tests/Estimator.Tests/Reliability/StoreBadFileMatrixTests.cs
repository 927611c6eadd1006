using Estimator.IO;
using Estimator.Monitoring;
using Estimator.Tests.IO;
using Estimator.Tests.Store;
using Parquet.Schema;

namespace Estimator.Tests.Reliability;

/// <summary>
/// The store's bad-file matrix (issue #19): a bad file dropped between two good ones into one model's analysis (or
/// label) folder, beside a second model with only good files. Each bad file must be set aside in that model's
/// <c>rejected.json</c> with a message naming it, the good files around it and the other model must still be estimated
/// (reconciled), and no temporary or half-written file may remain in the store.
/// </summary>
public sealed class StoreBadFileMatrixTests : IDisposable
{
    private readonly StoreFixture a = new();
    private readonly StoreFixture b = new();
    private readonly TestFiles labels = new();

    public void Dispose()
    {
        a.Dispose();
        b.Dispose();
        labels.Dispose();
    }

    private ModelDefinition ModelA => StoreFixture.CarLoan(a.Incoming, Chunking.BySize(5000), "model_a") with { Analysis = a.Incoming, Targets = labels.PathOf("a") };

    private ModelDefinition ModelB => StoreFixture.CarLoan(b.Incoming, Chunking.BySize(5000), "model_b") with { Analysis = b.Incoming, Targets = labels.PathOf("b") };

    private static readonly Lazy<byte[]> GoodParquet = new(() =>
    {
        using var source = new StoreFixture();
        return File.ReadAllBytes(source.Drop("x.parquet", 20_000, 1000));
    });

    private static readonly Lazy<(long[] Ids, long[] Targets)> AllTargets = new(() =>
    {
        var table = PredictionFileReader.Read(
            TestFiles.CarLoan("analysis_targets.parquet"),
            new ColumnMapping { YPredProba = "repaid", YPred = null, YTrue = "repaid", Id = "id" },
            requireTargets: true,
            requirePredictions: false);
        return (table.Ids!.Select(long.Parse).ToArray(), table.Set.Targets!.Select(t => (long)t).ToArray());
    });

    /// <summary>Bad analysis files: the file name (its extension picks the reader), how it is written, and what its rejection must say.</summary>
    public static TheoryData<string, string, string[]> AnalysisCases => new()
    {
        { "text.parquet", "text", ["cannot be read as Parquet"] },
        { "empty.parquet", "empty", ["Parquet"] },
        { "empty.csv", "empty", ["is empty"] },
        { "half-written.parquet", "half", ["cannot be read as Parquet"] },
        { "no-magic.parquet", "drop-tail", ["cannot be read as Parquet"] },
        { "bad-footer.parquet", "bad-footer", ["cannot be read as Parquet", "footer"] },
        { "garbage.parquet", "large-garbage", ["cannot be read as Parquet"] },
        { "garbage.csv", "large-garbage", ["binary data"] },
        { "wrong-schema.parquet", "wrong-schema-parquet", ["column 'y_pred_proba'", "not found"] },
        { "wrong-schema.csv", "id,a,b\n1,2,3\n", ["column 'y_pred_proba'", "not found"] },
        { "header-only.csv", "id,timestamp,y_pred_proba,y_pred\n", ["only a header row"] },
        { "half-written.csv", "id,timestamp,y_pred_proba,y_pred\n900001,2019-01-01T00:00:00,0.5,1\n900002,2019-01-01T00:01:00,0.", ["row 1"] },
        { "score-range.csv", "id,timestamp,y_pred_proba,y_pred\n900001,2019-01-01T00:00:00,0.5,1\n900002,2019-01-01T00:01:00,1.5,1\n", ["column 'y_pred_proba'", "row 1", "outside [0, 1]"] },
        { "score-text.csv", "id,timestamp,y_pred_proba,y_pred\n900001,2019-01-01T00:00:00,high,1\n", ["column 'y_pred_proba'", "row 0", "'high'"] },
        { "pred-label.csv", "id,timestamp,y_pred_proba,y_pred\n900001,2019-01-01T00:00:00,0.5,7\n", ["column 'y_pred'", "row 0", "value 7"] },
        { "unclosed-quote.csv", "id,timestamp,y_pred_proba,y_pred\n900001,2019-01-01T00:00:00,\"0.5,1\n", ["unclosed-quote.csv"] },
        { "no-timestamp.csv", "id,y_pred_proba,y_pred\n900001,0.5,1\n", ["column 'timestamp'", "not found"] },
    };

    /// <summary>Bad label files, as <see cref="AnalysisCases"/>.</summary>
    public static TheoryData<string, string, string[]> LabelCases => new()
    {
        { "text.parquet", "text", ["cannot be read as Parquet"] },
        { "empty.parquet", "empty", ["Parquet"] },
        { "half-written.parquet", "half", ["cannot be read as Parquet"] },
        { "garbage.csv", "large-garbage", ["binary data"] },
        { "no-id.csv", "key,repaid\n1,0\n", ["column 'id'", "not found"] },
        { "not-a-label.csv", "id,repaid\n1,0\n2,3\n", ["column 'repaid'", "row 1", "value 3"] },
        { "text-label.csv", "id,repaid\n1,yes\n", ["column 'repaid'", "row 0", "'yes'"] },
        { "header-only.csv", "id,repaid\n", ["only a header row"] },
    };

    [Theory]
    [MemberData(nameof(AnalysisCases))]
    public void BadAnalysisFile_IsSetAside_AndEverythingElseIsEstimated(string name, string content, string[] mentions)
    {
        var first = a.Drop("a1.parquet", 0, 5000);
        var bad = WriteBad(Path.Combine(a.Incoming, "a2-" + name), content);
        var third = a.Drop("a3.parquet", 5000, 5000);
        var other = b.Drop("b1.parquet", 0, 10_000);
        var runner = a.Runner();
        var badBytes = File.ReadAllBytes(bad);

        var outcomeA = runner.Estimate(ModelA);
        var outcomeB = runner.Estimate(ModelB);

        Assert.Equal([first, third], outcomeA.FilesProcessed);
        AssertSetAside(runner, "model_a", outcomeA.Rejected, bad, mentions);
        Assert.Equal([other], outcomeB.FilesProcessed);
        Assert.Empty(outcomeB.Rejected);
        Assert.Empty(runner.ReadRejected("model_b"));
        // Both models have their two chunks of 5000 rows; the bad file added none.
        Assert.Equal([0L, 5000L], AnalysisChunkStarts(runner, "model_a"));
        Assert.Equal([0L, 5000L], AnalysisChunkStarts(runner, "model_b"));
        Assert.Equal(badBytes, File.ReadAllBytes(bad));
        AssertNothingHalfWritten();

        // The next run does not fail on it again, nor read it.
        var again = runner.Estimate(ModelA);
        Assert.Empty(again.FilesProcessed);
        Assert.Equal([bad], runner.ReadRejected("model_a").Select(r => r.Path));
    }

    [Theory]
    [MemberData(nameof(LabelCases))]
    public void BadLabelFile_IsSetAside_AndEverythingElseIsReconciled(string name, string content, string[] mentions)
    {
        a.Drop("a1.parquet", 0, 10_000);
        b.Drop("b1.parquet", 0, 10_000);
        var runner = a.Runner();
        runner.Estimate(ModelA);
        runner.Estimate(ModelB);
        var first = DropLabels("a", "t1.parquet", 0, 5000);
        var bad = WriteBad(Path.Combine(labels.PathOf("a"), "t2-" + name), content);
        var third = DropLabels("a", "t3.parquet", 5000, 5000);
        var other = DropLabels("b", "t1.parquet", 0, 10_000);

        var outcomeA = runner.Reconcile(ModelA);
        var outcomeB = runner.Reconcile(ModelB);

        Assert.Equal([first, third], outcomeA.FilesProcessed);
        Assert.Equal(10_000, outcomeA.LabelsRead);
        AssertSetAside(runner, "model_a", outcomeA.Rejected, bad, mentions);
        Assert.Equal([other], outcomeB.FilesProcessed);
        Assert.Empty(outcomeB.Rejected);
        Assert.Empty(runner.ReadRejected("model_b"));
        Assert.Equal(10_000, runner.ReadLedger("model_a").Where(l => l.Metric == "roc_auc").Sum(l => l.LabelledRows));
        AssertNothingHalfWritten();

        // Still set aside after the next estimate run and the next reconcile run, which reads nothing.
        runner.Estimate(ModelA);
        Assert.Equal([bad], runner.ReadRejected("model_a").Select(r => r.Path));
        var again = runner.Reconcile(ModelA);
        Assert.Empty(again.FilesProcessed);
        Assert.Equal([bad], runner.ReadRejected("model_a").Select(r => r.Path));
    }

    private static void AssertSetAside(ModelRunner runner, string model, IReadOnlyList<RejectedFile> rejected, string bad, string[] mentions)
    {
        var file = Assert.Single(rejected);
        Assert.Equal(bad, file.Path);
        Assert.Contains(Path.GetFileName(bad), file.Error, StringComparison.Ordinal);
        foreach (var mention in mentions)
        {
            Assert.True(file.Error.Contains(mention, StringComparison.Ordinal), $"'{mention}' is not named in: {file.Error}");
        }

        Assert.Equal([bad], runner.ReadRejected(model).Select(r => r.Path));
    }

    private static List<long> AnalysisChunkStarts(ModelRunner runner, string model) =>
        [.. runner.ReadEstimates(model).Where(r => r.Period == "analysis").Select(r => r.ChunkStartIndex).Distinct().Order()];

    private void AssertNothingHalfWritten()
    {
        var leftovers = Directory.GetFiles(a.Store, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".tmp", StringComparison.Ordinal) || (Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != ".lock"))
            .ToList();
        Assert.True(leftovers.Count == 0, "left in the store: " + string.Join(", ", leftovers.Select(f => Path.GetRelativePath(a.Store, f))));
    }

    private string DropLabels(string model, string name, int start, int count)
    {
        var (ids, targets) = AllTargets.Value;
        Directory.CreateDirectory(labels.PathOf(model));
        return labels.WriteParquet(
            Path.Combine(model, name),
            (new DataField<long>("id"), ids.AsSpan(start, count).ToArray()),
            (new DataField<long>("repaid"), targets.AsSpan(start, count).ToArray()));
    }

    /// <summary>Writes a bad file: a named kind of damage, or the given text.</summary>
    private static string WriteBad(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var good = GoodParquet.Value;
        byte[] bytes = content switch
        {
            "text" => "this is not a data file\n"u8.ToArray(),
            "empty" => [],
            "half" => good[..(good.Length / 2)],
            "drop-tail" => good[..^4],
            "bad-footer" => [.. good[..^8], .. BitConverter.GetBytes(good.Length * 4), .. "PAR1"u8.ToArray()],
            "large-garbage" => Garbage(8 << 20),
            "wrong-schema-parquet" => WrongSchema(),
            _ => System.Text.Encoding.UTF8.GetBytes(content),
        };
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Garbage(int length)
    {
        var bytes = new byte[length];
        new Random(19).NextBytes(bytes);
        return bytes;
    }

    private static byte[] WrongSchema()
    {
        using var files = new TestFiles();
        return File.ReadAllBytes(files.WriteParquet("w.parquet", (new DataField<long>("id"), new long[] { 1, 2 }), (new DataField<double>("score"), new[] { 0.1, 0.2 })));
    }
}
