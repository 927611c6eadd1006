using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.Quality;

namespace Estimator.Tests.Quality;

/// <summary>Data-quality calculators on small data worked by hand, plus the seam (JSON round trip, caller-formed chunks).</summary>
public sealed class DataQualityCalculatorTests
{
    // Reference: x = 1..10 (one missing), label a/b/missing; analysis chunks of 4 rows.
    private static ModelData Reference() => new(10)
    {
        Features =
        [
            new NumericFeature("x", [1, 2, 3, double.NaN, 5, 6, 7, 8, 9, 10]),
            new CategoricalFeature("label", ["a", "b", "a", null, "b", "a", "b", "a", "b", "a"]),
            new NumericFeature("n", [1, 2, 3, 1, 2, 3, 1, 2, 3, 1]),
        ],
    };

    private static ModelData Analysis() => new(8)
    {
        Features =
        [
            new NumericFeature("x", [0, 5, 11, double.NaN, 3, 4, 5, 6]),
            new CategoricalFeature("label", ["a", "c", "d", null, "a", "b", "a", "b"]),
            new NumericFeature("n", [1, 4, 2, 3, 1, 2, 3, 1]),
        ],
    };

    private static DataQualityOptions Options(params string[] columns) => new() { Columns = columns, Chunking = Chunking.BySize(4) };

    private static ChunkEstimate Row(CalculatorResult result, int chunk, string? column, string metric) =>
        result.Rows.Single(r => r.Period == Period.Analysis && r.Chunk.Index == chunk && r.Column == column && r.Metric == metric);

    [Fact]
    public void RangeViolations_CountsValuesOutsideTheReferenceRange_AndAlertsOnAny()
    {
        var result = new RangeViolationsCalculator(Options("x")).Fit(Reference()).Calculate(Analysis(), "m");

        // Chunk 0: 0 < 1 and 11 > 10 of 4 rows (NaN is not a violation); chunk 1: none.
        var first = Row(result, 0, "x", "out_of_range_values_rate");
        Assert.Equal(0.5, first.Estimated);
        Assert.True(first.Alert);
        Assert.Equal(0, first.UpperThreshold);
        Assert.Null(first.LowerThreshold);
        Assert.False(Row(result, 1, "x", "out_of_range_values_rate").Alert);
    }

    [Fact]
    public void UnseenValues_CountsNewLabels_AndMissingOnlyWhenTheReferenceHadNone()
    {
        var result = new UnseenValuesCalculator(Options("label", "n")).Fit(Reference()).Calculate(Analysis(), "m");

        // The reference has a missing label, so null is "seen"; c and d are new. n = 4 never occurred in the reference.
        Assert.Equal(0.5, Row(result, 0, "label", "unseen_values_rate").Estimated);
        Assert.Equal(0.25, Row(result, 0, "n", "unseen_values_rate").Estimated);
        Assert.Equal(0, Row(result, 1, "label", "unseen_values_rate").Estimated);
        Assert.Equal("categorical", Row(result, 0, "n", "unseen_values_rate").ColumnKind);
    }

