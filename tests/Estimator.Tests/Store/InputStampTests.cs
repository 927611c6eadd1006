using Estimator.Estimation;
using Estimator.IO;
using Estimator.Monitoring;
using Estimator.Tests.IO;

namespace Estimator.Tests.Store;

/// <summary>
/// The stamp the model scheduler compares to skip a model whose inputs did not change: a file arriving in the analysis
/// folder or in an online model's inbox must change it, and a folder changed within the settle time is not settled.
/// Folder times are set explicitly, so the test does not depend on the file system's clock resolution.
/// </summary>
public sealed class InputStampTests : IDisposable
{
    private static readonly DateTime Earlier = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Stamp_ChangesWhenAFileArrivesInTheAnalysisFolderOrTheOnlineInbox()
    {
        var analysis = files.PathOf("analysis");
        var inbox = files.PathOf("inbox");
        Directory.CreateDirectory(analysis);
        Directory.CreateDirectory(inbox);
        var reference = files.PathOf("reference.parquet");
        File.WriteAllBytes(reference, [1]);
        Directory.SetLastWriteTimeUtc(analysis, Earlier);
        Directory.SetLastWriteTimeUtc(inbox, Earlier);
        var model = new ModelDefinition("m", reference, Path.Combine(analysis, "*.parquet"), null, null, new ColumnMapping { YTrue = "repaid", Timestamp = "timestamp" }, new CbpeOptions())
        {
            OnlineInbox = inbox,
        };
        var runner = new ModelRunner(files.PathOf("store"));

        var before = runner.Stamp(model)!;
        Assert.True(before.Settled);
        Assert.Equal(before.ToString(), runner.Stamp(model)!.ToString());

        // A closed online chunk lands in the inbox only: the stamp must still change, and it is not settled yet.
        File.WriteAllBytes(Path.Combine(inbox, "online-000000001.parquet"), [1]);
        Directory.SetLastWriteTimeUtc(inbox, DateTime.UtcNow);
        var afterInbox = runner.Stamp(model)!;
        Assert.NotEqual(before.Analysis, afterInbox.Analysis);
        Assert.False(afterInbox.Settled);

        // A file in the analysis folder changes it too; once both folders are old enough the stamp is settled.
        File.WriteAllBytes(Path.Combine(analysis, "part-01.parquet"), [1]);
        Directory.SetLastWriteTimeUtc(analysis, Earlier.AddHours(1));
        Directory.SetLastWriteTimeUtc(inbox, Earlier.AddHours(1));
        var afterBoth = runner.Stamp(model)!;
        Assert.NotEqual(afterInbox.Analysis, afterBoth.Analysis);
        Assert.True(afterBoth.Settled);

        // Without an inbox, only the analysis folder counts.
        var fileOnly = runner.Stamp(model with { OnlineInbox = null })!;
        Assert.DoesNotContain('+', fileOnly.Analysis);
    }
}
