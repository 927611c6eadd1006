using System.Text.Json;
using System.Text.Json.Nodes;
using Estimator.IO;
using Estimator.Monitoring;

namespace Estimator.Tests.Store;

/// <summary>
/// The state that does not grow with the history: final chunks in the chunk log, older consumed files in the
/// consumed-file log, and format-1 stores (everything in <c>state.json</c>) read and migrated. Expected stores are
/// built by a runner that saw the same files without interruption (the one-pass oracle).
/// </summary>
public sealed class StateLogTests : IDisposable
{
    private const int FileRows = 500;
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly StoreFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    private string StatePath => Path.Combine(fixture.Store, "car_loan", "state.json");

    private static List<EstimateRecord> Comparable(ModelRunner runner) =>
        [.. runner.ReadEstimates("car_loan").Where(r => r.Period == "analysis").Select(r => r with { EstimatedAt = null, RunId = null })];

    private void DropFiles(int first, int count)
    {
        for (var f = first; f < first + count; f++)
        {
            fixture.Drop($"f{f:D3}.parquet", f * FileRows, FileRows);
        }
    }

    /// <summary>An oracle store that saw the drop directory's files in one run.</summary>
    private List<EstimateRecord> OnePass(ModelDefinition model)
    {
        var clean = new ModelRunner(fixture.Store + "-oracle") { FileSettleTime = TimeSpan.Zero };
        clean.Estimate(model);
        var records = Comparable(clean);
        Directory.Delete(fixture.Store + "-oracle", recursive: true);
        return records;
    }

