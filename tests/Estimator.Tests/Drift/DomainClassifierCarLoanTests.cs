using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Learning;
using Estimator.Tests.IO;

namespace Estimator.Tests.Drift;

/// <summary>
/// The domain classifier on the car-loan data against NannyML 0.13.1's own tutorial output ("Tutorial - Drift -
/// Multivariate - Domain Classifier" notebook in NannyML's docs, same columns, chunk size 5000, LightGBM defaults).
/// FastTree stands in for LightGBM, so values are compared within a tolerance; the alerts must be NannyML's (and the
/// known truth of this data set: chunks 5–9 drift).
/// </summary>
public sealed class DomainClassifierCarLoanTests
{
    private static readonly string[] Features =
        ["car_value", "salary_range", "debt_to_income_ratio", "loan_length", "repaid_loan_on_prev_car", "size_of_downpayment", "driver_tenure"];

    // NannyML 0.13.1's values, reference chunks then analysis chunks.
    private static readonly double[] NannyMl =
    [
        0.508085, 0.505428, 0.506587, 0.499824, 0.507135, 0.498486, 0.501805, 0.494281, 0.505302, 0.502734,
        0.502704, 0.496390, 0.490815, 0.493005, 0.503402, 0.913519, 0.913364, 0.916356, 0.913297, 0.916694,
    ];

    [Fact]
    public void Calculate_MatchesNannyMlsAlertsAndValuesWithinTheLearnersDifference()
    {
        var reference = FeatureFileReader.Read(TestFiles.CarLoan("reference.parquet"), Features, "timestamp");
        var analysis = FeatureFileReader.Read(TestFiles.CarLoan("analysis.parquet"), Features, "timestamp");
        var fitted = new DomainClassifierCalculator(new DomainClassifierOptions { Columns = Features, Chunking = Chunking.BySize(5000) }).Fit(reference, ComputeOptions.Default);

        var all = fitted.Calculate(analysis, "car_loan", ComputeOptions.Default).Rows;
        var rows = all.Where(r => r.Metric == "auroc").ToList();

        Assert.Equal(20, rows.Count);
        for (var k = 0; k < rows.Count; k++)
        {
            var row = rows[k];
            var where = $"{row.Period} {row.Chunk.Key}: {row.Estimated} vs NannyML {NannyMl[k]}";

            // Measured: |Δ| ≤ 0.007 (no-drift chunks differ by their noise, ±0.01 around 0.5; drifted ones by ≤ 0.004).
            Assert.True(Math.Abs(row.Estimated - NannyMl[k]) <= 0.01, where);
            Assert.True(row.Alert == (row.Period == Period.Analysis && row.Chunk.Index >= 5), where);
            Assert.Equal((0.45, 0.65), (row.LowerThreshold, row.UpperThreshold));
            Assert.True(double.IsNaN(row.SamplingError), where);
            Assert.Equal(CalculatorKind.DomainClassifier, row.Calculator);
        }

        // Read back from JSON (which carries the encoded reference), a chunk computes to the same row.
        var back = CalculatorJson.FromJson(fitted.ToJson());
        var chunk = rows[15].Chunk;
        Assert.Equal(fitted.ReferenceRows, back.ReferenceRows);
        Assert.Equal(all.Where(r => r.Period == Period.Analysis && r.Chunk.Index == chunk.Index), back.CalculateChunk(analysis.Slice((int)chunk.StartIndex, (int)chunk.Rows), chunk));

        // In the drifted chunks (5–9) the trees split most on a column NannyML's univariate drift alerts on in that chunk,
        // and the columns' shares sum to 1.
        using var drift = DriftGoldenTests.Expected("drift_chunk_size_5000");
        var alerting = drift.RootElement.GetProperty("chunks").EnumerateArray()
            .Where(c => c.GetProperty("period").GetString() == "analysis")
            .ToDictionary(
                c => c.GetProperty("chunk_index").GetInt32(),
                c => c.GetProperty("columns").EnumerateObject().Where(col => col.Value.EnumerateObject().Any(m => m.Value.GetProperty("alert").GetBoolean())).Select(col => col.Name).ToHashSet());
        foreach (var drifted in all.Where(r => r.Period == Period.Analysis && r.Chunk.Index >= 5 && r.Metric == "feature_importance").GroupBy(r => r.Chunk.Index))
        {
            var top = drifted.MaxBy(r => r.Estimated)!;
            Assert.Contains(top.Column!, alerting[drifted.Key]);
            Assert.Equal(1, drifted.Sum(r => r.Estimated), 9);
        }
    }
}
