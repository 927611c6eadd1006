using System.Globalization;
using System.Text.Json;
using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.Metrics;

namespace Estimator.Tests.Golden;

/// <summary>
/// Every chunk × metric against NannyML 0.13.1's own outputs on its car-loan data. The fixture's README allows
/// 1e-6 (estimates, realized, thresholds), 1e-3 relative (sampling error: numpy's tie order) and 1e-5 (bounds);
/// the engine replays numpy's argsort, so everything is held to 1e-9 here. Alerts, keys, indices and counts identical.
/// </summary>
public sealed class NannyMlParityTests
{
    private static readonly Metric[] Metrics =
        [Metric.RocAuc, Metric.Precision, Metric.Recall, Metric.F1, Metric.Accuracy, Metric.Specificity];

    public static TheoryData<string> Cases => new() { "chunk_size_5000", "chunk_number_7", "period_M" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Estimate_MatchesNannyMl_OnCarLoan(string name)
    {
        using var expected = CarLoanFixture.Expected(name);
        var root = expected.RootElement;
        var options = new CbpeOptions { Metrics = Metrics, Chunking = ChunkingOf(root.GetProperty("config").GetProperty("chunking")) };

        var fitted = Cbpe.Fit(CarLoanFixture.Reference, options);
        var result = fitted.Estimate(CarLoanFixture.Analysis, "car_loan");

        Assert.Equal(root.GetProperty("needs_calibration").GetBoolean(), fitted.Calibration.Applied);
        var expectedChunks = root.GetProperty("chunks").EnumerateArray().ToList();
        Assert.Equal(expectedChunks.Count * Metrics.Length, result.Rows.Count);

        var row = 0;
        foreach (var chunk in expectedChunks)
        {
            var period = chunk.GetProperty("period").GetString() == "reference" ? Period.Reference : Period.Analysis;
            foreach (var metric in Metrics)
            {
                var actual = result.Rows[row++];
                var e = chunk.GetProperty("metrics").GetProperty(metric.ToName());
                var where = $"{name} {period} chunk {chunk.GetProperty("key").GetString()} {metric.ToName()}";

                Assert.Equal(metric.ToName(), actual.Metric);
                Assert.Equal(period, actual.Period);
                Assert.Equal(chunk.GetProperty("key").GetString(), actual.Chunk.Key);
                Assert.Equal(chunk.GetProperty("chunk_index").GetInt32(), actual.Chunk.Index);
                Assert.Equal(chunk.GetProperty("start_index").GetInt64(), actual.Chunk.StartIndex);
                Assert.Equal(chunk.GetProperty("end_index").GetInt64(), actual.Chunk.EndIndex);
                Assert.Equal(chunk.GetProperty("n_rows").GetInt64(), actual.Chunk.Rows);
                AssertDate(chunk.GetProperty("start_date"), actual.Chunk.StartDate, where);
                AssertDate(chunk.GetProperty("end_date"), actual.Chunk.EndDate, where);

                AssertClose(e, "estimated", actual.Estimated, 1e-9, where);
                AssertRelative(e, "sampling_error", actual.SamplingError, 1e-9, where);
                AssertClose(e, "upper_confidence_bound", actual.UpperConfidenceBound, 1e-9, where);
                AssertClose(e, "lower_confidence_bound", actual.LowerConfidenceBound, 1e-9, where);
                AssertClose(e, "upper_threshold", actual.UpperThreshold ?? double.NaN, 1e-9, where);
                AssertClose(e, "lower_threshold", actual.LowerThreshold ?? double.NaN, 1e-9, where);
                Assert.True(e.GetProperty("alert").GetBoolean() == actual.Alert, $"{where}: alert");

                // Reference chunks carry CBPE's own realized value; analysis chunks PerformanceCalculator's.
                var realizedField = period == Period.Reference ? "cbpe_realized" : "realized";
                Assert.NotNull(actual.Realized);
                AssertClose(e, realizedField, actual.Realized!.Value, 1e-9, where);
                Assert.Equal(0, actual.TargetsMissingRate);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_ThresholdsMatchNannyMl_OnCarLoan(string name)
    {
        using var expected = CarLoanFixture.Expected(name);
        var root = expected.RootElement;
        var options = new CbpeOptions { Metrics = Metrics, Chunking = ChunkingOf(root.GetProperty("config").GetProperty("chunking")) };

        var fitted = Cbpe.Fit(CarLoanFixture.Reference, options);

        foreach (var component in fitted.Components)
        {
            var t = root.GetProperty("thresholds").GetProperty(component.Name);
            AssertClose(t, "lower", component.LowerThreshold ?? double.NaN, 1e-9, component.Name);
            AssertClose(t, "upper", component.UpperThreshold ?? double.NaN, 1e-9, component.Name);
        }
    }

    [Fact]
    public void Estimate_AlertCountsMatchNannyMl_WhenAnalysisDecays()
    {
        using var expected = CarLoanFixture.Expected("chunk_size_5000");
        var alerts = expected.RootElement.GetProperty("alerts");
        var fitted = Cbpe.Fit(CarLoanFixture.Reference, new CbpeOptions { Metrics = Metrics, Chunking = Chunking.BySize(5000) });

        var result = fitted.Estimate(CarLoanFixture.Analysis);

        foreach (var metric in Metrics)
        {
            var count = result.Rows.Count(r => r.Period == Period.Analysis && r.Metric == metric.ToName() && r.Alert);
            Assert.Equal(alerts.GetProperty(metric.ToName()).GetInt32(), count);
        }
    }

    [Fact]
    public void Estimate_IgnoresTargets_ForTheEstimate()
    {
        var options = new CbpeOptions { Metrics = Metrics, Chunking = Chunking.BySize(5000) };
        var fitted = Cbpe.Fit(CarLoanFixture.Reference, options);
        var unlabelled = CarLoanFixture.Analysis.WithTargets(null);

        var with = fitted.Estimate(CarLoanFixture.Analysis);
        var without = fitted.Estimate(unlabelled);

        Assert.Equal(with.Rows.Select(r => r.Estimated), without.Rows.Select(r => r.Estimated));
        Assert.All(without.Rows.Where(r => r.Period == Period.Analysis), r => Assert.Null(r.Realized));
        Assert.All(without.Rows.Where(r => r.Period == Period.Analysis), r => Assert.Null(r.TargetsMissingRate));
    }

    [Fact]
    public void Fit_ForcedCalibrationModes_AreHonoured()
    {
        var never = Cbpe.Fit(CarLoanFixture.Reference, new CbpeOptions { Calibration = CalibrationMode.Never, Chunking = Chunking.BySize(5000) });
        var always = Cbpe.Fit(CarLoanFixture.Reference, new CbpeOptions { Calibration = CalibrationMode.Always, Chunking = Chunking.BySize(5000) });

        Assert.False(never.Calibration.Applied);
        Assert.Null(never.Calibrator);
        Assert.True(always.Calibration.Applied);
        Assert.NotNull(always.Calibrator);
    }

    internal static Chunking ChunkingOf(JsonElement chunking)
    {
        if (chunking.TryGetProperty("chunk_size", out var size))
        {
            return Chunking.BySize(size.GetInt32());
        }

        if (chunking.TryGetProperty("chunk_number", out var number))
        {
            return Chunking.ByNumber(number.GetInt32());
        }

        return chunking.GetProperty("chunk_period").GetString() switch
        {
            "M" => Chunking.ByPeriod(ChunkPeriod.Month),
            var p => throw new InvalidOperationException($"Unexpected period {p}."),
        };
    }

    private static void AssertClose(JsonElement e, string field, double actual, double tolerance, string where)
    {
        var p = e.GetProperty(field);
        if (p.ValueKind == JsonValueKind.Null)
        {
            Assert.True(double.IsNaN(actual), $"{where}: {field} expected NaN, got {actual}");
            return;
        }

        var expected = p.GetDouble();
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{where}: {field} expected {expected:R}, got {actual:R}");
    }

    private static void AssertRelative(JsonElement e, string field, double actual, double tolerance, string where)
    {
        var expected = e.GetProperty(field).GetDouble();
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Abs(expected), $"{where}: {field} expected {expected:R}, got {actual:R}");
    }

    private static void AssertDate(JsonElement e, DateTime? actual, string where)
    {
        // Python prints up to nanoseconds; .NET resolves 100 ns, so compare to a microsecond.
        var text = e.GetString()!;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0 && text.Length - dot - 1 > 7)
        {
            text = text[..(dot + 8)];
        }

        var expected = DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.NotNull(actual);
        Assert.True(Math.Abs((expected - actual!.Value).Ticks) <= 10, $"{where}: date expected {text}, got {actual:O}");
    }
}
