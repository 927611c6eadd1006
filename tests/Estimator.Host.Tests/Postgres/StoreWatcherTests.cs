namespace Estimator.Host.Tests.Postgres;

/// <summary>The scale-out tests' <see cref="StoreWatcher"/> can fail: it reports a cut Parquet or JSON file and ignores the atomic writer's temporary names.</summary>
public sealed class StoreWatcherTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Watcher_ReportsEachCutFile_AndIgnoresTemporaryNames()
    {
        var whole = await File.ReadAllBytesAsync(TestData.CarLoanReference);
        var cut = whole[..(whole.Length / 2)];
        var model = Path.Combine(temp.Path, "store", "m", "estimates", "analysis");
        Directory.CreateDirectory(model);
        await File.WriteAllBytesAsync(Path.Combine(model, "chunk-000000.parquet"), whole);
        await File.WriteAllBytesAsync(Path.Combine(model, "chunk-000001.parquet"), cut);
        await File.WriteAllBytesAsync(Path.Combine(model, $".chunk-000002.parquet.{Guid.NewGuid():N}.tmp"), cut);
        await File.WriteAllTextAsync(Path.Combine(temp.Path, "store", "m", "state.json"), """{"files": [], "runs": 1}""");
        Directory.CreateDirectory(Path.Combine(temp.Path, "store", "n"));
        await File.WriteAllTextAsync(Path.Combine(temp.Path, "store", "n", "state.json"), """{"files": [{"path": "a""");
        await File.WriteAllTextAsync(Path.Combine(temp.Path, "store", "n", $".state.json.{Guid.NewGuid():N}.tmp"), "{");

        await using var watcher = StoreWatcher.Start(Path.Combine(temp.Path, "store"));
        await TestHosts.WaitUntilAsync(() => watcher.Passes >= 3, TimeSpan.FromSeconds(30), "three passes");
        await watcher.StopAsync();

        Assert.Equal(2, watcher.Checks);
        Assert.Equal(1, watcher.ChunkChecks);
        Assert.Equal(1, watcher.StateChecks);
        Assert.Collection(
            watcher.Failures.Order(StringComparer.Ordinal),
            f => Assert.StartsWith(Path.Combine("m", "estimates", "analysis", "chunk-000001.parquet"), f, StringComparison.Ordinal),
            f => Assert.StartsWith(Path.Combine("n", "state.json"), f, StringComparison.Ordinal));
    }
}
