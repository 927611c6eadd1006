using Estimator.Calculators;
using Estimator.Drift;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Tests.IO;

namespace Estimator.Tests.Drift;

/// <summary>
/// PCA reconstruction error against NannyML 0.13.1 on the car-loan features (Fixtures/nannyml, see its NOTICE): value,
/// sampling error, bounds and thresholds |Δ| ≤ 1e-6, the number of components and alerts identical.
/// </summary>
public sealed class ReconstructionGoldenTests
{
    private static readonly string[] Features =
        ["car_value", "salary_range", "debt_to_income_ratio", "loan_length", "repaid_loan_on_prev_car", "size_of_downpayment", "driver_tenure"];

    [Fact]
    public void Calculate_MatchesNannyMl_WhenCarLoanIsChunkedBy5000()
    {
        var reference = FeatureFileReader.Read(TestFiles.CarLoan("reference.parquet"), Features, "timestamp");
        var analysis = FeatureFileReader.Read(TestFiles.CarLoan("analysis.parquet"), Features, "timestamp");
        var fitted = new ReconstructionErrorCalculator(new ReconstructionErrorOptions { Columns = Features, Chunking = Chunking.BySize(5000) }).Fit(reference, ComputeOptions.Default);
        var rows = fitted.Calculate(analysis, "car_loan", ComputeOptions.Default).Rows;
        using var expected = DriftGoldenTests.Expected("reconstruction_chunk_size_5000");

        Assert.Equal(expected.RootElement.GetProperty("fitted").GetProperty("pca").GetProperty("n_components_").GetInt32(), fitted.Components);
        var chunks = expected.RootElement.GetProperty("chunks").EnumerateArray().ToList();
        Assert.Equal(chunks.Count, rows.Count);
        for (var k = 0; k < chunks.Count; k++)
        {
            var e = chunks[k].GetProperty("reconstruction_error");
            var row = rows[k];
            var where = $"{row.Period} {row.Chunk.Key}";
            Assert.Equal(chunks[k].GetProperty("key").GetString(), row.Chunk.Key);
            DriftGoldenTests.AssertClose(e.GetProperty("value"), row.Estimated, 1e-6, where + " value");
            DriftGoldenTests.AssertClose(e.GetProperty("sampling_error"), row.SamplingError, 1e-6, where + " sampling error");
            DriftGoldenTests.AssertClose(e.GetProperty("upper_confidence_boundary"), row.UpperConfidenceBound, 1e-6, where + " ucb");
            DriftGoldenTests.AssertClose(e.GetProperty("lower_confidence_boundary"), row.LowerConfidenceBound, 1e-6, where + " lcb");
            DriftGoldenTests.AssertClose(e.GetProperty("upper_threshold"), row.UpperThreshold, 1e-6, where + " upper");
            DriftGoldenTests.AssertClose(e.GetProperty("lower_threshold"), row.LowerThreshold, 1e-6, where + " lower");
            Assert.True(e.GetProperty("alert").GetBoolean() == row.Alert, where + " alert");
        }

        var back = CalculatorJson.FromJson(fitted.ToJson());
        Assert.Equal(rows, back.Calculate(analysis, "car_loan", ComputeOptions.Serial).Rows);
    }
}