    [Fact]
    public void Estimate_KeepsStateFileSmall_WithFinalChunksAndOlderFilesInTheLogs()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(2000));
        var runner = fixture.Runner();
        for (var f = 0; f < 80; f++)
        {
            DropFiles(f, 1);
            Assert.Single(runner.Estimate(model).FilesProcessed);
        }

        // 80 files × 500 rows = 40,000 rows: 20 final chunks of 2,000, none open.
        var state = JsonNode.Parse(File.ReadAllText(StatePath))!;
        Assert.Equal(2, (int)state["format_version"]!);
        Assert.Empty(state["chunks"]!.AsArray());
        Assert.Equal(20, (int)state["log"]!["count"]!);
        Assert.Equal(ConsumedFiles.Recent, state["files"]!.AsArray().Count);
        Assert.Equal(80 - ConsumedFiles.Recent, (int)state["file_log"]!["count"]!);
        Assert.Equal(32L * (80 - ConsumedFiles.Recent), new FileInfo(Path.Combine(fixture.Store, "car_loan", "consumed.idx")).Length);
        Assert.Equal(80 - ConsumedFiles.Recent, File.ReadAllLines(Path.Combine(fixture.Store, "car_loan", "consumed.jsonl")).Length);

        // Files of the log (the oldest) and of the state are still listed and not read again, by this runner or a new one.
        Assert.Empty(runner.Estimate(model).FilesProcessed);
        Assert.Empty(fixture.Runner().Estimate(model).FilesProcessed);
        Assert.Equal(OnePass(model), Comparable(runner));
    }

    [Fact]
    public void Estimate_MigratesAFormatOneStore_AndContinuesAsAStoreBuiltInOnePass()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(1500));
        var runner = fixture.Runner();
        for (var f = 0; f < 70; f++)
        {
            DropFiles(f, 1);
            runner.Estimate(model);
        }

        WriteFormatOne(model.Name);
        var v1 = JsonNode.Parse(File.ReadAllText(StatePath))!;
        Assert.Equal(70, v1["files"]!.AsArray().Count);
        Assert.Equal(24, v1["chunks"]!.AsArray().Count); // 35,000 rows: 23 final chunks of 1,500 and one open of 500

        // A new process reads the format-1 state: nothing is read again, and the next run migrates it.
        Assert.Empty(fixture.Runner().Estimate(model).FilesProcessed);
        DropFiles(70, 2);
        var outcome = fixture.Runner().Estimate(model);

        Assert.Equal(2, outcome.FilesProcessed.Count);
        var v2 = JsonNode.Parse(File.ReadAllText(StatePath))!;
        Assert.Equal(2, (int)v2["format_version"]!);
        Assert.Equal(24, (int)v2["log"]!["count"]!); // 36,000 rows: 24 final chunks, nothing open
        Assert.Empty(v2["chunks"]!.AsArray());
        Assert.Equal(72 - ConsumedFiles.Recent, (int)v2["file_log"]!["count"]!);
        Assert.Equal(OnePass(model), Comparable(fixture.Runner()));

        // Every chunk file the one-pass store holds, and no other (the replaced open chunk's rows are gone).
        Assert.Equal(24, Directory.GetFiles(Path.Combine(fixture.Store, "car_loan", "rows")).Length);
        Assert.Empty(fixture.Runner().Estimate(model).FilesProcessed);
    }

    [Fact]
    public void Estimate_CutsLogBytesOfARunThatNeverCommitted()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(1000));
        DropFiles(0, 3);
        fixture.Runner().Estimate(model);
        var logBefore = JsonNode.Parse(File.ReadAllText(StatePath))!["log"]!;
        DropFiles(3, 4);
        var crashing = new ModelRunner(fixture.Store) { FileSettleTime = TimeSpan.Zero, BeforeCommit = _ => throw new IOException("killed") };

        // The run appends its final chunks to the log, then dies before committing the state that counts them.
        Assert.Throws<IOException>(() => crashing.Estimate(model));
        var log = Path.Combine(fixture.Store, "car_loan", "chunks", (string)logBefore["file"]!);
        Assert.True(new FileInfo(log).Length > (long)logBefore["bytes"]!);
        Assert.Equal(logBefore.ToJsonString(), JsonNode.Parse(File.ReadAllText(StatePath))!["log"]!.ToJsonString());

        var outcome = fixture.Runner().Estimate(model);

        Assert.Equal(4, outcome.FilesProcessed.Count);
        Assert.Equal(3, File.ReadAllLines(log).Length); // 3,500 rows: 3 final chunks of 1,000 (one logged before the crash), each logged once
        Assert.Equal(OnePass(model), Comparable(fixture.Runner()));
    }

    [Fact]
    public void Estimate_RemovesWhatAFailedRunWrote_WhenTheSameRunnerCommitsNext()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(1000));
        var fail = false;
        var runner = new ModelRunner(fixture.Store) { FileSettleTime = TimeSpan.Zero, BeforeCommit = _ => { if (fail) { fail = false; throw new IOException("failed"); } } };
        DropFiles(0, 3);
        runner.Estimate(model);
        DropFiles(3, 1);
        runner.Estimate(model);

        // This run writes rows files for chunks 2 and 3 under its run number, then fails before its commit; the next
        // run of the same runner (no new process) forms the chunks under the same run number but from more rows.
        DropFiles(4, 2);
        fail = true;
        Assert.Throws<IOException>(() => runner.Estimate(model));
        var stray = Path.Combine(fixture.Store, "car_loan", "rows", "chunk-000009-run000003.parquet");
        File.Copy(Directory.GetFiles(Path.Combine(fixture.Store, "car_loan", "rows"))[0], stray);
        DropFiles(6, 1);
        runner.Estimate(model);

        // 3,500 rows: chunks 0-2 final and chunk 3 open; the stray and replaced files are gone.
        Assert.False(File.Exists(stray));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(fixture.Store, "car_loan", "rows")).Length);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(fixture.Store, "car_loan", "estimates", "analysis")).Length);
        Assert.Equal(OnePass(model), Comparable(runner));
    }

    [Fact]
    public void Calibrate_RewritesTheLog_WhenTheOptionsChange()
    {
        var model = StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(1000));
        DropFiles(0, 5);
        fixture.Runner().Estimate(model);
        var before = (string)JsonNode.Parse(File.ReadAllText(StatePath))!["log"]!["file"]!;
        var changed = model with { Options = model.Options with { Chunking = Chunking.BySize(700) } };

        fixture.Runner().Calibrate(changed);

        var log = JsonNode.Parse(File.ReadAllText(StatePath))!["log"]!;
        Assert.NotEqual(before, (string)log["file"]!);
        Assert.Equal([(string)log["file"]!], Directory.GetFiles(Path.Combine(fixture.Store, "car_loan", "chunks")).Select(Path.GetFileName));
        Assert.Equal(2500 / 700, (int)log["count"]!);
        Assert.Equal(OnePass(changed), Comparable(fixture.Runner()));
    }

    [Fact]
    public void Load_KeepsTheMostRecentlyUsedStates_WithinItsCapacity()
    {
        var directory = fixture.Store;
        Directory.CreateDirectory(directory);
        var paths = new[] { "a", "b", "c" }.Select(n => Path.Combine(directory, n + ".json")).ToArray();
        foreach (var path in paths)
        {
            ModelState.Empty.Save(path);
        }

        var size = new FileInfo(paths[0]).Length;
        var states = new ModelStates(capacityBytes: 2 * size);
        states.Load(paths[0]);
        states.Load(paths[1]);
        states.Load(paths[0]);
        states.Load(paths[2]);

        // Two fit; b, used least recently, went.
        Assert.Equal((2, 2 * size), (states.CachedCount, states.CachedBytes));
        Assert.True(states.Holds(paths[0]));
        Assert.False(states.Holds(paths[1]));
        Assert.True(states.Holds(paths[2]));
    }

    /// <summary>Rewrites the model's state as format 1 (every chunk and consumed file in the state, no logs).</summary>
    private void WriteFormatOne(string name)
    {
        var layout = new StoreLayout(fixture.Store);
        var state = ModelState.Load(StatePath);
        var chunks = new ChunkLog(layout).ReadAll(name, state);
        var directory = layout.ModelDirectory(name);
        var older = File.Exists(Path.Combine(directory, "consumed.jsonl"))
            ? File.ReadAllLines(Path.Combine(directory, "consumed.jsonl")).Select(l => JsonSerializer.Deserialize<ProcessedFile>(l, SnakeCase)!)
            : [];
        var node = JsonNode.Parse(JsonSerializer.Serialize(state with { Tail = chunks, Files = [.. older, .. state.Files] }, SnakeCase))!.AsObject();
        node["format_version"] = 1;
        node.Remove("log");
        node.Remove("file_log");
        File.WriteAllText(StatePath, node.ToJsonString());
        Directory.Delete(Path.Combine(directory, "chunks"), recursive: true);
        File.Delete(Path.Combine(directory, "consumed.jsonl"));
        File.Delete(Path.Combine(directory, "consumed.idx"));
    }
}
