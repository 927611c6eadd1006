using System.Globalization;
using System.Text.Json;
using Estimator.Calculators;
using Estimator.Estimation.Multiclass;
using Estimator.IO;
using Estimator.Tests.IO;

namespace Estimator.Tests.Cli;

/// <summary>
/// <c>estimator estimate</c> on a multiclass model (NannyML's credit-card data, three classes) against NannyML 0.13.1's
/// own outputs, within the Core parity tests' tolerances: 1e-6 (estimates, realized, thresholds), 1e-3 relative
/// (sampling errors), 1e-5 (confidence bounds); alerts, keys and row counts identical.
/// </summary>
public sealed class MulticlassEstimateCommandTests : IDisposable
{
    private static readonly string[] Metrics = ["roc_auc", "f1", "precision", "recall", "specificity", "accuracy"];

    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    private static string[] Args(string reference, string analysis, string output, string scores, params string[] extra) =>
    [
        "estimate",
        "--reference", reference,
        "--analysis", analysis,
        "--y-pred-proba", scores,
        "--timestamp", "timestamp",
        "--chunk-size", "6000",
        "--metrics", string.Join(",", Metrics),
        "--model", "credit_card",
        "--out", output,
        .. extra,
    ];

    public static TheoryData<string, string> Formats => new()
    {
        { ".csv", ".parquet" },
        { ".parquet", ".json" },
        { ".csv", ".csv" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Estimate_WritesNannyMlNumbers_WhenScoreColumnsAreShuffled(string input, string output)
    {
        var (reference, analysis) = Inputs(input);
        var path = files.PathOf("estimates" + output);

        var (code, stdout, stderr) = CliRunner.Run(Args(reference, analysis, path, CreditCardFiles.ShuffledScoreArgument));

        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        Assert.Contains("credit_card: 3 classes, 10 analysis chunks estimated, 120 rows written", stdout, StringComparison.Ordinal);
        var records = EstimateFileReader.Read(path);
        AssertMatchesNannyMl(records, "chunk_size_6000");
        Assert.All(records, r => Assert.Null(r.Class));
        Assert.All(records, r => Assert.Equal(5, r.SchemaVersion));
    }

    [Fact]
    public void Estimate_WritesNannyMlNumbers_WhenLabelsAreIntegers()
    {
        // prepaid → 0, highstreet → 1, upmarket → 2; y_true as pandas writes an integer column holding nulls ("2.0").
        var code = new Dictionary<string, string> { ["prepaid_card"] = "0", ["highstreet_card"] = "1", ["upmarket_card"] = "2" };
        string Cell(string column, string value) => column switch
        {
            "y_pred" => code[value],
            "y_true" => code[value] + ".0",
            _ => value,
        };
        var reference = CreditCardFiles.Reference.WriteCsv(files, "reference.csv", Cell);
        var analysis = CreditCardFiles.Analysis.WriteCsv(files, "analysis.csv", Cell);
        var path = files.PathOf("estimates.parquet");

        var (exit, _, stderr) = CliRunner.Run(Args(reference, analysis, path, "2=y_pred_proba_upmarket_card,0=y_pred_proba_prepaid_card,1=y_pred_proba_highstreet_card"));

        Assert.True(exit == 0, stderr);
        AssertMatchesNannyMl(EstimateFileReader.Read(path), "chunk_size_6000");
    }

    [Fact]
    public void Estimate_JoinsClassLabelTargetsById_WhenTargetsArriveLater()
    {
        var reference = CreditCardFiles.Reference.WriteCsv(files, "reference.csv");
        var analysis = CreditCardFiles.Analysis.WriteCsv(files, "analysis.csv", withId: true, drop: ["y_true"]);
        var truth = CreditCardFiles.Analysis.Column("y_true");
        var targets = files.WriteText(
            "targets.csv",
            "id,y_true\n" + string.Concat(Enumerable.Range(0, truth.Length).Reverse().Select(i => $"{i},{truth[i]}\n")));
        var path = files.PathOf("estimates.csv");

        var (code, _, stderr) = CliRunner.Run(Args(reference, analysis, path, CreditCardFiles.ShuffledScoreArgument, "--targets", targets, "--id-column", "id"));

        Assert.True(code == 0, stderr);
        AssertMatchesNannyMl(EstimateFileReader.Read(path), "chunk_size_6000");
    }

    [Fact]
    public void Estimate_WritesPerClassRowsWithTheirClass_WhenPerClassIsGiven()
    {
        var reference = CreditCardFiles.Reference.WriteCsv(files, "reference.csv");
        var analysis = CreditCardFiles.Analysis.WriteCsv(files, "analysis.csv");
        var path = files.PathOf("estimates.csv");

        var (code, stdout, stderr) = CliRunner.Run(Args(reference, analysis, path, CreditCardFiles.ShuffledScoreArgument, "--per-class"));

        Assert.True(code == 0, stderr);
        Assert.Contains("recall [upmarket_card]:", stdout, StringComparison.Ordinal);
        var records = EstimateFileReader.Read(path);
        var macro = records.Where(r => r.Class is null).ToList();
        var perClass = records.Where(r => r.Class is not null).ToList();
        AssertMatchesNannyMl(macro, "chunk_size_6000");

        // 20 chunks × 5 one-vs-rest metrics × 3 classes; accuracy has no per-class rows.
        Assert.Equal(20 * 5 * 3, perClass.Count);
        Assert.DoesNotContain(perClass, r => r.Metric == "accuracy");
        Assert.Equal(CreditCardFiles.Classes.Order(StringComparer.Ordinal), perClass.Select(r => r.Class!).Distinct().Order(StringComparer.Ordinal));

        // Realized one-vs-rest values, counted by brute force from the analysis file's labels (rows are in timestamp order).
        var predicted = CreditCardFiles.Analysis.Column("y_pred");
        var actual = CreditCardFiles.Analysis.Column("y_true");
        foreach (var r in perClass.Where(r => r.Period == "analysis" && r.Metric is "precision" or "recall" or "specificity" or "f1"))
        {
            long tp = 0, fp = 0, fn = 0, tn = 0;
            for (var i = r.ChunkStartIndex; i <= r.ChunkEndIndex; i++)
            {
                var p = predicted[i] == r.Class;
                var t = actual[i] == r.Class;
                tp += p && t ? 1 : 0;
                fp += p && !t ? 1 : 0;
                fn += !p && t ? 1 : 0;
                tn += !p && !t ? 1 : 0;
            }

            var expected = r.Metric switch
            {
                "precision" => tp / (double)(tp + fp),
                "recall" => tp / (double)(tp + fn),
                "specificity" => tn / (double)(tn + fp),
                _ => 2.0 * tp / ((2.0 * tp) + fp + fn),
            };
            Assert.True(Math.Abs(expected - r.Realized!.Value) < 1e-12, $"{r.ChunkKey} {r.Metric} [{r.Class}]: {expected} vs {r.Realized}");
        }
    }

    [Fact]
    public void Estimate_WarnsOnceWithTheCount_WhenScoresDoNotSumToOne()
    {
        var reference = CreditCardFiles.Reference.WriteCsv(files, "reference.csv");
        var source = CreditCardFiles.Analysis;
        var upmarket = Array.IndexOf(source.Header, "y_pred_proba_upmarket_card");
        var changed = 0;
        var rows = source.Rows.Select(r => r.ToArray()).ToList();
        foreach (var row in rows.Take(50))
        {
            var v = double.Parse(row[upmarket], CultureInfo.InvariantCulture);
            if (v <= 0.9 && changed < 7)
            {
                row[upmarket] = (v + 0.1).ToString("R", CultureInfo.InvariantCulture);
                changed++;
            }
        }

        var analysis = files.WriteText("analysis.csv", string.Join(",", source.Header) + "\n" + string.Concat(rows.Select(r => string.Join(",", r) + "\n")));
        var path = files.PathOf("estimates.json");

        var (code, _, stderr) = CliRunner.Run(Args(reference, analysis, path, CreditCardFiles.ShuffledScoreArgument));

        Assert.Equal(0, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("warning: 7 rows of '" + analysis + "' have class scores that do not sum to 1", line, StringComparison.Ordinal);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Estimate_SavesAFittedMulticlassModel_WhenSaveFittedIsGiven()
    {
        var reference = CreditCardFiles.Reference.WriteCsv(files, "reference.csv");
        var analysis = CreditCardFiles.Analysis.WriteCsv(files, "analysis.csv");
        var fittedPath = files.PathOf("fitted.json");

        var (code, _, stderr) = CliRunner.Run(Args(reference, analysis, files.PathOf("e.csv"), CreditCardFiles.ShuffledScoreArgument, "--save-fitted", fittedPath));

        Assert.True(code == 0, stderr);
        var fitted = Assert.IsType<FittedMulticlassCbpe>(CalculatorJson.FromJson(File.ReadAllText(fittedPath)));
        using var expected = CreditCardFiles.Expected("chunk_size_6000");
        Assert.Equal(expected.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetString()), fitted.Classes);
    }

    private (string Reference, string Analysis) Inputs(string extension) => extension == ".parquet"
        ? (CreditCardFiles.Reference.WriteParquet(files, "reference.parquet"), CreditCardFiles.Analysis.WriteParquet(files, "analysis.parquet"))
        : (CreditCardFiles.Reference.WriteCsv(files, "reference.csv"), CreditCardFiles.Analysis.WriteCsv(files, "analysis.csv"));

    /// <summary>Every chunk × metric of <paramref name="records"/> (macro rows) against NannyML's expected JSON.</summary>
    private static void AssertMatchesNannyMl(IReadOnlyList<EstimateRecord> records, string name)
    {
        using var expected = CreditCardFiles.Expected(name);
        var chunks = expected.RootElement.GetProperty("chunks").EnumerateArray().ToList();
        Assert.Equal(chunks.Count * Metrics.Length, records.Count);
        var i = 0;
        foreach (var chunk in chunks)
        {
            var period = chunk.GetProperty("period").GetString()!;
            foreach (var metric in Metrics)
            {
                var r = records[i++];
                var e = chunk.GetProperty("metrics").GetProperty(metric);
                var where = $"{period} {chunk.GetProperty("key").GetString()} {metric}";
                Assert.Equal("credit_card", r.Model);
                Assert.Equal(chunk.GetProperty("key").GetString(), r.ChunkKey);
                Assert.Equal(period, r.Period);
                Assert.Equal(metric, r.Metric);
                Assert.Equal(chunk.GetProperty("n_rows").GetInt64(), r.ChunkRows);
                Close(e, "estimated", r.Estimated, 1e-6, where);
                Assert.True(Math.Abs(e.GetProperty("sampling_error").GetDouble() - r.SamplingError!.Value) <= 1e-3 * e.GetProperty("sampling_error").GetDouble(), $"{where}: sampling_error");
                Close(e, "lower_confidence_bound", r.LowerConfidenceBound, 1e-5, where);
                Close(e, "upper_confidence_bound", r.UpperConfidenceBound, 1e-5, where);
                Close(e, "lower_threshold", r.LowerThreshold, 1e-6, where);
                Close(e, "upper_threshold", r.UpperThreshold, 1e-6, where);
                Close(e, period == "reference" ? "cbpe_realized" : "realized", r.Realized, 1e-6, where);
                Assert.True(e.GetProperty("alert").GetBoolean() == r.Alert, $"{where}: alert");
                Assert.Equal(0, r.TargetsMissingRate);
            }
        }
    }

    private static void Close(JsonElement e, string field, double? actual, double tolerance, string where)
    {
        var expected = e.GetProperty(field).GetDouble();
        Assert.True(actual is double a && Math.Abs(expected - a) <= tolerance, $"{where}: {field} expected {expected:R}, got {actual:R}");
    }
}
