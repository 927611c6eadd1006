using Estimator.Tests.IO;

namespace Estimator.Tests.Cli;

/// <summary>
/// Multiclass bad input: each ends with exactly one line <c>error: ...</c> naming the option, or the file, column and
/// row; exit code 2; no output file.
/// </summary>
public sealed class MulticlassBadInputTests : IDisposable
{
    private const string Scores = "a=sa,b=sb,c=sc";

    private readonly TestFiles files = new();

    public MulticlassBadInputTests()
    {
        Output = files.PathOf("out.csv");
    }

    private string Output { get; }

    public void Dispose() => files.Dispose();

    private (int Code, string Error) Estimate(string reference, string analysis, string scores, params string[] extra)
    {
        var (code, _, stderr) = CliRunner.Run(
            ["estimate", "--reference", reference, "--analysis", analysis, "--y-pred-proba", scores, "--out", Output, "--calibration", "never", "--chunk-size", "3", .. extra]);
        return (code, stderr.Trim());
    }

    private void AssertFailed((int Code, string Error) run, params string[] mentions)
    {
        Assert.Equal(2, run.Code);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', run.Error);
        foreach (var m in mentions)
        {
            Assert.Contains(m, run.Error, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(Output), "no output file may be written");
        Assert.Empty(Directory.GetFiles(files.Directory, "*.tmp"));
    }

    private string Csv(string name, string text) => files.WriteText(name, text);

    private string GoodReference() => Csv(
        "reference.csv",
        "sa,sb,sc,y_pred,y_true\n"
        + "0.8,0.1,0.1,a,a\n0.1,0.8,0.1,b,b\n0.1,0.1,0.8,c,c\n0.6,0.3,0.1,a,b\n0.2,0.7,0.1,b,b\n0.3,0.1,0.6,c,a\n"
        + "0.7,0.2,0.1,a,a\n0.2,0.2,0.6,c,c\n0.1,0.6,0.3,b,c\n0.5,0.4,0.1,a,a\n0.3,0.5,0.2,b,b\n0.2,0.3,0.5,c,c\n");

    private string GoodAnalysis() => Csv("analysis.csv", "sa,sb,sc,y_pred\n0.8,0.1,0.1,a\n0.1,0.8,0.1,b\n0.1,0.1,0.8,c\n0.6,0.3,0.1,a\n0.2,0.7,0.1,b\n0.3,0.1,0.6,c\n");

    [Theory]
    [InlineData("a=sa,sb", "'sb' is not CLASS=COLUMN")]
    [InlineData("a=sa,a=sb", "class 'a' is mapped twice")]
    [InlineData("a=sa,b=sa", "column 'sa' is mapped to two classes")]
    [InlineData("a=sa", "at least two CLASS=COLUMN pairs, got 1")]
    [InlineData("a=sa,=sb", "needs both a class and a column")]
    [InlineData("a=sa,b=", "needs both a class and a column")]
    public void BadScoreColumnPairs_AreOneLineNamingTheOption(string scores, string says)
    {
        AssertFailed(Estimate(GoodReference(), GoodAnalysis(), scores), "--y-pred-proba", says);
    }

    [Fact]
    public void MissingScoreColumn_NamesFileAndColumn()
    {
        var analysis = Csv("no-sc.csv", "sa,sb,y_pred\n0.8,0.2,a\n");

        AssertFailed(Estimate(GoodReference(), analysis, Scores), "no-sc.csv", "column 'sc'", "not found");
    }

    [Fact]
    public void UnknownTargetLabel_NamesFileColumnAndRow()
    {
        var reference = Csv("labels.csv", "sa,sb,sc,y_pred,y_true\n0.8,0.1,0.1,a,a\n0.1,0.8,0.1,b,b\n0.1,0.1,0.8,c,d\n");

        AssertFailed(Estimate(reference, GoodAnalysis(), Scores), "labels.csv", "column 'y_true'", "row 2", "label 'd' is not among the mapped classes (a, b, c)");
    }

    [Fact]
    public void UnknownPredictedLabel_NamesFileColumnAndRow()
    {
        var analysis = Csv("pred.csv", "sa,sb,sc,y_pred\n0.8,0.1,0.1,a\n0.1,0.8,0.1,B\n");

        AssertFailed(Estimate(GoodReference(), analysis, Scores), "pred.csv", "column 'y_pred'", "row 1", "label 'B'");
    }

    [Fact]
    public void NonNumericScore_NamesFileColumnAndRow()
    {
        var analysis = Csv("text.csv", "sa,sb,sc,y_pred\n0.8,0.1,0.1,a\n0.1,0.8,0.1,b\n0.1,high,0.8,c\n");

        AssertFailed(Estimate(GoodReference(), analysis, Scores), "text.csv", "column 'sb'", "row 2", "'high' is not a number");
    }

    [Fact]
    public void ScoreOutOfRange_NamesFileColumnAndRow()
    {
        var analysis = Csv("range.csv", "sa,sb,sc,y_pred\n0.8,0.1,0.1,a\n1.5,0.8,0.1,b\n");

        AssertFailed(Estimate(GoodReference(), analysis, Scores), "range.csv", "column 'sa'", "row 1", "outside [0, 1]");
    }

    [Fact]
    public void SingleClassReference_IsNamed()
    {
        var reference = Csv("single.csv", "sa,sb,sc,y_pred,y_true\n0.8,0.1,0.1,a,a\n0.7,0.2,0.1,a,a\n0.6,0.3,0.1,b,a\n");

        AssertFailed(Estimate(reference, GoodAnalysis(), Scores), "single.csv", "at least two classes");
    }

    [Fact]
    public void ClassAbsentFromReferenceTargets_IsNamed()
    {
        var reference = Csv("two.csv", "sa,sb,sc,y_pred,y_true\n0.8,0.1,0.1,a,a\n0.1,0.8,0.1,b,b\n0.6,0.3,0.1,a,b\n0.1,0.1,0.8,c,a\n");

        AssertFailed(Estimate(reference, GoodAnalysis(), Scores), "two.csv", "class 'c' never occurs");
    }

    [Fact]
    public void UnknownLabelInTargetsFile_NamesFileColumnAndRow()
    {
        var analysis = Csv("ids.csv", "id,sa,sb,sc,y_pred\n1,0.8,0.1,0.1,a\n2,0.1,0.8,0.1,b\n3,0.1,0.1,0.8,c\n");
        var targets = Csv("targets.csv", "id,y_true\n1,a\n2,x\n3,c\n");

        AssertFailed(Estimate(GoodReference(), analysis, Scores, "--targets", targets, "--id-column", "id"), "targets.csv", "column 'y_true'", "row 1", "label 'x'");
    }

    [Fact]
    public void PerClassOnBinaryModel_IsRefused()
    {
        AssertFailed(Estimate(GoodReference(), GoodAnalysis(), "sa", "--per-class"), "--per-class", "CLASS=COLUMN");
    }

    [Fact]
    public void BinaryOnlyMetric_IsNamed()
    {
        AssertFailed(Estimate(GoodReference(), GoodAnalysis(), Scores, "--metrics", "roc_auc,average_precision"), "--metrics", "average_precision");
    }

    [Fact]
    public void BusinessValueMatrix_IsRefused()
    {
        AssertFailed(Estimate(GoodReference(), GoodAnalysis(), Scores, "--business-value-matrix", "1,2,3,4"), "--business-value-matrix", "binary models only");
    }

    [Fact]
    public void GoodSmallFiles_Succeed()
    {
        // The fixtures above fail only for the reason each test names: the same files, untouched, estimate.
        var (code, error) = Estimate(GoodReference(), GoodAnalysis(), "c=sc,a=sa,b=sb");

        Assert.True(code == 0, error);
        Assert.True(File.Exists(Output));
    }
}
