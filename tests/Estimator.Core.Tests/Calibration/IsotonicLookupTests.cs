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

        var unordered = new double[scores.Length];
        calibrator.CalibrateUnordered(scores, unordered);

        for (var i = 0; i < scores.Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(Interp(x, y, scores[i])), BitConverter.DoubleToInt64Bits(actual[i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(actual[i]), BitConverter.DoubleToInt64Bits(unordered[i]));
        }
    }

    /// <summary><see cref="Interp"/> plus numpy's fallback for an infinite slope (interpolate from the right point).</summary>
    private static double InterpWithFallback(double[] x, double[] y, double s)
    {
        var result = Interp(x, y, s);
        if (!double.IsNaN(result) || double.IsNaN(s))
        {
            return result;
        }

        var j = 0;
        while (!(x[j] <= s && s < x[j + 1]))
        {
            j++;
        }

        var slope = (y[j + 1] - y[j]) / (x[j + 1] - x[j]);
        result = (slope * (s - x[j + 1])) + y[j + 1];
        return double.IsNaN(result) && y[j] == y[j + 1] ? y[j] : result;
    }

    [Fact]
    public void Calibrate_KeepsNumpyFallbacks_ForInfiniteSlopesAndNegativeZero()
    {
        // An interval too narrow for its rise (infinite slope) and a -0 value: the paths that skip the shortcut.
        var x = new[] { -0.5, 0.0, 0.25, Math.BitIncrement(0.25), 0.75, 1.0 };
        var y = new[] { -0.0, -0.0, 0.0, 1e300, 1e300, 1e300 };
        var calibrator = new IsotonicCalibrator(x, y);
        var scores = new[] { -1.0, -0.5, -0.25, -0.0, 0.0, 0.1, 0.25, Math.BitIncrement(0.25), 0.5, 0.75, 0.9, 1.0, 2.0, double.NaN };
        var sorted = new double[scores.Length];
        var unordered = new double[scores.Length];
        calibrator.Calibrate(scores, sorted);
        calibrator.CalibrateUnordered(scores, unordered);

        for (var i = 0; i < scores.Length; i++)
        {
            var expected = new double[scores.Length];
            expected[i] = InterpWithFallback(x, y, scores[i]);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i]), BitConverter.DoubleToInt64Bits(sorted[i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i]), BitConverter.DoubleToInt64Bits(unordered[i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i]), BitConverter.DoubleToInt64Bits(calibrator.Calibrate(scores[i])));
        }
    }
}
