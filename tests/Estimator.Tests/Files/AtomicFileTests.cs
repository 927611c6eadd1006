using Estimator.IO;

namespace Estimator.Tests.Files;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("estimator-atomic-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string[] Leftovers() => Directory.GetFiles(_directory, ".*.tmp", SearchOption.AllDirectories);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WriteAsync_LeavesTheOldContentAndNoTemporaryFile_WhenTheWriterFails(bool inMemory)
    {
        var path = Path.Combine(_directory, "target.txt");
        await File.WriteAllTextAsync(path, "old");

        await Assert.ThrowsAsync<InvalidDataException>(() => AtomicFile.WriteAsync(
            path,
            async (stream, token) =>
            {
                await stream.WriteAsync("half of the new"u8.ToArray(), token);
                throw new InvalidDataException("the writer broke");
            },
            inMemory));

        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public async Task WriteAsync_ReplacesTheTarget_OnlyAfterTheContentIsComplete()
    {
        var path = Path.Combine(_directory, "sub", "target.txt");
        string? seenBeforeCommit = null;

        await AtomicFile.WriteAsync(
            path,
            (stream, token) => stream.WriteAsync("new"u8.ToArray(), token).AsTask(),
            inMemory: false,
            beforeCommit: temporary =>
            {
                Assert.False(File.Exists(path));
                seenBeforeCommit = File.ReadAllText(temporary);
                Assert.StartsWith(".target.txt.", Path.GetFileName(temporary), StringComparison.Ordinal);
            });

        Assert.Equal("new", seenBeforeCommit);
        Assert.Equal("new", await File.ReadAllTextAsync(path));
        Assert.Empty(Leftovers());
    }

    [Fact]
    public void RemoveLeftovers_ClearsTemporaryFilesOfAKilledWrite_AndNothingElse()
    {
        var nested = Directory.CreateDirectory(Path.Combine(_directory, "model", "chunks")).FullName;
        File.WriteAllText(Path.Combine(nested, ".estimates.parquet.0123.tmp"), "partial");
        File.WriteAllText(Path.Combine(_directory, ".state.json.4567.tmp"), "partial");
        File.WriteAllText(Path.Combine(nested, "estimates.parquet"), "kept");
        AtomicFile.WriteText(Path.Combine(_directory, "state.json"), "{}");

        AtomicFile.RemoveLeftovers(_directory);

        Assert.Empty(Leftovers());
        Assert.Equal("kept", File.ReadAllText(Path.Combine(nested, "estimates.parquet")));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(_directory, "state.json")));
    }
}
