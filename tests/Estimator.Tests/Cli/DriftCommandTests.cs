using System.Globalization;
using DuckDB.NET.Data;
using Estimator.IO;
using Estimator.Tests.Drift;
using Estimator.Tests.IO;

namespace Estimator.Tests.Cli;

/// <summary>
/// <c>estimator drift</c> and <c>estimator quality</c> end to end: the files they write (read back by DuckDB and as
/// text) carry NannyML's numbers, the contract's column order, and bad input gets one line.
/// </summary>
public sealed class DriftCommandTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Drift_WritesNannyMlValuesInContractColumns_WhenCarLoanIsChunkedBy5000()
    {
        var output = _files.PathOf("drift.parquet");
        var (code, stdout, stderr) = CliRunner.Run(
            "drift", "--reference", TestFiles.CarLoan("reference.parquet"), "--analysis", TestFiles.CarLoan("analysis.parquet"),
            "--columns", string.Join(',', DriftGoldenTests.Columns), "--categorical", "y_pred",
            "--continuous-methods", "kolmogorov_smirnov,jensen_shannon,wasserstein,hellinger",
            "--categorical-methods", "chi2,jensen_shannon,l_infinity,hellinger",
            "--timestamp", "timestamp", "--chunk-size", "5000", "--model", "car_loan", "--out", output);

        Assert.True(code == 0, stderr);
        Assert.Contains("720 rows", stdout, StringComparison.Ordinal);
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var file = output.Replace("'", "''", StringComparison.Ordinal);
        command.CommandText = $"SELECT string_agg(column_name, ',' ORDER BY column_index) FROM (SELECT column_name, row_number() OVER () AS column_index FROM (DESCRIBE SELECT * FROM read_parquet('{file}')))";
        Assert.Equal(string.Join(',', DriftFileWriter.Columns), command.ExecuteScalar());

        // NannyML: salary_range chi2 on analysis chunk [25000:29999] and its alert count on the analysis period.
        using var expected = DriftGoldenTests.Expected("drift_chunk_size_5000");
        var chunk = expected.RootElement.GetProperty("chunks").EnumerateArray()
            .First(c => c.GetProperty("period").GetString() == "analysis" && c.GetProperty("key").GetString() == "[25000:29999]");
        var chi2 = chunk.GetProperty("columns").GetProperty("salary_range").GetProperty("chi2");
        command.CommandText = $"SELECT value, p_value, column_kind, alert FROM read_parquet('{file}') WHERE period = 'analysis' AND chunk_key = '[25000:29999]' AND \"column\" = 'salary_range' AND method = 'chi2'";
        using (var reader = command.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal(chi2.GetProperty("value").GetDouble(), reader.GetDouble(0), 9);
            Assert.Equal(chi2.GetProperty("p_value").GetDouble(), reader.GetDouble(1), 9);
            Assert.Equal("categorical", reader.GetString(2));
            Assert.True(reader.GetBoolean(3));
        }

        command.CommandText = $"SELECT count(*) FROM read_parquet('{file}') WHERE period = 'analysis' AND \"column\" = 'car_value' AND method = 'wasserstein' AND alert";
        var alerts = expected.RootElement.GetProperty("alerts").GetProperty("car_value").GetProperty("wasserstein").GetInt64();
        Assert.Equal(alerts, Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Drift_AddsReconstructionErrorRows_WhenMultivariateIsReconstruction()
    {
        var output = _files.PathOf("drift.json");
        var (code, _, stderr) = CliRunner.Run(
            "drift", "--reference", TestFiles.CarLoan("reference.parquet"), "--analysis", TestFiles.CarLoan("analysis.parquet"),
            "--columns", "car_value,salary_range,debt_to_income_ratio,loan_length,repaid_loan_on_prev_car,size_of_downpayment,driver_tenure",
            "--multivariate", "reconstruction", "--timestamp", "timestamp", "--chunk-size", "5000", "--out", output);

        Assert.True(code == 0, stderr);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(output));
        var rows = json.RootElement.EnumerateArray().Where(r => r.GetProperty("calculator").GetString() == "reconstruction_error").ToList();
        Assert.Equal(20, rows.Count);
        Assert.All(rows, r => Assert.Equal(System.Text.Json.JsonValueKind.Null, r.GetProperty("column").ValueKind));

        // NannyML: 5 analysis alerts on this data.
        Assert.Equal(5, rows.Count(r => r.GetProperty("period").GetString() == "analysis" && r.GetProperty("alert").GetBoolean()));
    }

    [Fact]
    public void Drift_AddsDomainClassifierRows_WhenMultivariateIsClassifier()
    {
        // Reference 3000 rows; analysis 2000 rows in two chunks of 1000: the first drawn as the reference, the second
        // with x shifted by 3 standard deviations, which a classifier separates almost perfectly.
        var random = new Random(7);
        string Rows(int count, double shift) => string.Concat(Enumerable.Range(0, count).Select(_ =>
            FormattableString.Invariant($"{Normal(random) + shift},{(random.NextDouble() < 0.3 ? "a" : "b")},{Normal(random)}\n")));
        var reference = _files.PathOf("reference.csv");
        var analysis = _files.PathOf("analysis.csv");
        File.WriteAllText(reference, "x,c,z\n" + Rows(3000, 0));
        File.WriteAllText(analysis, "x,c,z\n" + Rows(1000, 0) + Rows(1000, 3));
        var output = _files.PathOf("drift.csv");

        var (code, _, stderr) = CliRunner.Run(
            "drift", "--reference", reference, "--analysis", analysis, "--columns", "x,c,z",
            "--multivariate", "classifier", "--chunk-size", "1000", "--out", output);

        Assert.True(code == 0, stderr);
        var rows = File.ReadAllLines(output).Skip(1).Select(l => l.Split(',')).Where(f => f[10] == "domain_classifier" && f[13] == "auroc").ToList();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, f =>
        {
            Assert.Equal(("", "", "auroc", "", "0.45", "0.65"), (f[11], f[12], f[13], f[16], f[19], f[20]));
        });
        var analysisRows = rows.Where(f => f[8] == "analysis").ToList();
        Assert.Equal(2, analysisRows.Count);

        // Same distribution: within 5 null standard deviations of 0.5 (Mann–Whitney: √((n0 + n1 + 1) / (12 n0 n1)) ≈ 0.0105).
        Assert.InRange(double.Parse(analysisRows[0][14], CultureInfo.InvariantCulture), 0.5 - 0.053, 0.5 + 0.053);
        Assert.Equal("false", analysisRows[0][21], ignoreCase: true);

        // A 3σ shift of one input: a perfect classifier would reach Φ(3/√2) ≈ 0.983.
        Assert.InRange(double.Parse(analysisRows[1][14], CultureInfo.InvariantCulture), 0.95, 1.0);
        Assert.Equal("true", analysisRows[1][21], ignoreCase: true);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void ReadmeSnippet_WritesNannyMlsSalaryRangeDrift()
    {
        var columns = new[] { "car_value", "salary_range", "y_pred" };
        var reference = FeatureFileReader.Read(TestFiles.CarLoan("reference.parquet"), columns, "timestamp");
        var analysis = FeatureFileReader.Read(TestFiles.CarLoan("analysis.parquet"), columns, "timestamp");
        var drift = new Estimator.Drift.UnivariateDriftCalculator(new Estimator.Drift.UnivariateDriftOptions { Columns = columns, TreatAsCategorical = ["y_pred"], Chunking = Chunking.BySize(5000) })
            .Fit(reference).Calculate(analysis, "car_loan");
        DriftFileWriter.Write([drift], _files.PathOf("drift.parquet"));

        using var expected = DriftGoldenTests.Expected("drift_chunk_size_5000");
        var js = expected.RootElement.GetProperty("chunks")[15].GetProperty("columns").GetProperty("salary_range").GetProperty("jensen_shannon").GetProperty("value").GetDouble();
        Assert.Equal(js, drift.Rows.Single(r => r.Period == Period.Analysis && r.Chunk.Index == 5 && r.Column == "salary_range").Estimated, 9);
        Assert.True(new FileInfo(_files.PathOf("drift.parquet")).Length > 0);
    }

    [Fact]
    public void Quality_WritesMissingAndUnseenRows_WhenTitanicIsGiven()
    {
        var output = _files.PathOf("quality.csv");
        var directory = Path.Combine("tests", "Estimator.Tests", "Fixtures", "nannyml", "titanic");
        var (code, stdout, stderr) = CliRunner.Run(
            "quality", "--reference", TestFiles.RepositoryFile(Path.Combine(directory, "reference.parquet")),
            "--analysis", TestFiles.RepositoryFile(Path.Combine(directory, "analysis.parquet")),
            "--missing-columns", "Age,Fare", "--unseen-columns", "Cabin", "--out", output);

        Assert.True(code == 0, stderr);
        var lines = File.ReadAllLines(output);
        Assert.Equal(string.Join(',', DriftFileWriter.Columns), lines[0]);

        // 11 reference + 11 analysis chunks × (2 missing + 1 unseen) columns.
        Assert.Equal(1 + (22 * 3), lines.Length);
        Assert.Contains("alert: unseen_values Cabin unseen_values_rate in 11 chunk(s)", stdout, StringComparison.Ordinal);

        // NannyML: Age's missing rate on the first reference chunk [0:88] is 21/89, sampling error √(p(1−p)/89).
        var age = lines.Single(l => l.Contains(",reference,", StringComparison.Ordinal) && l.Contains("[0:88]", StringComparison.Ordinal) && l.Contains(",Age,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(0.23595505617977527, double.Parse(age[14], CultureInfo.InvariantCulture), 15);
        Assert.Equal(0.04229246822712232, double.Parse(age[16], CultureInfo.InvariantCulture), 15);
    }

    [Theory]
    [InlineData("--continuous-methods", "chi2", "--continuous-methods: chi2 does not apply to continuous columns")]
    [InlineData("--categorical-methods", "wasserstein", "--categorical-methods: wasserstein does not apply to categorical columns")]
    [InlineData("--continuous-methods", "ks", "--continuous-methods: unknown method 'ks'")]
    [InlineData("--categorical", "nope", "--categorical: 'nope' is not one of --columns")]
    public void Drift_FailsWithOneLine_WhenAnOptionIsWrong(string option, string value, string message)
    {
        var (code, _, stderr) = CliRunner.Run(
            "drift", "--reference", TestFiles.CarLoan("reference.parquet"), "--analysis", TestFiles.CarLoan("analysis.parquet"),
            "--columns", "car_value,y_pred", option, value, "--out", _files.PathOf("d.csv"));

        Assert.Equal(2, code);
        Assert.Equal($"error: {message}", stderr.Trim());
        Assert.False(File.Exists(_files.PathOf("d.csv")));
    }

    [Fact]
    public void Drift_NamesTheColumn_WhenItIsNotInTheFile()
    {
        var (code, _, stderr) = CliRunner.Run(
            "drift", "--reference", TestFiles.CarLoan("reference.parquet"), "--analysis", TestFiles.CarLoan("analysis.parquet"),
            "--columns", "car_value,colour", "--out", _files.PathOf("d.csv"));

        Assert.Equal(2, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("colour", stderr, StringComparison.Ordinal);
        Assert.Contains("reference.parquet", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Quality_FailsWithOneLine_WhenNoColumnsAreGiven()
    {
        var (code, _, stderr) = CliRunner.Run(
            "quality", "--reference", TestFiles.CarLoan("reference.parquet"), "--analysis", TestFiles.CarLoan("analysis.parquet"), "--out", _files.PathOf("q.csv"));

        Assert.Equal(2, code);
        Assert.Equal("error: give at least one of --missing-columns, --unseen-columns, --range-columns and --statistics-columns", stderr.Trim());
    }
}
