using Estimator.Calculators;
using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.Metrics;

namespace Estimator.Tests.Calculators;

public sealed class CalculatorSeamTests
{
    private static PredictionSet Data(int n, int seed, bool shuffledTimes)
    {
        var random = new Random(seed);
        var s = new double[n];
        var yHat = new double[n];
        var y = new double[n];
        var t = new DateTime[n];
        var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < n; i++)
        {
            s[i] = Math.Round(random.NextDouble(), 2);
            y[i] = random.NextDouble() < s[i] ? 1 : 0;
            yHat[i] = s[i] >= 0.5 ? 1 : 0;
            // Coarse times give many equal timestamps, so the stable order of ties matters.
            t[i] = start.AddHours(shuffledTimes ? random.Next(0, 24 * 90) : i / 7);
        }

        return new PredictionSet(s, yHat, y, t);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CalculateThroughSeam_EqualsCbpeEstimate_BitForBit(bool periodChunking)
    {
        var options = new CbpeOptions
        {
            Metrics = [Metric.RocAuc, Metric.F1, Metric.ConfusionMatrix],
            Chunking = periodChunking ? Chunking.ByPeriod(ChunkPeriod.Week) : Chunking.BySize(1000),
            Calibration = CalibrationMode.Always,
        };
        var reference = Data(8000, 1, shuffledTimes: true);
        var analysis = Data(6000, 2, shuffledTimes: true);
        var direct = Cbpe.Fit(reference, options, ComputeOptions.Serial).Estimate(analysis, "m", ComputeOptions.Serial);

        var fitted = Fit(new CbpeCalculator(options), ModelData.FromPredictions(reference));
        var seam = fitted.Calculate(ModelData.FromPredictions(analysis), "m", ComputeOptions.Serial);

        Assert.Equal(CalculatorKind.Cbpe, fitted.Kind);
        Assert.Equal(options.Chunking, fitted.Chunking);
        Assert.Equal(direct.Rows, seam.Rows);
        Assert.All(seam.Rows, r => Assert.Equal(CalculatorKind.Cbpe, r.Calculator));
    }

    // Through the interface, as the store and the host call it (the analyzer would have the concrete type).
#pragma warning disable CA1859
    private static IFittedCalculator Fit(ICalculator calculator, ModelData reference) => calculator.Fit(reference, ComputeOptions.Serial);
#pragma warning restore CA1859

    [Fact]
    public void FromJson_RoundTripsAFittedCbpe_AndDispatchesOnKind()
    {
        var options = new CbpeOptions { Chunking = Chunking.BySize(500), Calibration = CalibrationMode.Always };
        var reference = Data(3000, 3, shuffledTimes: false);
        var analysis = Data(2000, 4, shuffledTimes: false);
        var fitted = Fit(new CbpeCalculator(options), ModelData.FromPredictions(reference));

        var json = fitted.ToJson();
        var back = CalculatorJson.FromJson(json);

        Assert.Equal(CalculatorKind.Cbpe, CalculatorJson.KindOf(json));
        Assert.Contains("\"kind\": \"cbpe\"", json, StringComparison.Ordinal);
        Assert.IsType<FittedCbpe>(back);
        var expected = fitted.Calculate(ModelData.FromPredictions(analysis), "m", ComputeOptions.Serial).Rows;
        Assert.Equal(expected, back.Calculate(ModelData.FromPredictions(analysis), "m", ComputeOptions.Serial).Rows);
    }

    [Fact]
    public void FromJson_ReadsCbpe_WhenTheDocumentPredatesKinds()
    {
        var fitted = Cbpe.Fit(Data(3000, 5, shuffledTimes: false), new CbpeOptions { Chunking = Chunking.BySize(500) });
        var json = fitted.ToJson().Replace("\"kind\": \"cbpe\",", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("\"kind\": \"cbpe\"", json, StringComparison.Ordinal);

        var back = CalculatorJson.FromJson(json);

        Assert.Equal(fitted.ReferenceRows, back.ReferenceRows);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("{\"kind\": \"no_such_calculator\"}")]
    [InlineData("{\"kind\": 3}")]
    [InlineData("not json")]
    public void FromJson_Throws_WhenTheDocumentIsNotAFittedCalculator(string json)
    {
        var e = Assert.Throws<EstimatorDataException>(() => CalculatorJson.FromJson(json));
        Assert.Contains("not a fitted calculator", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CalculateChunk_EqualsEstimateChunk()
    {
        var options = new CbpeOptions { Chunking = Chunking.BySize(500), Calibration = CalibrationMode.Always };
        var fitted = Cbpe.Fit(Data(3000, 6, shuffledTimes: false), options);
        var rows = Data(700, 7, shuffledTimes: false);
        var chunk = new Chunk("[100:799]", 3, 100, 799, null, null);

        var seam = ((IFittedCalculator)fitted).CalculateChunk(ModelData.FromPredictions(rows), chunk);

        Assert.Equal(fitted.EstimateChunk(rows, chunk), seam);
        Assert.All(seam, r => Assert.Equal(chunk, r.Chunk));
    }

    [Fact]
    public void Kinds_RoundTripThroughTheirNames()
    {
        foreach (var kind in Enum.GetValues<CalculatorKind>())
        {
            var name = kind.Name();
            Assert.Matches("^[a-z_]+$", name);
            Assert.Equal(kind, CalculatorKinds.Parse(name));
            Assert.Equal(kind, CalculatorKinds.Parse(name.ToUpperInvariant()));
        }

        Assert.Equal(Enum.GetValues<CalculatorKind>().Length, Enum.GetValues<CalculatorKind>().Select(k => k.Name()).Distinct().Count());
        var e = Assert.Throws<FormatException>(() => CalculatorKinds.Parse("psi"));
        Assert.Contains("univariate_drift", e.Message, StringComparison.Ordinal);
        Assert.True(CalculatorKind.Cbpe.IsPerformance());
        Assert.False(CalculatorKind.UnivariateDrift.IsPerformance());
    }
}
