using System.Security.Cryptography;
using Estimator.Tests.Cli;

namespace Estimator.Tests.Reliability;

/// <summary>
/// The command line's bad-input matrix (issue #19): every row is one mistake a user makes with <c>estimate</c> (binary,
/// multiclass, regression), <c>drift</c> or <c>quality</c>. Each must end with exit code 2, exactly one line on stderr
/// starting with <c>error: </c> that names the culprit, no output file, and an existing output left as it was.
/// </summary>
public sealed class CliBadInputMatrixTests(BadInputFiles files) : IClassFixture<BadInputFiles>
{
    private const string Multiclass = "a=sa,b=sb,c=sc";

    private static string[] Estimate(string reference, string analysis, params string[] extra) =>
        ["estimate", "--reference", reference, "--analysis", analysis, "--out", "@out", "--quiet", .. extra];

    private static string[] Binary(params string[] extra) => Estimate("@ref.csv", "@ana.csv", ["--chunk-size", "10", .. extra]);

    private static string[] McEstimate(string reference, string analysis, params string[] extra) =>
        Estimate(reference, analysis, ["--y-pred-proba", Multiclass, "--chunk-size", "2", .. extra]);

    private static string[] Regression(string reference, string analysis, params string[] extra) =>
        Estimate(reference, analysis, ["--problem", "regression", "--features", "x1,g", "--chunk-size", "3", .. extra]);

    private static string[] Drift(string reference, string analysis, params string[] extra) =>
        ["drift", "--reference", reference, "--analysis", analysis, "--out", "@out", "--chunk-size", "5", .. extra.Contains("--columns") ? extra : ["--columns", "f1,f2", .. extra]];

    private static string[] Quality(string reference, string analysis, params string[] extra) =>
        ["quality", "--reference", reference, "--analysis", analysis, "--out", "@out", "--missing-columns", "f1", "--chunk-size", "5", .. extra];

