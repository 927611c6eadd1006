using Estimator.Tests.IO;

namespace Estimator.Tests.Cli;

/// <summary>What a command drops or doubts it says: duplicate ids are errors, missing values and a thin reference are reported.</summary>
public sealed class DroppedOrDoubtedInputTests : IDisposable
{
    private const string Reference = "y_pred_proba,y_pred,y_true\n0.9,1,1\n0.2,0,0\n0.7,1,0\n0.4,0,1\n0.8,1,1\n0.1,0,0\n0.6,1,1\n0.3,0,0\n0.95,1,1\n0.05,0,0\n0.55,1,0\n0.45,0,1\n";

    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    private (int Code, string Stdout, string Stderr) Estimate(string analysis, params string[] extra) =>
        CliRunner.Run(["estimate", "--reference", files.WriteText("reference.csv", Reference), "--analysis", files.WriteText("analysis.csv", analysis), "--out", files.PathOf("out.csv"), "--metrics", "roc_auc,precision", .. extra]);

    [Fact]
    public void DuplicateAnalysisIds_WithTargets_AreAnErrorNamingTheIdAndBothRows()
    {
        var targets = files.WriteText("targets.csv", "id,y_true\n1,1\n2,0\n3,1\n");

        var (code, _, stderr) = Estimate("id,y_pred_proba,y_pred\n1,0.9,1\n2,0.2,0\n3,0.7,1\n2,0.4,0\n", "--targets", targets, "--id-column", "id", "--chunk-size", "2");

        Assert.Equal(2, code);
        Assert.Equal(
            $"error: file '{files.PathOf("analysis.csv")}', column 'id', row 3: duplicate id '2' (first at row 1); targets are joined by id, so analysis ids must be unique",
            stderr.Trim());
        Assert.False(File.Exists(files.PathOf("out.csv")));
    }

    [Fact]
    public void RowsWithoutAPredictedLabel_AreCountedAndSaidWhereTheyCount()
    {
        var (code, _, stderr) = Estimate("y_pred_proba,y_pred\n0.3,\n0.6,0\n0.7,\n0.2,0\n", "--chunk-size", "2");

        Assert.Equal(0, code);
        Assert.Contains("note: 2 analysis rows have no predicted label (y_pred); they count in roc_auc and average_precision but are left out of the metrics computed from predicted labels", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAnalysisWhoseScoresAreAllMissing_IsAWarningNotASilentSuccess()
    {
        var (code, _, stderr) = Estimate("y_pred_proba,y_pred\n,1\n,0\n,1\n,0\n", "--chunk-size", "2");

        Assert.Equal(0, code);
        Assert.Contains($"warning: every one of the 4 analysis rows of '{files.PathOf("analysis.csv")}' has no score (y_pred_proba): nothing could be estimated, every estimate is empty", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("note: 4 analysis rows have no score", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AReferenceOfOneChunk_WarnsAndSetsNoThresholds()
    {
        // 12 reference rows in one chunk of 20: no spread, so no thresholds and no threshold alert.
        var (code, _, stderr) = Estimate("y_pred_proba,y_pred\n0.3,1\n0.6,0\n0.7,1\n0.2,0\n", "--chunk-size", "20");

        Assert.Equal(0, code);
        Assert.Contains("warning: the reference forms 1 chunk with this chunking; thresholds need the spread of at least 2 reference chunks", stderr, StringComparison.Ordinal);
        var lines = File.ReadAllLines(files.PathOf("out.csv"));
        var header = lines[0].Split(',');
        var lower = Array.IndexOf(header, "lower_threshold");
        var alert = Array.IndexOf(header, "alert");
        Assert.All(lines.Skip(1), l => Assert.Equal("", l.Split(',')[lower]));
        Assert.All(lines.Skip(1), l => Assert.Equal("false", l.Split(',')[alert]));
    }
}
