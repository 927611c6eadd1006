using Estimator.Calibration;

namespace Estimator.Tests.Calibration;

/// <summary>The calibrator's bucket lookup against a plain linear-scan numpy <c>interp</c>.</summary>
public sealed class IsotonicLookupTests
{
    /// <summary>numpy interp with a linear scan: clip outside, x[j] == s returns y[j], else the slope formula.</summary>
    private static double Interp(double[] x, double[] y, double s)
    {
        if (double.IsNaN(s))
        {
            return double.NaN;
        }

        if (s <= x[0])
        {
            return y[0];
        }

        if (s >= x[^1])
        {
            return y[^1];
        }

        var j = 0;
        while (!(x[j] <= s && s < x[j + 1]))
        {
            j++;
        }

        if (x[j] == s)
        {
            return y[j];
        }

        var slope = (y[j + 1] - y[j]) / (x[j + 1] - x[j]);
        return (slope * (s - x[j])) + y[j];
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(50, false)]
    [InlineData(5_000, false)]
    [InlineData(5_000, true)]
    public void Calibrate_EqualsLinearScanInterp(int points, bool clustered)
    {
        var random = new Random(points);
        var x = Enumerable.Range(0, points)
            .Select(i => clustered && i % 3 != 0 ? 0.5 + (i * 1e-9) : random.NextDouble())
            .Distinct().Order().ToArray();
        var y = x.Select(_ => random.NextDouble()).Order().ToArray();
        var calibrator = new IsotonicCalibrator(x, y);
        var scores = Enumerable.Range(0, 20_000)
            .Select(i => i % 5 == 0 ? x[random.Next(x.Length)] : i % 7 == 0 ? 0.5 + (random.NextDouble() * 1e-5) : (random.NextDouble() * 1.2) - 0.1)
            .Append(double.NaN).ToArray();

        var actual = new double[scores.Length];
        calibrator.Calibrate(scores, actual);

        for (var i = 0; i < scores.Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(Interp(x, y, scores[i])), BitConverter.DoubleToInt64Bits(actual[i]));
        }
    }
}