    public static TheoryData<string, string[], string[]> Cases => new()
    {
        // estimate, binary: option values
        { "chunk size not a number", Binary("--chunk-number", "x").Where(a => a != "--chunk-size" && a != "10").ToArray(), ["--chunk-number", "'x' is not a whole number"] },
        { "chunk size zero", Estimate("@ref.csv", "@ana.csv", "--chunk-size", "0"), ["--chunk-size", "0 is out of range"] },
        { "chunk size too big for an int", Estimate("@ref.csv", "@ana.csv", "--chunk-size", "99999999999"), ["--chunk-size", "99999999999 is out of range"] },
        { "chunk size fractional", Estimate("@ref.csv", "@ana.csv", "--chunk-size", "1.5"), ["--chunk-size", "'1.5'"] },
        { "unknown chunk period", Estimate("@ref.csv", "@ana.csv", "--chunk-period", "fortnight", "--timestamp", "id"), ["--chunk-period", "'fortnight' is not a period"] },
        { "two chunkings", Binary("--chunk-number", "2"), ["at most one of --chunk-size, --chunk-number and --chunk-period"] },
        { "period without timestamp", Estimate("@ref.csv", "@ana.csv", "--chunk-period", "month"), ["--chunk-period needs --timestamp"] },
        { "unknown incomplete", Binary("--incomplete", "sometimes"), ["--incomplete", "sometimes"] },
        { "unknown metric", Binary("--metrics", "roc_auc,bogus"), ["--metrics", "unknown metric 'bogus'"] },
        { "empty metrics", Binary("--metrics", ""), ["--metrics", "no metric given"] },
        { "unknown calibration", Binary("--calibration", "sometimes"), ["--calibration", "'sometimes'", "'auto'"] },
        { "unknown normalization", Binary("--confusion-matrix-normalization", "rows"), ["--confusion-matrix-normalization", "'rows'"] },
        { "threshold not a number", Binary("--threshold", "roc_auc=std:x,1"), ["--threshold", "'x' is not a number"] },
        { "threshold without metric", Binary("--threshold", "nope"), ["--threshold", "'nope'"] },
        { "business value matrix of three", Binary("--metrics", "business_value", "--business-value-matrix", "1,2,3"), ["--business-value-matrix", "four numbers", "'1,2,3'"] },
        { "seed not a number", Binary("--seed", "abc"), ["--seed", "'abc'"] },
        { "unknown problem", Binary("--problem", "banana"), ["--problem", "unknown problem 'banana'"] },
        { "targets without id column", Binary("--targets", "@targets.csv"), ["--targets needs --id-column"] },
        { "plot extension", Binary("--plot", "@chart.gif"), ["--plot", ".png or .svg"] },
        { "out extension", ["estimate", "--reference", "@ref.csv", "--analysis", "@ana.csv", "--out", "@result.txt"], ["--out", "result.txt", ".parquet, .csv or .json"] },

        // estimate, binary: files
        { "reference missing", Estimate("@nope.csv", "@ana.csv"), ["nope.csv"] },
        { "analysis is a directory", Estimate("@ref.csv", "@folder.csv"), ["folder.csv", "is a directory"] },
        { "analysis empty CSV", Estimate("@ref.csv", "@empty.csv"), ["empty.csv", "is empty"] },
        { "analysis header only", Estimate("@ref.csv", "@header-only.csv"), ["header-only.csv", "only a header row"] },
        { "analysis empty Parquet", Estimate("@ref.csv", "@empty.parquet"), ["empty.parquet", "Parquet"] },
        { "analysis random bytes as Parquet", Estimate("@ref.csv", "@random.parquet"), ["random.parquet", "cannot be read as Parquet"] },
        { "analysis random bytes as CSV", Estimate("@ref.csv", "@random.csv"), ["random.csv", "binary data"] },
        { "analysis half-written Parquet", Estimate("@ref.csv", "@half-written.parquet"), ["half-written.parquet", "cannot be read as Parquet"] },
        { "analysis Parquet with a footer pointing nowhere", Estimate("@ref.csv", "@bad-footer.parquet"), ["bad-footer.parquet", "Parquet"] },
        { "analysis half-written CSV", Estimate("@ref.csv", "@half-written.csv"), ["half-written.csv", "row 39"] },
        { "analysis wrong schema CSV", Estimate("@ref.csv", "@wrong-schema.csv"), ["wrong-schema.csv", "column 'y_pred_proba'", "not found", "available columns: a, b"] },
        { "analysis wrong schema Parquet", Estimate("@ref.csv", "@wrong-schema.parquet"), ["wrong-schema.parquet", "column 'y_pred_proba'", "not found"] },
        { "analysis score out of range", Estimate("@ref.csv", "@score-range.csv"), ["score-range.csv", "column 'y_pred_proba'", "row 1", "outside [0, 1]"] },
        { "analysis Parquet score out of range", Estimate("@ref.csv", "@score-range.parquet", "--chunk-size", "1"), ["score-range.parquet", "column 'y_pred_proba'", "row 1", "outside [0, 1]"] },
        { "analysis score not a number", Estimate("@ref.csv", "@score-text.csv"), ["score-text.csv", "column 'y_pred_proba'", "row 1", "'high'"] },
        { "analysis Parquet score column of text", Estimate("@ref.csv", "@score-text.parquet", "--chunk-size", "1"), ["score-text.parquet", "column 'y_pred_proba'"] },
        { "analysis prediction not a label", Estimate("@ref.csv", "@pred-label.csv"), ["pred-label.csv", "column 'y_pred'", "row 1", "value 7"] },
        { "reference target not a label", Estimate("@target-label.csv", "@ana.csv"), ["target-label.csv", "column 'y_true'", "row 1", "value 3"] },
        { "analysis unclosed quote", Estimate("@ref.csv", "@unclosed-quote.csv"), ["unclosed-quote.csv"] },
        { "analysis row with an extra field", Estimate("@ref.csv", "@extra-field.csv"), ["extra-field.csv", "row 1"] },
        { "analysis duplicate header", Estimate("@ref.csv", "@duplicate-header.csv"), ["duplicate-header.csv", "y_pred"] },
        { "score column missing", Binary("--y-pred-proba", "missing_col"), ["ref.csv", "column 'missing_col'", "not found"] },
        { "timestamp column missing", Binary("--timestamp", "ts"), ["ref.csv", "column 'ts'", "not found"] },
        { "targets file missing id", Binary("--targets", "@targets-no-id.csv", "--id-column", "id"), ["targets-no-id.csv", "column 'id'", "not found"] },
        { "targets file bad label", Binary("--targets", "@targets-bad-label.csv", "--id-column", "id"), ["targets-bad-label.csv", "column 'y_true'", "row 1", "maybe"] },
        { "targets file repeats an id", Binary("--targets", "@targets-duplicate-id.csv", "--id-column", "id"), ["targets-duplicate-id.csv", "'0'"] },
        { "targets file is random bytes", Binary("--targets", "@random.csv", "--id-column", "id"), ["random.csv", "binary data"] },
        { "out is the analysis", ["estimate", "--reference", "@ref.csv", "--analysis", "@ana.csv", "--out", "@ana.csv"], ["--out", "ana.csv", "--analysis"] },
        { "out is a directory", ["estimate", "--reference", "@ref.csv", "--analysis", "@ana.csv", "--out", "@outdir"], ["--out", "outdir"] },
        { "out under a file", ["estimate", "--reference", "@ref.csv", "--analysis", "@ana.csv", "--out", "@ref.csv/x.csv"], ["--out", "ref.csv"] },
        { "save-fitted is the reference", Binary("--save-fitted", "@ref.csv"), ["--save-fitted", "ref.csv", "--reference"] },

        // estimate, multiclass
        { "multiclass pairs without a column", McEstimate("@mc-ref.csv", "@mc-ana.csv").Select(a => a == Multiclass ? "a=sa,b=" : a).ToArray(), ["--y-pred-proba"] },
        { "multiclass class mapped twice", McEstimate("@mc-ref.csv", "@mc-ana.csv").Select(a => a == Multiclass ? "a=sa,a=sb" : a).ToArray(), ["--y-pred-proba", "'a'"] },
        { "multiclass prediction not a class", McEstimate("@mc-ref.csv", "@mc-pred-label.csv"), ["mc-pred-label.csv", "column 'y_pred'", "row 1", "label 'z'"] },
        { "multiclass score out of range", McEstimate("@mc-ref.csv", "@mc-score-range.csv"), ["mc-score-range.csv", "column 'sb'", "row 1", "outside [0, 1]"] },
        { "multiclass score column missing", McEstimate("@mc-ref.csv", "@mc-no-sc.csv"), ["mc-no-sc.csv", "column 'sc'", "not found"] },
        { "multiclass analysis half-written Parquet", McEstimate("@mc-ref.csv", "@half-written.parquet"), ["half-written.parquet", "cannot be read as Parquet"] },
        { "multiclass reference is binary data", McEstimate("@random.csv", "@mc-ana.csv"), ["random.csv", "binary data"] },

        // estimate, regression
        { "regression without features", Estimate("@reg-ref.csv", "@reg-ana.csv", "--problem", "regression"), ["--features"] },
        { "regression feature missing", Regression("@reg-ref.csv", "@reg-no-x1.csv"), ["reg-no-x1.csv", "column 'x1'", "not found"] },
        { "regression prediction not a number", Regression("@reg-ref.csv", "@reg-text.csv"), ["reg-text.csv", "column 'y_pred'", "row 1", "'lots'"] },
        { "regression target not a number", Regression("@reg-true-text.csv", "@reg-ana.csv"), ["reg-true-text.csv", "column 'y_true'", "row 1", "'abc'"] },
        { "regression negative prediction for msle", Regression("@reg-ref.csv", "@reg-negative.csv", "--metrics", "msle"), ["reg-negative.csv", "column 'y_pred'", "row 1", "negative"] },
        { "regression classification metric", Regression("@reg-ref.csv", "@reg-ana.csv", "--metrics", "roc_auc"), ["--metrics", "roc_auc"] },
        { "regression targets not a number", Regression("@reg-ref.csv", "@reg-ana.csv", "--targets", "@reg-targets-text.csv", "--id-column", "id"), ["reg-targets-text.csv", "column 'y_true'", "row 1", "'twelve'"] },
        { "regression analysis empty Parquet", Regression("@reg-ref.csv", "@empty.parquet"), ["empty.parquet", "Parquet"] },

        // drift and quality
        { "drift column missing", Drift("@feat-ref.csv", "@feat-ana.csv", "--columns", "f9"), ["feat-ref.csv", "column 'f9'", "not found"] },
        { "drift unknown method", Drift("@feat-ref.csv", "@feat-ana.csv", "--continuous-methods", "bogus"), ["--continuous-methods", "'bogus'"] },
        { "drift unknown multivariate", Drift("@feat-ref.csv", "@feat-ana.csv", "--multivariate", "pca"), ["--multivariate", "'pca'"] },
        { "drift chunk size not a number", Drift("@feat-ref.csv", "@feat-ana.csv").Select(a => a == "5" ? "abc" : a).ToArray(), ["--chunk-size", "'abc' is not a whole number"] },
        { "drift unknown chunk period", ["drift", "--reference", "@feat-ref.csv", "--analysis", "@feat-ana.csv", "--out", "@out", "--columns", "f1", "--timestamp", "f1", "--chunk-period", "fortnight"], ["--chunk-period", "'fortnight' is not a period"] },
        { "drift analysis half-written Parquet", Drift("@feat-ref.csv", "@half-written.parquet"), ["half-written.parquet", "cannot be read as Parquet"] },
        { "drift analysis value not a number", Drift("@feat-ref.csv", "@feat-text.csv", "--continuous", "f1"), ["feat-text.csv", "column 'f1'", "row 2", "'three'"] },
        { "drift out is the reference", ["drift", "--reference", "@feat-ref.csv", "--analysis", "@feat-ana.csv", "--out", "@feat-ref.csv", "--columns", "f1"], ["--out", "feat-ref.csv", "--reference"] },
        { "quality no calculator", ["quality", "--reference", "@feat-ref.csv", "--analysis", "@feat-ana.csv", "--out", "@out"], ["--missing-columns"] },
        { "quality column missing", Quality("@feat-ref.csv", "@feat-ana.csv", "--unseen-columns", "f9"), ["column 'f9'", "not found"] },
        { "quality chunk number zero", Quality("@feat-ref.csv", "@feat-ana.csv").Where(a => a != "--chunk-size" && a != "5").Concat(["--chunk-number", "0"]).ToArray(), ["--chunk-number", "0 is out of range"] },
        { "quality analysis empty CSV", Quality("@feat-ref.csv", "@empty.csv"), ["empty.csv", "is empty"] },
        { "quality out extension", ["quality", "--reference", "@feat-ref.csv", "--analysis", "@feat-ana.csv", "--out", "@q.txt", "--missing-columns", "f1"], ["--out", "q.txt"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadInput_IsOneErrorLine_NamingTheCulprit_WithNoOutput(string mistake, string[] args, string[] mentions)
    {
        Assert.NotEmpty(mistake);
        var outputs = Path.Combine(files.Directory, "outputs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outputs);
        var output = Path.Combine(outputs, "result.csv");
        var inputs = Inputs();

        var error = AssertBadInput(args, output, mentions);
        Assert.False(File.Exists(output), "no output file may be written");
        Assert.Empty(Directory.GetFileSystemEntries(outputs));

        // Again over an existing output: the same error, and the file is left as it was.
        File.WriteAllText(output, "an earlier result\n");
        Assert.Equal(error, AssertBadInput(args, output, mentions));
        Assert.Equal("an earlier result\n", File.ReadAllText(output));
        Assert.Single(Directory.GetFileSystemEntries(outputs));
        Assert.Equal(inputs, Inputs());
    }

    private string AssertBadInput(string[] args, string output, string[] mentions)
    {
        var (code, stdout, stderr) = CliRunner.Run(files.Resolve(args, output));
        var lines = stderr.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l != "(run with --help for the options)")
            .ToList();
        Assert.True(lines.Count == 1, $"expected one line, got: {stderr}");
        var error = lines[0];
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Equal(2, code);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("written to", stdout, StringComparison.Ordinal);
        foreach (var mention in mentions)
        {
            Assert.True(error.Contains(mention, StringComparison.Ordinal), $"'{mention}' is not named in: {error}");
        }

        return error;
    }

    /// <summary>Every fixture file's hash: no command may change an input, and none may leave a temporary file.</summary>
    private Dictionary<string, string> Inputs() => Directory.GetFiles(files.Directory)
        .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