    [Fact]
    public void UnseenValues_Rejects_WhenAColumnHoldsFractions()
    {
        var e = Assert.Throws<EstimatorDataException>(() => new UnseenValuesCalculator(Options("x")).Fit(Reference()));

        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingValues_GivesCountsAndSamplingErrorFromTheReferenceRate_WhenNotNormalized()
    {
        var result = new MissingValuesCalculator(Options("x") with { Normalize = false }).Fit(Reference()).Calculate(Analysis(), "m");
        var row = Row(result, 0, "x", "missing_values_count");

        // p = 1/10 in the reference: sampling error of a count over 4 rows = √(p(1 − p)) · √4.
        Assert.Equal(1, row.Estimated);
        Assert.Equal(Math.Sqrt(0.1 * 0.9) * 2, row.SamplingError, 15);
        Assert.Equal(Math.Max(0, 1 - (3 * row.SamplingError)), row.LowerConfidenceBound, 15);
    }

    [Fact]
    public void SummaryStatistics_MatchHandComputation()
    {
        var result = new SummaryStatisticsCalculator(Options("x")).Fit(Reference()).Calculate(Analysis(), "m");

        // Reference without NaN: 1,2,3,5,...,10 (n = 9): sample std s; chunk 1 = 3, 4, 5, 6.
        double[] reference = [1, 2, 3, 5, 6, 7, 8, 9, 10];
        var mean = reference.Average();
        var s = Math.Sqrt(reference.Sum(v => (v - mean) * (v - mean)) / 8);
        var avg = Row(result, 1, "x", "values_avg");
        Assert.Equal(4.5, avg.Estimated, 15);
        Assert.Equal(s / 2, avg.SamplingError, 14);
        Assert.Equal(4.5 + (1.5 * s), avg.UpperConfidenceBound, 14);
        Assert.Equal(4.5, Row(result, 1, "x", "values_median").Estimated, 15);
        Assert.Equal(Math.Sqrt(5.0 / 3), Row(result, 1, "x", "values_std").Estimated, 14);

        // Rao: SE(std) = √((μ4 − (n − 3)s⁴/(n − 1)) / n) / (2s), μ4 the reference's fourth central moment.
        var mu4 = reference.Average(v => Math.Pow(v - mean, 4));
        Assert.Equal(Math.Sqrt((mu4 - (1.0 * Math.Pow(s, 4) / 3)) / 4) / (2 * s), Row(result, 1, "x", "values_std").SamplingError, 12);

        // The median's error: 1 / (2 f(m) √n) with f a Gaussian KDE (Scott's bandwidth) at the reference median 6.
        var h2 = s * s * Math.Pow(9, -0.4);
        var density = reference.Sum(v => Math.Exp(-(6 - v) * (6 - v) / (2 * h2))) / 9 / Math.Sqrt(2 * Math.PI * h2);
        Assert.Equal(1 / (2 * density * 2), Row(result, 1, "x", "values_median").SamplingError, 12);
        Assert.Equal(4, Row(result, 1, null, "rows_count").Estimated);
    }

    [Fact]
    public void SummaryStatistics_AlertsOnNaN_AsNannyMlDoes()
    {
        var analysis = new ModelData(8) { Features = [new NumericFeature("x", [double.NaN, double.NaN, double.NaN, double.NaN, 3, 4, 5, 6])] };

        var result = new SummaryStatisticsCalculator(Options("x")).Fit(Reference()).Calculate(analysis, "m");

        Assert.True(double.IsNaN(Row(result, 0, "x", "values_avg").Estimated));
        Assert.True(Row(result, 0, "x", "values_avg").Alert);
    }

    [Theory]
    [InlineData(CalculatorKind.MissingValues)]
    [InlineData(CalculatorKind.UnseenValues)]
    [InlineData(CalculatorKind.RangeViolations)]
    [InlineData(CalculatorKind.SummaryStatistics)]
    public void FromJson_CalculatesTheSameRows_AndCalculateChunkAgrees(CalculatorKind kind)
    {
        DataQualityCalculator calculator = kind switch
        {
            CalculatorKind.MissingValues => new MissingValuesCalculator(Options("x", "label")),
            CalculatorKind.UnseenValues => new UnseenValuesCalculator(Options("label", "n")),
            CalculatorKind.RangeViolations => new RangeViolationsCalculator(Options("x", "n")),
            _ => new SummaryStatisticsCalculator(Options("x", "n")),
        };
        var fitted = calculator.Fit(Reference());

        var back = CalculatorJson.FromJson(fitted.ToJson());
        var rows = fitted.Calculate(Analysis(), "m").Rows;

        Assert.Equal(kind, back.Kind);
        Assert.Equal(rows, back.Calculate(Analysis(), "m", ComputeOptions.Serial).Rows);
        var chunk = rows[^1].Chunk;
        Assert.Equal(rows.Where(r => r.Period == Period.Analysis && r.Chunk == chunk), back.CalculateChunk(Analysis().Slice((int)chunk.StartIndex, (int)chunk.Rows), chunk));
    }
}
