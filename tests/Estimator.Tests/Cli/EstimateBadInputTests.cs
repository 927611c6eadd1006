using Estimator.Tests.IO;

namespace Estimator.Tests.Cli;

/// <summary>Every bad input ends with a one-line error naming what is wrong, a non-zero exit code and no output file.</summary>
public sealed class EstimateBadInputTests : IDisposable
{
    private readonly TestFiles files = new();

    public EstimateBadInputTests()
    {
        Output = files.PathOf("out.parquet");
    }

    private string Output { get; }

    public void Dispose() => files.Dispose();

    private (int Code, string Error) Estimate(string reference, string analysis, params string[] extra)
    {
        var (code, _, stderr) = CliRunner.Run(["estimate", "--reference", reference, "--analysis", analysis, "--out", Output, .. extra]);
        return (code, stderr.Trim());
    }

    private void AssertFailed((int Code, string Error) run, params string[] mentions)
    {
        Assert.Equal(2, run.Code);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', run.Error.Replace("\n(run with --help for the options)", "", StringComparison.Ordinal));
        foreach (var m in mentions)
        {
            Assert.Contains(m, run.Error, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(Output), "no output file may be written");
        Assert.Empty(Directory.GetFiles(files.Directory, "*.tmp"));
    }

    private string Csv(string name, string text) => files.WriteText(name, text);

    private string GoodReference() => Csv("reference.csv", "y_pred_proba,y_pred,y_true\n0.9,1,1\n0.2,0,0\n0.7,1,0\n0.4,0,1\n0.8,1,1\n0.1,0,0\n0.6,1,1\n0.3,0,0\n0.95,1,1\n0.05,0,0\n0.55,1,0\n0.45,0,1\n");

    private string GoodAnalysis() => Csv("analysis.csv", "y_pred_proba,y_pred\n0.9,1\n0.2,0\n0.7,1\n0.4,0\n0.8,1\n0.1,0\n0.6,1\n0.3,0\n0.95,1\n0.05,0\n");

    [Fact]
    public void MissingFile_IsNamed()
    {
        var missing = files.PathOf("nope.parquet");

        AssertFailed(Estimate(missing, GoodAnalysis()), "nope.parquet");
    }

    [Fact]
    public void CorruptParquet_IsNamed()
    {
        var corrupt = files.WriteText("corrupt.parquet", "this is not parquet at all");

        AssertFailed(Estimate(GoodReference(), corrupt), "corrupt.parquet");
    }

    [Fact]
    public void UnreadableCsv_IsNamed()
    {
        var broken = Csv("broken.csv", "y_pred_proba,y_pred\n0.9,1\n\"0.2,0\n");

        AssertFailed(Estimate(GoodReference(), broken), "broken.csv");
    }

    [Fact]
    public void BadReference_IsTheErrorReported_WhenTheAnalysisIsBadToo()
    {
        // The analysis CSV is read on another thread while the reference is read and fitted: the reference's error still wins.
        var reference = Csv("bad-reference.csv", "y_pred_proba,y_pred,y_true\n0.9,1,1\n0.2,0,0,7\n");
        var analysis = Csv("bad-analysis.csv", "y_pred_proba,y_pred\n0.9,1\nhigh,0\n");

        var run = Estimate(reference, analysis);

        AssertFailed(run, "bad-reference.csv", "row 1");
        Assert.DoesNotContain("bad-analysis.csv", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadAnalysis_IsReported_WhenTheReferenceIsGood()
    {
        var analysis = Csv("bad-analysis.csv", "y_pred_proba,y_pred\n0.9,1\nhigh,0\n");

        AssertFailed(Estimate(GoodReference(), analysis), "bad-analysis.csv", "y_pred_proba", "row 1");
    }

    [Fact]
    public void MissingColumn_IsNamed()
    {
        AssertFailed(Estimate(GoodReference(), GoodAnalysis(), "--y-pred-proba", "score"), "score");
    }

    [Fact]
    public void WrongColumnType_IsNamed()
    {
        var analysis = Csv("text.csv", "y_pred_proba,y_pred\nhigh,1\n0.2,0\n");

        AssertFailed(Estimate(GoodReference(), analysis), "text.csv", "y_pred_proba", "row 0");
    }

    [Fact]
    public void ProbabilityOutOfRange_NamesRow()
    {
        var analysis = Csv("range.csv", "y_pred_proba,y_pred\n0.9,1\n0.2,0\n1.7,1\n");

        AssertFailed(Estimate(GoodReference(), analysis), "range.csv", "y_pred_proba", "row 2");
    }

    [Fact]
    public void NonBinaryLabel_NamesRow()
    {
        var reference = Csv("labels.csv", "y_pred_proba,y_pred,y_true\n0.9,1,1\n0.2,0,2\n");

        AssertFailed(Estimate(reference, GoodAnalysis()), "labels.csv", "y_true", "row 1");
    }

    [Fact]
    public void SingleClassReference_IsNamed()
    {
        var reference = Csv("single.csv", "y_pred_proba,y_pred,y_true\n0.9,1,1\n0.2,0,1\n0.6,1,1\n");

        AssertFailed(Estimate(reference, GoodAnalysis()), "single.csv", "both classes");
    }

    [Fact]
    public void EmptyReference_IsNamed()
    {
        var reference = Csv("empty.csv", "y_pred_proba,y_pred,y_true\n");

        AssertFailed(Estimate(reference, GoodAnalysis()), "empty.csv");
    }

    [Fact]
    public void EmptyAnalysis_IsNamed()
    {
        var analysis = Csv("empty-analysis.csv", "y_pred_proba,y_pred\n");

        AssertFailed(Estimate(GoodReference(), analysis), "empty-analysis.csv");
    }

    [Fact]
    public void PeriodChunkingWithoutTimestamp_IsRefused()
    {
        AssertFailed(Estimate(GoodReference(), GoodAnalysis(), "--chunk-period", "month"), "--timestamp");
    }

    [Fact]
    public void DuplicateTargetId_NamesTheId()
    {
        var analysis = Csv("ids.csv", "id,y_pred_proba,y_pred\n1,0.9,1\n2,0.2,0\n3,0.7,1\n");
        var targets = Csv("targets.csv", "id,y_true\n1,1\n2,0\n2,1\n");

        AssertFailed(Estimate(GoodReference(), analysis, "--targets", targets, "--id-column", "id", "--chunk-size", "2"), "targets.csv", "2");
    }

    [Fact]
    public void UnknownMetric_IsNamed()
    {
        AssertFailed(Estimate(GoodReference(), GoodAnalysis(), "--metrics", "roc_auc,auprc"), "auprc");
    }

    [Theory]
    [InlineData("--chunk-size", "abc", "not a whole number")]
    [InlineData("--chunk-size", "1.5", "not a whole number")]
    [InlineData("--chunk-size", "99999999999", "out of range")]
    [InlineData("--chunk-size", "0", "out of range")]
    [InlineData("--chunk-number", "abc", "not a whole number")]
    [InlineData("--chunk-number", "-3", "out of range")]
    [InlineData("--incomplete", "sometimes", "keep, drop or append")]
    [InlineData("--threshold", "roc_auc=std:a,3", "'a' is not a number")]
    [InlineData("--threshold", "roc_auc=median:1,3", "unknown kind 'median'")]
    public void BadOptionValue_IsOneLineNamingTheOption(string option, string value, string says)
    {
        // These once aborted with a stack trace (exit 134): a validator read an option that had failed to parse.
        AssertFailed(Estimate(GoodReference(), GoodAnalysis(), option, value), option, says);
    }

    [Fact]
    public void UnknownChunkPeriod_IsOneLineListingThePeriods()
    {
        AssertFailed(Estimate(GoodReference(), GoodAnalysis(), "--timestamp", "t", "--chunk-period", "fortnight"), "--chunk-period", "'fortnight' is not a period", "day, week, month");
    }

    [Fact]
    public void ConflictingChunking_IsRefused()
    {
        var (code, _, stderr) = CliRunner.Run(
            "estimate", "--reference", GoodReference(), "--analysis", GoodAnalysis(), "--out", Output, "--chunk-size", "5", "--chunk-number", "2");

        Assert.NotEqual(0, code);
        Assert.Contains("at most one", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public void BadInput_LeavesExistingOutputUntouched()
    {
        File.WriteAllText(Output, "previous estimates");
        var analysis = Csv("range.csv", "y_pred_proba,y_pred\n0.9,1\n1.7,1\n");

        var (code, _, _) = CliRunner.Run("estimate", "--reference", GoodReference(), "--analysis", analysis, "--out", Output);

        Assert.Equal(2, code);
        Assert.Equal("previous estimates", File.ReadAllText(Output));
    }

    [Fact]
    public void MissingScores_AreDroppedAndReported_NotAnError()
    {
        var analysis = Csv("gaps.csv", "y_pred_proba,y_pred\n0.9,1\n,0\n0.7,1\nNaN,0\n0.8,1\n0.1,0\n");

        var (code, _, stderr) = CliRunner.Run("estimate", "--reference", GoodReference(), "--analysis", analysis, "--out", Output, "--chunk-size", "3", "--calibration", "never");

        Assert.True(code == 0, stderr);
        Assert.Contains("2 analysis rows have no score", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Output));
    }
}
