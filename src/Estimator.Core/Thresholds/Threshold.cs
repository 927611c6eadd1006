namespace Estimator.Thresholds;

/// <summary>
/// How a metric's alert thresholds are derived. A closed set: <see cref="StandardDeviation"/> (from the realized
/// values on the reference chunks) or <see cref="Constant"/>.
/// </summary>
public abstract record Threshold
{
    private protected Threshold() { }

    /// <summary>NannyML's default: mean ± 3 population standard deviations of the realized reference-chunk values.</summary>
    public static Threshold Default { get; } = new StandardDeviationThreshold(3, 3);

    /// <summary>mean − lower·std and mean + upper·std of the realized reference-chunk values; a null multiplier disables that side.</summary>
    public static Threshold StandardDeviation(double? lowerMultiplier = 3, double? upperMultiplier = 3) =>
        new StandardDeviationThreshold(lowerMultiplier, upperMultiplier);

    /// <summary>Fixed thresholds; a null value disables that side. <paramref name="lower"/> must be below <paramref name="upper"/> when both are set.</summary>
    public static Threshold Constant(double? lower, double? upper) => new ConstantThreshold(lower, upper);

    /// <summary>
    /// Computes the (lower, upper) thresholds from the realized metric values of the reference chunks, clipped to the
    /// metric's limits as NannyML does: a lower threshold at or below the lower limit becomes the limit, likewise above.
    /// </summary>
    /// <param name="referenceChunkValues">Realized values per reference chunk; NaN entries are ignored.</param>
    /// <param name="lowerLimit">The metric's smallest possible value, or null if unbounded.</param>
    /// <param name="upperLimit">The metric's largest possible value, or null if unbounded.</param>
    public (double? Lower, double? Upper) Compute(ReadOnlySpan<double> referenceChunkValues, double? lowerLimit, double? upperLimit)
    {
        var (lower, upper) = ComputeUnclipped(referenceChunkValues);
        if (lower is double l && lowerLimit is double ll && l <= ll)
        {
            lower = ll;
        }

        if (upper is double u && upperLimit is double ul && u >= ul)
        {
            upper = ul;
        }

        return (lower, upper);
    }

    private protected abstract (double? Lower, double? Upper) ComputeUnclipped(ReadOnlySpan<double> referenceChunkValues);
}

/// <summary>Thresholds at mean ± multiplier × population standard deviation of the realized reference-chunk values.</summary>
public sealed record StandardDeviationThreshold : Threshold
{
    internal StandardDeviationThreshold(double? lowerMultiplier, double? upperMultiplier)
    {
        if (lowerMultiplier is < 0 || upperMultiplier is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lowerMultiplier), "Standard-deviation multipliers must not be negative.");
        }

        LowerMultiplier = lowerMultiplier;
        UpperMultiplier = upperMultiplier;
    }

    /// <summary>Multiplier below the mean; null disables the lower threshold.</summary>
    public double? LowerMultiplier { get; }

    /// <summary>Multiplier above the mean; null disables the upper threshold.</summary>
    public double? UpperMultiplier { get; }

    private protected override (double? Lower, double? Upper) ComputeUnclipped(ReadOnlySpan<double> referenceChunkValues)
    {
        // numpy nanmean / nanstd (ddof 0): NaN when no value is present.
        var mean = NanStatistics.Mean(referenceChunkValues, out var count);
        double squares = 0;
        foreach (var v in referenceChunkValues)
        {
            if (!double.IsNaN(v))
            {
                squares += (v - mean) * (v - mean);
            }
        }

        if (count == 1)
        {
            // Deliberate deviation from NannyML: one reference chunk has a standard deviation of 0, so NannyML's
            // thresholds collapse onto that one value and every analysis chunk that differs at all alerts. Without a
            // spread to measure there is no threshold: none is set (the command line warns).
            return (null, null);
        }

        var std = count == 0 ? double.NaN : Math.Sqrt(squares / count);
        return (mean - (LowerMultiplier * std), mean + (UpperMultiplier * std));
    }
}

/// <summary>Fixed thresholds.</summary>
public sealed record ConstantThreshold : Threshold
{
    internal ConstantThreshold(double? lower, double? upper)
    {
        if (lower is double l && upper is double u && !(l < u))
        {
            throw new ArgumentException($"The lower threshold ({l}) must be below the upper threshold ({u}).", nameof(lower));
        }

        Lower = lower;
        Upper = upper;
    }

    /// <summary>The lower threshold, or null.</summary>
    public double? Lower { get; }

    /// <summary>The upper threshold, or null.</summary>
    public double? Upper { get; }

    private protected override (double? Lower, double? Upper) ComputeUnclipped(ReadOnlySpan<double> referenceChunkValues) => (Lower, Upper);
}
