using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.Estimation.Shift;
using Estimator.Metrics;

namespace Estimator.Learning.Tests;

/// <summary>
/// Importance weighting against a closed form: reference x ~ N(0, 1), chunk x ~ N(1, 1), so the density ratio is
/// exp(x − ½), linear in x on the log scale (the logistic domain classifier's own form). Under the reference its second
/// moment is e, so Kish's effective sample size is n / e ≈ 0.368 n.
/// </summary>
public sealed class WeightedCbpeTests
{
    private static ModelData Rows(int rows, double mean, int seed)
    {
        var random = new Random(seed);
        var x = new double[rows];
        var s = new double[rows];
        var yHat = new double[rows];
        var y = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            x[i] = mean + (Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            s[i] = 1 / (1 + Math.Exp(-x[i]));
            yHat[i] = s[i] >= 0.5 ? 1 : 0;
            y[i] = random.NextDouble() < s[i] ? 1 : 0;
        }

        return new ModelData(rows) { Scores = s, Predictions = yHat, Targets = y, Features = [new NumericFeature("x", x)] };
    }

    [Fact]
    public void Weighted_HasKishsEffectiveSampleSize_OfAUnitMeanShift()
    {
        var options = new ShiftAwareCbpeOptions
        {
            Cbpe = new CbpeOptions { Metrics = [Metric.Accuracy, Metric.RocAuc], Chunking = Chunking.BySize(5000), Calibration = Calibration.CalibrationMode.Always },
            Estimator = ShiftEstimator.Weighted,
            Features = ["x"],
        };
        var fitted = new ShiftAwareCbpeCalculator(options).Fit(Rows(40_000, 0, 1), ComputeOptions.Default);

        var result = fitted.Estimate(Rows(5000, 1, 2), "m", ComputeOptions.Default);
        var rows = result.Rows.Where(r => r.Period == Period.Analysis).ToList();

        Assert.All(rows, r => Assert.Equal("weighted", r.Estimator));
        var ess = rows[0].EffectiveSampleSize!.Value;
        Assert.InRange(ess / 40_000, 0.34, 0.40);

        // The scores are calibrated everywhere, so the weighted estimate must sit near the realized value, and the band
        // is CBPE's widened by √(1 + n/ESS).
        var accuracy = rows.Single(r => r.Metric == "accuracy");
        Assert.InRange(accuracy.Estimated - accuracy.Realized!.Value, -3 * accuracy.SamplingError, 3 * accuracy.SamplingError);
        var plain = result.Plain.Rows.Single(r => r.Period == Period.Analysis && r.Metric == "accuracy");
        Assert.Equal(plain.SamplingError * Math.Sqrt(1 + (5000 / ess)), accuracy.SamplingError, 12);
    }
}
