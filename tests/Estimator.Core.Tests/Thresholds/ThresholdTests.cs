using Estimator.Thresholds;

namespace Estimator.Tests.Thresholds;

public sealed class ThresholdTests
{
    [Fact]
    public void StandardDeviation_IsMeanPlusMinusThreePopulationStd()
    {
        double[] values = [0.90, 0.92, 0.94];
        var std = Math.Sqrt(0.0008 / 3);

        var (lower, upper) = Threshold.Default.Compute(values, 0, 1);

        Assert.Equal(0.92 - (3 * std), lower!.Value, 12);
        Assert.Equal(0.92 + (3 * std), upper!.Value, 12);
    }

    [Fact]
    public void StandardDeviation_OfOneReferenceChunk_SetsNoThreshold_InsteadOfCollapsingOntoIt()
    {
        // One present value (the NaN is ignored): no spread, so no thresholds rather than lower = upper = 0.93.
        var (lower, upper) = Threshold.Default.Compute([0.93, double.NaN], 0, 1);

        Assert.Null(lower);
        Assert.Null(upper);
    }

    [Fact]
    public void StandardDeviation_ClipsToLimits()
    {
        var (lower, upper) = Threshold.StandardDeviation(200, 3).Compute([0.98, 0.99, 1.0], 0, 1);

        Assert.Equal(0, lower);
        Assert.Equal(1, upper);
    }

    [Fact]
    public void StandardDeviation_IgnoresNaN_AndDisablesNullSide()
    {
        var (lower, upper) = Threshold.StandardDeviation(2, null).Compute([0.5, double.NaN, 0.7], 0, 1);

        Assert.Equal(0.6 - (2 * 0.1), lower!.Value, 12);
        Assert.Null(upper);
    }

    [Fact]
    public void StandardDeviation_IsNaN_WhenNoReferenceValue()
    {
        var (lower, upper) = Threshold.Default.Compute([double.NaN, double.NaN], 0, 1);

        Assert.True(double.IsNaN(lower!.Value));
        Assert.True(double.IsNaN(upper!.Value));
    }

    [Fact]
    public void Constant_ReturnsValues_AndRejectsInvertedBounds()
    {
        Assert.Equal((0.8, (double?)null), Threshold.Constant(0.8, null).Compute([0.1], 0, 1));
        Assert.Throws<ArgumentException>(() => Threshold.Constant(0.9, 0.8));
    }
}
