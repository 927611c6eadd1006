using Estimator.Tests.IO;

namespace Estimator.Tests.Cli;

/// <summary>
/// A command writes every file it was asked for, or none: outputs are checked before the work, staged, and moved into
/// place only when the whole command succeeded; an output that is an input is refused; a killed run's leftovers go.
/// </summary>
public sealed class AllOrNothingOutputTests : IDisposable
{
    private const string Reference = "y_pred_proba,y_pred,y_true\n0.9,1,1\n0.2,0,0\n0.7,1,0\n0.4,0,1\n0.8,1,1\n0.1,0,0\n0.6,1,1\n0.3,0,0\n0.95,1,1\n0.05,0,0\n0.55,1,0\n0.45,0,1\n";
    private const string Analysis = "y_pred_proba,y_pred\n0.9,1\n0.2,0\n0.7,1\n0.4,0\n0.8,1\n0.1,0\n0.6,1\n0.3,0\n0.95,1\n0.05,0\n";

    private readonly TestFiles files = new();
    private readonly string reference;
    private readonly string analysis;

    public AllOrNothingOutputTests()
    {
        reference = files.WriteText("reference.csv", Reference);
        analysis = files.WriteText("analysis.csv", Analysis);
    }

    public void Dispose() => files.Dispose();

    private (int Code, string Error) Estimate(params string[] extra)
    {
        var (code, _, stderr) = CliRunner.Run(["estimate", "--reference", reference, "--analysis", analysis, "--chunk-size", "5", "--metrics", "roc_auc", .. extra]);
        return (code, stderr.Trim());
    }

    private string[] Entries() => [.. Directory.EnumerateFileSystemEntries(files.Directory, "*", SearchOption.AllDirectories).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal)];

    [Fact]
    public void OutputThatIsAnInput_IsRefusedAndTheInputKept()
    {
        var run = Estimate("--out", analysis);

        Assert.Equal(2, run.Code);
        Assert.Equal($"error: --out '{analysis}' is the --analysis file; writing it would destroy the input: choose another path", run.Error);
        Assert.Equal(Analysis, File.ReadAllText(analysis));
    }

    [Fact]
    public void OutputReachedThroughASymbolicLink_IsStillTheInput()
    {
        var link = files.PathOf("link.csv");
        File.CreateSymbolicLink(link, reference);

        var run = Estimate("--out", files.PathOf("out.parquet"), "--save-fitted", link);

        Assert.Equal(2, run.Code);
        Assert.Contains("--save-fitted", run.Error, StringComparison.Ordinal);
        Assert.Contains("is the --reference file", run.Error, StringComparison.Ordinal);
        Assert.Equal(Reference, File.ReadAllText(reference));
    }

    [Fact]
    public void FailingPlot_LeavesNeitherEstimateNorFittedFile()
    {
        // A directory where the chart file should go: found before the work starts.
        Directory.CreateDirectory(files.PathOf("chart.png"));
        var before = Entries();

        var run = Estimate("--out", files.PathOf("out.parquet"), "--save-fitted", files.PathOf("fitted.json"), "--plot", files.PathOf("chart.png"));

        Assert.Equal(2, run.Code);
        Assert.Equal($"error: --plot '{files.PathOf("chart.png")}' is a directory: give a file path", run.Error);
        Assert.Equal(before, Entries());
    }

    [Fact]
    public void FailureAfterTheWorkStarted_LeavesExistingOutputsUntouchedAndNoNewOnes()
    {
        var output = files.WriteText("out.csv", "previous estimate");
        // The analysis lacks the score column, found while reading, after the outputs were staged.
        var bad = files.WriteText("bad.csv", "score,y_pred\n0.1,0\n");
        var before = Entries();

        var (code, _, stderr) = CliRunner.Run(["estimate", "--reference", reference, "--analysis", bad, "--out", output, "--save-fitted", Path.Combine(files.PathOf("new"), "fitted.json")]);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.Equal("previous estimate", File.ReadAllText(output));
        Assert.Equal(before, Entries());
        Assert.False(Directory.Exists(files.PathOf("new")), "a directory created for an output is removed when the command fails");
    }

    [Fact]
    public void OutputUnderAFile_NamesTheFileInTheWay()
    {
        var run = Estimate("--out", Path.Combine(reference, "out.parquet"));

        Assert.Equal(2, run.Code);
        Assert.Equal($"error: --out '{Path.Combine(reference, "out.parquet")}': '{reference}' is a file, not a directory", run.Error);
    }

    [Fact]
    public void TwoOutputsOnOnePath_AreRefused()
    {
        var run = Estimate("--out", files.PathOf("same.json"), "--save-fitted", files.PathOf("same.json"));

        Assert.Equal(2, run.Code);
        Assert.Contains("--save-fitted", run.Error, StringComparison.Ordinal);
        Assert.Contains("is also the --out file", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(files.PathOf("same.json")));
    }

    [Fact]
    public void Success_WritesEveryOutputAndNoStagingRemains()
    {
        var run = Estimate("--out", Path.Combine(files.PathOf("o"), "out.parquet"), "--save-fitted", Path.Combine(files.PathOf("o"), "fitted.json"), "--plot", Path.Combine(files.PathOf("o"), "chart.svg"), "--quiet");

        Assert.Equal(0, run.Code);
        Assert.Equal(["chart.svg", "fitted.json", "out.parquet"], Directory.GetFileSystemEntries(files.PathOf("o")).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void LeftoversOfAKilledRun_AreRemovedByTheNextRun()
    {
        var output = files.PathOf("out.parquet");
        // A temporary of a process that no longer runs, one from before the name carried a process id, a staging
        // directory of a dead process, and one of a live process (this one's parent chain: pid 1) that must stay.
        File.WriteAllText(files.PathOf(".out.parquet.2147483600-0a1b.tmp"), "partial");
        File.WriteAllText(files.PathOf(".out.parquet.0123456789abcdef.tmp"), "partial");
        Directory.CreateDirectory(files.PathOf(".out.parquet.2147483601-0a1b.tmp"));
        Directory.CreateDirectory(files.PathOf(".out.parquet.1-0a1b.tmp"));

        var run = Estimate("--out", output, "--quiet");

        Assert.Equal(0, run.Code);
        Assert.True(File.Exists(output));
        Assert.Equal([".out.parquet.1-0a1b.tmp"], Directory.GetFileSystemEntries(files.Directory, ".out.parquet.*").Select(p => Path.GetFileName(p)!).ToArray());
    }

    [Fact]
    public void InputThatIsADirectory_SaysSo()
    {
        var run = Estimate("--out", files.PathOf("out.parquet"), "--targets", files.Directory, "--id-column", "id");
        var (code, _, stderr) = CliRunner.Run(["estimate", "--reference", files.Directory, "--analysis", analysis, "--out", files.PathOf("out.parquet")]);

        Assert.Equal(2, code);
        Assert.Equal($"error: file '{files.Directory}': is a directory; give a Parquet or CSV file", stderr.Trim());
        Assert.Equal(2, run.Code);
    }

    [Fact]
    public void DriftCommand_RefusesAnOutputThatIsAnInput()
    {
        var (code, _, stderr) = CliRunner.Run(["drift", "--reference", reference, "--analysis", analysis, "--columns", "y_pred_proba", "--out", analysis]);

        Assert.Equal(2, code);
        Assert.Equal($"error: --out '{analysis}' is the --analysis file; writing it would destroy the input: choose another path", stderr.Trim());
        Assert.Equal(Analysis, File.ReadAllText(analysis));
    }
}
