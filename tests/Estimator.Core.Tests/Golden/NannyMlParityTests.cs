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
    // The engine replays numpy's argsort: everything to 1e-9.
    private static readonly ExpectedChunkRow Tolerance = new(Exact: 1e-9, Relative: 1e-9, Bounds: 1e-9);

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
                Tolerance.AssertMatches(chunk, metric, period, actual, name);
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
            ExpectedChunkRow.AssertClose(t, "lower", component.LowerThreshold ?? double.NaN, 1e-9, component.Name);
            ExpectedChunkRow.AssertClose(t, "upper", component.UpperThreshold ?? double.NaN, 1e-9, component.Name);
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
}
