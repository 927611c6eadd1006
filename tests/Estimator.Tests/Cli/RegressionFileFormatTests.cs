using Estimator.IO;
using Estimator.Tests.IO;

namespace Estimator.Tests.Cli;

/// <summary>
/// <c>estimator estimate --problem regression</c> on small seeded files: CSV input read whole, Parquet input streamed
/// row group by row group (groups that do not line up with chunks), both giving the same rows.
/// </summary>
public sealed class RegressionFileFormatTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    private static readonly SmallRegression ReferenceRows = SmallRegression.Create(600, seed: 1);

    private static readonly SmallRegression AnalysisRows = SmallRegression.Create(400, seed: 2, firstId: 10_000);

    private static (int Code, string Stdout, string Stderr) Estimate(string reference, string analysis, string output, params string[] extra) => CliRunner.Run(
    [
        "estimate", "--problem", "regression", "--reference", reference, "--analysis", analysis,
        "--features", "x1,g", "--out", output, "--quiet", .. extra,
    ]);

    [Fact]
    public void Csv_WritesEveryChunkAndMetric_WithRealizedValuesFromTheAnalysisFile()
    {
        var reference = files.WriteText("reference.csv", ReferenceRows.Csv());
        var analysis = files.WriteText("analysis.csv", AnalysisRows.Csv());
        var output = files.PathOf("estimates.json");

        var (code, stdout, stderr) = Estimate(reference, analysis, output, "--chunk-size", "100", "--metrics", "mae,mse,msle");

        Assert.True(code == 0, stderr);
        Assert.Contains("model: 4 analysis chunks estimated (direct loss estimation), 30 rows written", stdout, StringComparison.Ordinal);
        var records = EstimateFileReader.Read(output);
        Assert.Equal(30, records.Count); // (6 reference + 4 analysis chunks) × 3 metrics
        for (var k = 0; k < 4; k++)
        {
            var rows = Enumerable.Range(100 * k, 100).ToList();
            var mae = rows.Average(i => Math.Abs(AnalysisRows.Actual[i] - AnalysisRows.Predicted[i]));
            var mse = rows.Average(i => Math.Pow(AnalysisRows.Actual[i] - AnalysisRows.Predicted[i], 2));
            var msle = rows.Average(i => Math.Pow(Math.Log(1 + AnalysisRows.Actual[i]) - Math.Log(1 + AnalysisRows.Predicted[i]), 2));
            Assert.Equal(mae, Row(records, k, "mae").Realized!.Value, 1e-12);
            Assert.Equal(mse, Row(records, k, "mse").Realized!.Value, 1e-12);
            Assert.Equal(msle, Row(records, k, "msle").Realized!.Value, 1e-12);
            Assert.All(records.Where(r => r.ChunkIndex == k && r.Period == "analysis"), r => Assert.True(r.Estimated > 0));
        }
    }

    [Theory]
    [InlineData("--chunk-size", "100", null, 4)]
    [InlineData("--chunk-size", "90", "drop", 4)]
    [InlineData("--chunk-size", "90", "append", 4)]
    [InlineData("--chunk-number", "3", null, 4)] // 3 chunks of 133 rows and the 1 row left over, kept
    public void StreamedParquet_GivesTheRowsOfTheInMemoryCsv(string option, string value, string? incomplete, int chunks)
    {
        var reference = files.WriteText("reference.csv", ReferenceRows.Csv());
        var csv = files.WriteText("analysis.csv", AnalysisRows.Csv());
        var parquet = files.PathOf("analysis.parquet");
        AnalysisRows.WriteParquet(parquet, groupRows: 70);
        string[] chunking = incomplete is null ? [option, value] : [option, value, "--incomplete", incomplete];

        var fromCsv = Estimate(reference, csv, files.PathOf("csv.parquet"), chunking);
        var fromParquet = Estimate(reference, parquet, files.PathOf("streamed.parquet"), chunking);

        Assert.True(fromCsv.Code == 0, fromCsv.Stderr);
        Assert.True(fromParquet.Code == 0, fromParquet.Stderr);
        var expected = EstimateFileReader.Read(files.PathOf("csv.parquet"));
        var streamed = EstimateFileReader.Read(files.PathOf("streamed.parquet"));
        Assert.Equal(chunks, expected.Where(r => r.Period == "analysis").Select(r => r.ChunkIndex).Distinct().Count());
        Assert.Equal(expected.Count, streamed.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i] with { EstimatedAt = null }, streamed[i] with { EstimatedAt = null });
        }
    }

    [Theory]
    [InlineData("month", 4)] // 400 rows six hours apart from 1 January 2025: 100 days, January to April
    [InlineData("week", 15)]
    public void StreamedParquet_GivesTheRowsOfTheInMemoryCsv_WithPeriodChunks(string period, int chunks)
    {
        var reference = files.WriteText("reference.csv", ReferenceRows.Csv(withTimestamps: true));
        var later = AnalysisRows with { Timestamps = [.. AnalysisRows.Timestamps.Select(t => t.AddDays(366))] };
        var csv = files.WriteText("analysis.csv", later.Csv(withTimestamps: true));
        var parquet = files.PathOf("analysis.parquet");
        later.WriteParquet(parquet, groupRows: 70, withTimestamps: true);
        string[] chunking = ["--timestamp", "timestamp", "--chunk-period", period];

        var fromCsv = Estimate(reference, csv, files.PathOf("csv.parquet"), chunking);
        var fromParquet = Estimate(reference, parquet, files.PathOf("streamed.parquet"), chunking);

        Assert.True(fromCsv.Code == 0, fromCsv.Stderr);
        Assert.True(fromParquet.Code == 0, fromParquet.Stderr);
        Assert.True(fromParquet.Stderr.Length == 0, fromParquet.Stderr);
        var expected = EstimateFileReader.Read(files.PathOf("csv.parquet"));
        var streamed = EstimateFileReader.Read(files.PathOf("streamed.parquet"));
        Assert.Equal(chunks, expected.Where(r => r.Period == "analysis").Select(r => r.ChunkIndex).Distinct().Count());
        Assert.Equal(expected.Select(r => r with { EstimatedAt = null }), streamed.Select(r => r with { EstimatedAt = null }));
    }

    [Fact]
    public void ParquetWithTimestampsOutOfOrder_IsReadWholeAndSorted_AsTheCsv()
    {
        var reference = files.WriteText("reference.csv", ReferenceRows.Csv(withTimestamps: true));
        var shuffled = AnalysisRows with { Timestamps = [.. AnalysisRows.Timestamps] };
        (shuffled.Timestamps[150], shuffled.Timestamps[250]) = (shuffled.Timestamps[250], shuffled.Timestamps[150]);
        var csv = files.WriteText("analysis.csv", shuffled.Csv(withTimestamps: true));
        var parquet = files.PathOf("analysis.parquet");
        shuffled.WriteParquet(parquet, groupRows: 70, withTimestamps: true);

        var fromCsv = Estimate(reference, csv, files.PathOf("csv.parquet"), "--chunk-size", "100", "--timestamp", "timestamp");
        var fromParquet = Estimate(reference, parquet, files.PathOf("parquet.parquet"), "--chunk-size", "100", "--timestamp", "timestamp");

        Assert.True(fromCsv.Code == 0, fromCsv.Stderr);
        Assert.True(fromParquet.Code == 0, fromParquet.Stderr);
        Assert.Equal("note: the analysis rows are not in timestamp order; reading the whole file to sort it", fromParquet.Stderr.Trim());
        var expected = EstimateFileReader.Read(files.PathOf("csv.parquet"));
        var actual = EstimateFileReader.Read(files.PathOf("parquet.parquet"));
        Assert.Equal(expected.Select(r => r with { EstimatedAt = null }), actual.Select(r => r with { EstimatedAt = null }));

        // Sorted, chunk 1 holds rows 100..199 by time: its realized MAE is the brute-force mean over those timestamps' rows.
        var byTime = Enumerable.Range(0, shuffled.Count).OrderBy(i => shuffled.Timestamps[i]).Skip(100).Take(100).ToList();
        var mae = byTime.Average(i => Math.Abs(shuffled.Actual[i] - shuffled.Predicted[i]));
        Assert.Equal(mae, Row(actual, 1, "mae").Realized!.Value, 1e-12);
    }

    [Fact]
    public void StreamedParquet_NamesTheFileRowOfANegativeValue_InALaterRowGroup()
    {
        var reference = files.WriteText("reference.csv", ReferenceRows.Csv());
        var bad = AnalysisRows with { Predicted = [.. AnalysisRows.Predicted] };
        bad.Predicted[157] = -1.5;
        var parquet = files.PathOf("analysis.parquet");
        bad.WriteParquet(parquet, groupRows: 70);
        var output = files.PathOf("out.csv");

        var (code, _, stderr) = Estimate(reference, parquet, output, "--chunk-size", "100");

        Assert.Equal(2, code);
        Assert.Equal(
            $"error: file '{parquet}', column 'y_pred', row 157: the value -1.5 is negative; msle and rmsle take logarithms and need non-negative values (leave them out of --metrics to estimate the others)",
            stderr.Trim());
        Assert.False(File.Exists(output));
    }

    private static EstimateRecord Row(IReadOnlyList<EstimateRecord> records, int chunk, string metric) =>
        records.Single(r => r.Period == "analysis" && r.ChunkIndex == chunk && r.Metric == metric);
}
