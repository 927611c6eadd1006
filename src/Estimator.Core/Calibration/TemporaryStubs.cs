// Placeholder until the calibration branch lands; deleted at merge.
#pragma warning disable CS1591
namespace Estimator.Calibration;

public sealed class IsotonicCalibrator
{
    public IsotonicCalibrator(double[] thresholds, double[] values)
    {
        Thresholds = thresholds;
        Values = values;
    }

    public double[] Thresholds { get; }

    public double[] Values { get; }

    public static IsotonicCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<double> targets) => throw new NotImplementedException();

    public void Calibrate(ReadOnlySpan<double> scores, Span<double> destination) => throw new NotImplementedException();
}

public sealed record CalibrationCheckResult(bool NeedsCalibration, double EceRaw, double EceCalibrated, string Reason);

public static class CalibrationCheck
{
    public static CalibrationCheckResult NeedsCalibration(ReadOnlySpan<double> targets, ReadOnlySpan<double> scores) => throw new NotImplementedException();
}
