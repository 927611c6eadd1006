using System.Globalization;
using System.Text.Json;
using Estimator.IO;
using Estimator.Tests.IO;

namespace Estimator.Tests.Cli;

public sealed class EstimateCommandTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    private static string[] CarLoanArgs(string output, params string[] extra) =>
    [
        "estimate",
        "--reference", TestFiles.CarLoan("reference.parquet"),
        "--analysis", TestFiles.CarLoan("analysis.parquet"),
        "--targets", TestFiles.CarLoan("analysis_targets.parquet"),
        "--id-column", "id",
        "--y-true", "repaid",
        "--timestamp", "timestamp",
        "--model", "car_loan",
        "--out", output,
        .. extra,
    ];

    public static TheoryData<string, string, string[]> GoldenCases => new()
    {
        { "chunk_size_5000", ".parquet", ["--chunk-size", "5000"] },
        { "chunk_number_7", ".csv", ["--chunk-number", "7"] },
        { "period_M", ".json", ["--chunk-period", "month"] },
    };

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Estimate_WritesNannyMlNumbers_ToEstimateFile(string name, string extension, string[] chunking)
    {
        var output = files.PathOf("estimates" + extension);

        var (code, stdout, stderr) = CliRunner.Run(CarLoanArgs(output, chunking));

        Assert.True(code == 0, stderr);
        Assert.Contains("car_loan", stdout, StringComparison.Ordinal);
        var records = EstimateFileReader.Read(output);
        using var expected = JsonDocument.Parse(File.ReadAllText(TestFiles.Expected(name)));
        var chunks = expected.RootElement.GetProperty("chunks").EnumerateArray().ToList();
        string[] metrics = ["roc_auc", "precision", "recall", "f1", "accuracy", "specificity"];
        Assert.Equal(chunks.Count * metrics.Length, records.Count);
        var i = 0;
        foreach (var chunk in chunks)
        {
            foreach (var metric in metrics)
            {
                var r = records[i++];
                var e = chunk.GetProperty("metrics").GetProperty(metric);
                var period = chunk.GetProperty("period").GetString()!;
                Assert.Equal(5, r.SchemaVersion);
                Assert.False(r.Provisional);
                Assert.NotNull(r.EstimatedAt);
                Assert.Null(r.RunId);
                Assert.Equal("car_loan", r.Model);
                Assert.Equal(chunk.GetProperty("key").GetString(), r.ChunkKey);
                Assert.Equal(period, r.Period);
                Assert.Equal(metric, r.Metric);
                Assert.Equal(chunk.GetProperty("n_rows").GetInt64(), r.ChunkRows);
                Assert.Equal(e.GetProperty("estimated").GetDouble(), r.Estimated!.Value, 9);
                Assert.Equal(e.GetProperty("sampling_error").GetDouble(), r.SamplingError!.Value, 9);
                Assert.Equal(e.GetProperty("lower_confidence_bound").GetDouble(), r.LowerConfidenceBound!.Value, 9);
                Assert.Equal(e.GetProperty("upper_confidence_bound").GetDouble(), r.UpperConfidenceBound!.Value, 9);
                Assert.Equal(e.GetProperty("lower_threshold").GetDouble(), r.LowerThreshold!.Value, 9);
                Assert.Equal(e.GetProperty("upper_threshold").GetDouble(), r.UpperThreshold!.Value, 9);
                Assert.Equal(e.GetProperty("alert").GetBoolean(), r.Alert);
                var realized = e.GetProperty(period == "reference" ? "cbpe_realized" : "realized").GetDouble();
                Assert.Equal(realized, r.Realized!.Value, 9);
                Assert.Equal(0, r.TargetsMissingRate);
                var start = DateTime.Parse(chunk.GetProperty("start_date").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                Assert.True(Math.Abs((start - r.ChunkStartDate!.Value).TotalMilliseconds) < 1, $"{r.ChunkKey} start {r.ChunkStartDate:O}");
            }
        }
    }

    [Fact]
    public void Estimate_LeavesRealizedEmpty_WithoutTargets()
    {
        var output = files.PathOf("e.csv");

        var (code, _, stderr) = CliRunner.Run(
            "estimate", "--reference", TestFiles.CarLoan("reference.parquet"), "--analysis", TestFiles.CarLoan("analysis.parquet"),
            "--y-true", "repaid", "--metrics", "roc_auc,confusion_matrix", "--out", output);

        Assert.True(code == 0, stderr);
        var records = EstimateFileReader.Read(output);
        Assert.Equal((10 + 10) * 5, records.Count);
        Assert.All(records.Where(r => r.Period == "analysis"), r => Assert.Null(r.Realized));
        Assert.All(records.Where(r => r.Period == "analysis"), r => Assert.Null(r.TargetsMissingRate));
        Assert.All(records, r => Assert.Null(r.ChunkStartDate));
        Assert.Equal(["roc_auc", "true_positive", "true_negative", "false_positive", "false_negative"], records.Take(5).Select(r => r.Metric));
    }

    [Fact]
    public void Estimate_SavesFittedModel_ThatReloads()
    {
        var output = files.PathOf("e.json");
        var fitted = files.PathOf("fitted.json");

        var (code, _, stderr) = CliRunner.Run(CarLoanArgs(output, "--chunk-size", "5000", "--save-fitted", fitted));

        Assert.True(code == 0, stderr);
        var model = Estimation.FittedCbpe.FromJson(File.ReadAllText(fitted));
        Assert.True(model.Calibration.Applied);
        Assert.Equal(10 * 6, model.ReferenceRows.Count);
    }

    [Fact]
    public void Help_DocumentsEveryOption()
    {
        var (code, stdout, _) = CliRunner.Run("estimate", "--help");

        Assert.Equal(0, code);
        foreach (var option in new[]
        {
            "--reference", "--analysis", "--targets", "--id-column", "--y-pred-proba", "--y-pred", "--y-true", "--timestamp",
            "--chunk-size", "--chunk-number", "--chunk-period", "--incomplete", "--metrics", "--calibration", "--model", "--out",
        })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("estimate", "--help")]
    [InlineData("serve", "--help")]
    public void Help_ListsTheExitCodes(params string[] args)
    {
        var (code, stdout, _) = CliRunner.Run(args);

        Assert.Equal(0, code);
        var exitCodes = stdout[stdout.IndexOf("Exit codes:", StringComparison.Ordinal)..];
        Assert.Contains("  0  success", exitCodes, StringComparison.Ordinal);
        Assert.Contains("  1  unexpected failure", exitCodes, StringComparison.Ordinal);
        Assert.Contains("  2  bad input", exitCodes, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_SortsInMemory_WhenAStreamedParquetFileIsOutOfTimestampOrder()
    {
        // 3,000 rows whose timestamps run backwards: the streamed pass stops at row 1 and the in-memory pass sorts.
        var random = new Random(11);
        var n = 3000;
        var scores = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble(), 2)).ToArray();
        var labels = scores.Select(s => random.NextDouble() < s ? 1 : 0).ToArray();
        var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var timestamps = Enumerable.Range(0, n).Select(i => start.AddMinutes(n - i)).ToArray();
        (Parquet.Schema.DataField, Array)[] Columns(bool withTargets) =>
        [
            (new Parquet.Schema.DataField<double>("y_pred_proba"), scores),
            (new Parquet.Schema.DataField<int>("y_pred"), scores.Select(s => s >= 0.5 ? 1 : 0).ToArray()),
            (new Parquet.Schema.DataField<DateTime>("timestamp"), timestamps),
            .. withTargets ? [(new Parquet.Schema.DataField<int>("y_true"), (Array)labels)] : Array.Empty<(Parquet.Schema.DataField, Array)>(),
        ];
        var reference = files.WriteParquet("reference.parquet", Columns(withTargets: true));
        var analysis = files.WriteParquet("analysis.parquet", Columns(withTargets: false));
        var output = files.PathOf("out.csv");

        var (code, _, stderr) = CliRunner.Run(["estimate", "--reference", reference, "--analysis", analysis, "--timestamp", "timestamp", "--chunk-size", "1000", "--out", output]);

        Assert.True(code == 0, stderr);
        Assert.Contains("not in timestamp order", stderr, StringComparison.Ordinal);
        var analysisRows = EstimateFileReader.Read(output).Where(r => r.Period == "analysis").ToList();
        Assert.Equal(3 * 6, analysisRows.Count);
        // Sorted ascending, the first analysis chunk holds the file's last 1,000 rows: its start date is the earliest.
        Assert.Equal(start.AddMinutes(1), analysisRows[0].ChunkStartDate);
    }
}
