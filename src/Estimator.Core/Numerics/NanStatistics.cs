namespace Estimator.Numerics;

/// <summary>
/// Statistics of the values that are not NaN, summed left to right: the mean of reference chunk values behind the
/// standard-deviation thresholds, and DLE's mean loss over the rows that have one.
/// </summary>
internal static class NanStatistics
{
    /// <summary>The mean of the values that are not NaN; NaN when there are none.</summary>
    public static double Mean(ReadOnlySpan<double> values) => Mean(values, out _);

    /// <summary>The mean of the values that are not NaN, and how many there are; NaN when there are none.</summary>
    public static double Mean(ReadOnlySpan<double> values, out int count)
    {
        double sum = 0;
        count = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                sum += v;
                count++;
            }
        }

        return count == 0 ? double.NaN : sum / count;
    }
}
