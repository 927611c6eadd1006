using Estimator.Tests.Cli;
using Estimator.Tests.IO;

namespace Estimator.Tests.Reliability;

/// <summary>
/// The host configuration's bad-input matrix (issue #19): every row is one mistake in an otherwise valid
/// <c>estimator.yaml</c> (or in <c>run</c>/<c>serve</c>'s start-up options). Each must end with exit code 2 before any
/// job runs, exactly one <c>error: </c> line naming the file, line and column and the key, and no store created.
/// </summary>
public sealed class ConfigBadInputMatrixTests : IDisposable
{
    // Lines 1-6 of every case; a case replaces lines or appends after line 6.
    private static readonly string[] Base =
    [
        "store: ./store",
        "models:",
        "  - name: m",
        "    reference: @reference",
        "    analysis: ./in/*.parquet",
        "    schedule: \"0 * * * *\"",
    ];

    private readonly TestFiles files = new();

    public ConfigBadInputMatrixTests()
    {
        Directory.CreateDirectory(files.PathOf("in"));
        files.WriteText("a-file", "not a directory");
    }

    public void Dispose() => files.Dispose();

    /// <summary>The base configuration with line <paramref name="line"/> (1-based) replaced by <paramref name="text"/> (null removes it).</summary>
    private static string Replace(int line, string? text) =>
        string.Join('\n', Base.Select((l, i) => i + 1 == line ? text : l).Where(l => l is not null)) + "\n";

    private static string Append(params string[] lines) => string.Join('\n', [.. Base, .. lines]) + "\n";

    private static readonly string LongName = new('a', 120);

