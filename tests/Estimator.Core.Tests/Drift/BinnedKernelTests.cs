using Estimator.Drift;
using Estimator.Numerics;

namespace Estimator.Tests.Drift;

/// <summary>
/// The vector kernels of the binned KS and Wasserstein estimates against the plain per-bin loops they replace: equal
/// bit for bit on chunks with empty bins, tails on either side of the reference range and bins beyond the data.
/// </summary>
public sealed class BinnedKernelTests
{
    public static TheoryData<int, int, int, double> Cases => new()
    {
        { 1, 5000, 10_000, 0.0 },    // NannyML's car-loan shape: most bins empty
        { 2, 5000, 10_000, 0.3 },    // data beyond the reference's maximum (upper tail)
        { 3, 200, 10_000, -0.4 },    // a small chunk, below the reference's minimum
        { 4, 50_000, 500, 0.05 },    // every bin full, both tails
        { 5, 1, 7, 0.0 },            // one value
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void KolmogorovSmirnovBinnedVector_EqualsPlainLoopBitForBit(int seed, int n, int bins, double shift)
    {
        var (edges, referenceCdf, data) = Setup(seed, n, bins, shift);
        var counts = Histogram.Count(data, edges, out var below);

        var plain = DistributionDistances.KolmogorovSmirnovBinned(counts, below, data.Length, referenceCdf);
        var running = new double[bins];
        DistributionDistances.RunningShares(counts, data.Length, running);
        var vector = DistributionDistances.KolmogorovSmirnovBinnedVector(running, below, data.Length, referenceCdf, new double[bins + 3]);

        Assert.Equal(BitConverter.DoubleToInt64Bits(plain), BitConverter.DoubleToInt64Bits(vector));
        Assert.True(plain > 0);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WassersteinBinnedVector_EqualsPlainLoopBitForBit(int seed, int n, int bins, double shift)
    {
        var (edges, referenceCdf, data) = Setup(seed, n, bins, shift);
        var counts = Histogram.Count(data, edges, out _);

        var plain = DistributionDistances.WassersteinBinned(edges, counts, referenceCdf, data);
        var running = new double[bins];
        DistributionDistances.RunningShares(counts, data.Length, running);
        var vector = DistributionDistances.WassersteinBinnedVector(edges, running, referenceCdf, data, new double[bins + 3]);

        Assert.Equal(BitConverter.DoubleToInt64Bits(plain), BitConverter.DoubleToInt64Bits(vector));
        Assert.True(plain > 0);
    }

    [Fact]
    public void CountIntoSpan_EqualsAllocatingCount_WhenTheSpanHeldOtherCounts()
    {
        var (edges, _, data) = Setup(6, 3000, 97, 0.2);
        var expected = Histogram.Count(data, edges, out var expectedBelow);
        var reused = Enumerable.Repeat(17L, 120).ToArray();

        var below = Histogram.Count(data, edges, reused);

        Assert.Equal(expectedBelow, below);
        Assert.Equal(expected, reused[..97]);
        Assert.All(reused[97..], c => Assert.Equal(17L, c));
    }

    // A reference on [0, 1) with its binned CDF (as ContinuousReference builds it), and data moved by shift.
    private static (double[] Edges, double[] ReferenceCdf, double[] Data) Setup(int seed, int n, int bins, double shift)
    {
        var random = new Random(seed);
        var reference = Enumerable.Range(0, 20_000).Select(_ => Math.Round(random.NextDouble(), 3)).ToArray();
        var edges = NumpyReductions.Linspace(reference.Min(), reference.Max(), bins + 1);
        var referenceCounts = Histogram.Count(reference, edges, out _);
        var cdf = new double[bins];
        var running = 0.0;
        for (var k = 0; k < bins; k++)
        {
            running += referenceCounts[k] / (double)reference.Length;
            cdf[k] = running;
        }

        var data = Enumerable.Range(0, n).Select(_ => (random.NextDouble() * 1.1) - 0.05 + shift).ToArray();
        return (edges, cdf, data);
    }
}
