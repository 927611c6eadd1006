namespace Estimator.Calibration;

/// <summary>
/// One calibrator's tables, calibrating one score at a time with the same result as
/// <see cref="IsotonicCalibrator.Calibrate(double)"/>, for shuffled scores: a bucket guess and one branch-free step.
/// </summary>
internal readonly struct IsotonicLookup
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly int[] _lookup;
    private readonly double[] _slopes;
    private readonly double _scale;

    public IsotonicLookup(double[] x, double[] y, int[] lookup, double[] slopes, double scale)
    {
        _x = x;
        _y = y;
        _lookup = lookup;
        _slopes = slopes;
        _scale = scale;
    }

    /// <summary>The calibrated value of <paramref name="score"/>; NaN gives NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Calibrate(double score)
    {
        if (double.IsNaN(score))
        {
            return double.NaN;
        }

        var x = _x;
        var last = x.Length - 1;
        if (score <= x[0])
        {
            return _y[0];
        }

        if (score >= x[last])
        {
            return _y[last];
        }

        return IsotonicInterpolation.InterpolateInside(x, _y, _lookup, _slopes, _scale, score);
    }
}
