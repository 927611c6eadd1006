using System.Text.Json;
using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Quality;
using Estimator.Tests.IO;

namespace Estimator.Tests.Drift;

/// <summary>
/// Missing and unseen values against NannyML 0.13.1's output (Fixtures/nannyml, see its NOTICE) on the car-loan data
/// (no missing values) and on titanic (missing Age, Cabin, Embarked, Fare; unseen Ticket and Cabin): every value,
/// sampling error, bound and threshold |Δ| ≤ 1e-9, alerts identical.
/// </summary>
public sealed class DataQualityGoldenTests
{
    [Fact]
    public void Calculate_MatchesNannyMl_WhenCarLoanIsChunkedBy5000()
    {
        using var expected = DriftGoldenTests.Expected("data_quality_chunk_size_5000");
        var rows = Run(expected, "car_loan", TestFiles.CarLoan("reference.parquet"), TestFiles.CarLoan("analysis.parquet"), "timestamp", Chunking.BySize(5000));

        AssertMatches(expected, rows);
    }

    [Fact]
    public void Calculate_MatchesNannyMl_WhenTitanicHasMissingAndUnseenValues()
    {
        using var expected = DriftGoldenTests.Expected(Path.Combine("titanic", "data_quality_default_chunker"));
        var directory = Path.Combine("tests", "Estimator.Tests", "Fixtures", "nannyml", "titanic");
        var rows = Run(
            expected,
            "titanic",
            TestFiles.RepositoryFile(Path.Combine(directory, "reference.parquet")),
            TestFiles.RepositoryFile(Path.Combine(directory, "analysis.parquet")),
            null,
            Chunking.Default);

        AssertMatches(expected, rows);
        Assert.Contains(rows, r => r.Calculator == CalculatorKind.UnseenValues && r.Period == Period.Analysis && r.Alert);
        Assert.Contains(rows, r => r.Calculator == CalculatorKind.MissingValues && r.Period == Period.Analysis && r.Alert);
    }

    private static List<ChunkEstimate> Run(JsonDocument expected, string model, string referencePath, string analysisPath, string? timestamp, Chunking chunking)
    {
        var calculators = expected.RootElement.GetProperty("calculators");
        var missing = Names(calculators.GetProperty("missing_values").GetProperty("columns"));
        var unseen = Names(calculators.GetProperty("unseen_values").GetProperty("columns"));
        var all = missing.Union(unseen).ToList();
        var reference = FeatureFileReader.Read(referencePath, all, timestamp);
        var analysis = FeatureFileReader.Read(analysisPath, all, timestamp);

        var rows = new List<ChunkEstimate>();
        rows.AddRange(new MissingValuesCalculator(new DataQualityOptions { Columns = missing, Chunking = chunking }).Fit(reference).Calculate(analysis, model).Rows);
        rows.AddRange(new UnseenValuesCalculator(new DataQualityOptions { Columns = unseen, Chunking = chunking }).Fit(reference).Calculate(analysis, model).Rows);
        return rows;
    }

    private static List<string> Names(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    internal static void AssertMatches(JsonDocument expected, List<ChunkEstimate> rows)
    {
        var byKey = rows.ToLookup(r => (r.Period, r.Chunk.Key, r.Calculator, r.Column));
        var compared = 0;
        foreach (var chunk in expected.RootElement.GetProperty("chunks").EnumerateArray())
        {
            var period = chunk.GetProperty("period").GetString() == "reference" ? Period.Reference : Period.Analysis;
            var key = chunk.GetProperty("key").GetString()!;
            foreach (var calculator in chunk.GetProperty("calculators").EnumerateObject())
            {
                var kind = CalculatorKinds.Parse(calculator.Name);
                foreach (var column in calculator.Value.EnumerateObject())
                {
                    var row = Assert.Single(byKey[(period, key, kind, column.Name)]);
                    var where = $"{period} {key} {calculator.Name} {column.Name}";
                    var e = column.Value;
                    DriftGoldenTests.AssertClose(e.GetProperty("value"), row.Estimated, 1e-9, where + " value");
                    DriftGoldenTests.AssertClose(e.GetProperty("upper_threshold"), row.UpperThreshold, 1e-9, where + " upper");
                    DriftGoldenTests.AssertClose(e.GetProperty("lower_threshold"), row.LowerThreshold, 1e-9, where + " lower");
                    if (e.TryGetProperty("sampling_error", out var se))
                    {
                        DriftGoldenTests.AssertClose(se, row.SamplingError, 1e-9, where + " sampling error");
                        DriftGoldenTests.AssertClose(e.GetProperty("upper_confidence_boundary"), row.UpperConfidenceBound, 1e-9, where + " ucb");
                        DriftGoldenTests.AssertClose(e.GetProperty("lower_confidence_boundary"), row.LowerConfidenceBound, 1e-9, where + " lcb");
                    }

                    Assert.True(e.GetProperty("alert").GetBoolean() == row.Alert, where + " alert");
                    Assert.Equal(chunk.GetProperty("n_rows").GetInt64(), row.Chunk.Rows);
                    compared++;
                }
            }
        }

        Assert.Equal(compared, rows.Count);
    }
}