    public static TheoryData<string, string, string[], string[]> Cases => new()
    {
        // YAML syntax
        { "unclosed brace before a dedented line", "store: {\nmodels: x\n", ["run"], ["c.yaml:3:1", "not valid YAML", "'{' or '[' is not closed"] },
        { "tab indentation", Append("\tmetrics: [roc_auc]"), ["run"], ["c.yaml:7:", "not valid YAML"] },
        { "unclosed quote", Replace(6, "    schedule: \"0 * * * *"), ["run"], ["c.yaml:", "not valid YAML"] },
        { "a list at the top", "- store: x\n", ["run"], ["c.yaml:1:", "expected a mapping"] },
        { "an empty file", "", ["run"], ["c.yaml", "models"] },

        // keys
        { "unknown top-level key", "colour: red\n" + Append(), ["run"], ["c.yaml:1:1", "colour", "unknown key 'colour'"] },
        { "unknown model key", Append("    bogus_key: 1"), ["run"], ["c.yaml:7:5", "models[0].bogus_key", "unknown key 'bogus_key'"] },
        { "misspelt chunking key", Append("    chunking: { size: 5000, sise: 5 }"), ["run"], ["c.yaml:7:29", "models[0].chunking.sise", "unknown key 'sise'"] },
        { "schedule missing", Replace(6, null), ["run"], ["c.yaml:3:5", "models[0].schedule: missing"] },
        { "models empty", "store: ./store\nmodels: []\n", ["run"], ["c.yaml:2:9", "models", "the list is empty"] },

        // cron
        { "schedule in words", Replace(6, "    schedule: \"every minute\""), ["run"], ["c.yaml:6:15", "models[0].schedule", "'every minute' is not a cron expression"] },
        { "schedule minute out of range", Replace(6, "    schedule: \"61 * * * *\""), ["run"], ["c.yaml:6:15", "models[0].schedule", "'61 * * * *'"] },
        { "schedule with seven fields", Replace(6, "    schedule: \"0 0 * * * * *\""), ["run"], ["c.yaml:6:15", "models[0].schedule", "got 7"] },
        { "schedule bad on serve", Replace(6, "    schedule: \"*/0 * * * *\""), ["serve"], ["c.yaml:6:15", "models[0].schedule"] },

        // inputs and names
        { "reference missing", Replace(4, "    reference: ./nope.parquet"), ["run"], ["c.yaml:4:16", "models[0].reference", "file not found", "nope.parquet"] },
        { "reference is a directory", Replace(4, "    reference: ./in"), ["run"], ["c.yaml:4:16", "models[0].reference"] },
        { "analysis folder missing", Replace(5, "    analysis: ./nowhere/*.parquet"), ["run"], ["c.yaml:5:15", "models[0].analysis", "directory not found"] },
        { "unsafe model name", Replace(3, "  - name: \"../evil\""), ["run"], ["c.yaml:3:11", "models[0].name", "unsafe model name '../evil'"] },
        { "over-long model name", Replace(3, "  - name: " + LongName), ["run"], ["c.yaml:3:11", "models[0].name", "has 120 characters; at most 100"] },
        { "two models of one name", Append("  - name: m", "    reference: @reference", "    analysis: ./in/*.parquet", "    schedule: \"0 * * * *\""), ["run"], ["c.yaml:7:11", "models[1].name", "'m'"] },
        { "store is a file", Replace(1, "store: ./a-file"), ["run"], ["c.yaml:1:8", "store", "is a file"] },
        { "store is a file on serve", Replace(1, "store: ./a-file"), ["serve"], ["c.yaml:1:8", "store", "is a file"] },
        { "unknown storage kind", "storage: { kind: redis }\n" + Append(), ["run"], ["c.yaml:1:", "storage.kind", "redis"] },

        // model options
        { "chunk size negative", Append("    chunking: { size: -3 }"), ["run"], ["c.yaml:7:23", "models[0].chunking.size", "'-3'"] },
        { "two chunkings", Append("    chunking: { size: 5000, number: 10 }"), ["run"], ["c.yaml:7:", "models[0].chunking"] },
        { "unknown metric", Append("    metrics: [roc_auc, bogus]"), ["run"], ["c.yaml:7:", "models[0].metrics", "bogus"] },
        { "unknown calibration", Append("    calibration: sometimes"), ["run"], ["c.yaml:7:18", "models[0].calibration", "sometimes"] },
        { "regression with a score column", Append("    problem: regression", "    features: [a]", "    columns: { y_pred_proba: p }"), ["run"], ["c.yaml:9:30", "models[0].columns.y_pred_proba", "a regression model has no score column"] },
        { "regression without features", Append("    problem: regression"), ["run"], ["c.yaml:", "models[0].features"] },
        { "regression with a classification metric", Append("    problem: regression", "    features: [a]", "    metrics: [roc_auc]"), ["run"], ["c.yaml:9:", "models[0].metrics", "roc_auc"] },
        { "regression feature twice", Append("    problem: regression", "    features: [x1, x1]"), ["run"], ["c.yaml:8:20", "models[0].features[1]", "'x1' is listed twice"] },
        { "unknown problem", Append("    problem: ranking"), ["run"], ["c.yaml:7:14", "models[0].problem", "ranking"] },

        // start-up options
        { "run of a model not configured", Append(), ["run", "--model", "zz"], ["--model", "no model 'zz'"] },
        { "serve on a bad URL", Append(), ["serve", "--urls", "notaurl"], ["--urls 'notaurl'", "not a URL"] },
        { "serve with an unknown role", Append(), ["serve", "--role", "sideways"], ["--role", "'sideways'"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadConfig_IsOneErrorLine_WithFileLineAndKey_BeforeAnyJob(string mistake, string yaml, string[] command, string[] mentions)
    {
        Assert.NotEmpty(mistake);
        var config = files.WriteText("c.yaml", yaml.Replace("@reference", TestFiles.CarLoan("reference.parquet"), StringComparison.Ordinal));

        AssertBadInput([command[0], "--config", config, .. command[1..]], mentions);

        Assert.False(Directory.Exists(files.PathOf("store")), "no store may be created");
    }

    [Theory]
    [InlineData("nope.yaml", "cannot read the configuration file")]
    [InlineData("in", "is a directory; give the configuration file")]
    [InlineData("binary.yaml", "binary.yaml")]
    public void UnreadableConfigFile_IsOneErrorLine_NamingIt(string name, string says)
    {
        File.WriteAllBytes(files.PathOf("binary.yaml"), [0x00, 0xFF, 0xFE, 0x7B, 0x0A, 0x09, 0x01, 0x80]);

        AssertBadInput(["run", "--config", files.PathOf(name)], [name, says]);
    }

    private static void AssertBadInput(string[] args, string[] mentions)
    {
        var (code, _, stderr) = CliRunner.Run(args);
        var lines = stderr.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l != "(run with --help for the options)")
            .ToList();
        Assert.True(lines.Count == 1, $"expected one line, got: {stderr}");
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal(2, code);
        foreach (var mention in mentions)
        {
            Assert.True(lines[0].Contains(mention, StringComparison.Ordinal), $"'{mention}' is not named in: {lines[0]}");
        }
    }
}
