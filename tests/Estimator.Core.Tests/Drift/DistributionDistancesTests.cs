using Estimator.Drift;
using Estimator.Numerics;

namespace Estimator.Tests.Drift;

/// <summary>
/// The drift kernels against independent computations: brute-force empirical CDFs (O(n·m) counting), closed forms
/// for chi-square p-values (dof 2: e^(−x/2)) and small distributions worked by hand.
/// </summary>
public sealed class DistributionDistancesTests
{
    private static double[] Sample(Random random, int n, double shift, bool ties) =>
        [.. Enumerable.Range(0, n).Select(_ => ties ? Math.Round((random.NextDouble() * 10) + shift) : (random.NextDouble() * 10) + shift)];

    // F(v) = #(x ≤ v) / n, counted from scratch for every v.
    private static double Cdf(double[] values, double v) => values.Count(x => x <= v) / (double)values.Length;

    [Theory]
    [InlineData(1, 50, 70, false)]
    [InlineData(2, 200, 31, true)]
    [InlineData(3, 7, 300, true)]
    public void KolmogorovSmirnovExact_EqualsBruteForceSupremum_WhenSamplesHaveTiesOrNot(int seed, int n, int m, bool ties)
    {
        var random = new Random(seed);
        var reference = Sample(random, n, 0, ties);
        var data = Sample(random, m, 0.7, ties);
        var expected = reference.Concat(data).Max(v => Math.Abs(Cdf(reference, v) - Cdf(data, v)));

        var actual = DistributionDistances.KolmogorovSmirnovExact(reference.Order().ToArray(), data.Order().ToArray());

        Assert.Equal(expected, actual, 15);
        Assert.True(actual > 0);
    }

    [Theory]
    [InlineData(4, 60, 45, false)]
    [InlineData(5, 300, 80, true)]
    public void WassersteinExact_EqualsIntegralOfCdfGap_WhenComputedByBruteForce(int seed, int n, int m, bool ties)
    {
        var random = new Random(seed);
        var reference = Sample(random, n, 0, ties);
        var data = Sample(random, m, 1.3, ties);
        var points = reference.Concat(data).Distinct().Order().ToArray();
        var expected = 0.0;
        for (var k = 0; k + 1 < points.Length; k++)
        {
            expected += Math.Abs(Cdf(reference, points[k]) - Cdf(data, points[k])) * (points[k + 1] - points[k]);
        }

        var actual = DistributionDistances.WassersteinExact(reference.Order().ToArray(), data.Order().ToArray());

        Assert.Equal(expected, actual, 12);
    }

    [Fact]
    public void WassersteinExact_IsTheShift_WhenDataIsTheReferenceMoved()
    {
        var reference = Enumerable.Range(0, 100).Select(i => i * 0.5).ToArray();
        var data = reference.Select(x => x + 2.25).ToArray();

        Assert.Equal(2.25, DistributionDistances.WassersteinExact(reference, data), 12);
    }

    [Fact]
    public void WassersteinBinned_ApproachesExact_WhenBinsAreFineAndDataLeavesTheReferenceRange()
    {
        var random = new Random(6);
        var reference = Sample(random, 20_000, 0, ties: false);
        var data = Sample(random, 3_000, 2.5, ties: false);
        var fitted = ContinuousReference.Fit(reference, [DriftMethod.Wasserstein], exact: false, bins: 10_000);
        var sorted = new ChunkScratch();

        var binned = fitted.Value(DriftMethod.Wasserstein, data, sorted);
        var exact = DistributionDistances.WassersteinExact(reference.Order().ToArray(), data.Order().ToArray());

        // A bin is 0.001 wide; the tail term integrates the data beyond the reference exactly.
        Assert.Equal(exact, binned, 2);
        Assert.True(data.Max() > reference.Max());
    }

    [Fact]
    public void KolmogorovSmirnovBinned_ApproachesExact_WhenBinsAreFine()
    {
        var random = new Random(7);
        var reference = Sample(random, 20_000, 0, ties: false);
        var data = Sample(random, 4_000, -0.4, ties: false);
        var fitted = ContinuousReference.Fit(reference, [DriftMethod.KolmogorovSmirnov], exact: false, bins: 10_000);
        var sorted = new ChunkScratch();

        var binned = fitted.Value(DriftMethod.KolmogorovSmirnov, data, sorted);
        var exact = DistributionDistances.KolmogorovSmirnovExact(reference.Order().ToArray(), data.Order().ToArray());

        Assert.Equal(exact, binned, 2);
    }

    [Fact]
    public void JensenShannon_MatchesHandComputation_WhenOneDistributionIsConcentrated()
    {
        // p = (½, ½), q = (1, 0), m = (¾, ¼): JS² = ½[KL(p‖m) + KL(q‖m)] in bits.
        var klP = (0.5 * Math.Log2(0.5 / 0.75)) + (0.5 * Math.Log2(0.5 / 0.25));
        var klQ = Math.Log2(1 / 0.75);

        Assert.Equal(Math.Sqrt((klP + klQ) / 2), DistributionDistances.JensenShannon([0.5, 0.5], [1, 0]), 15);
        Assert.Equal(1.0, DistributionDistances.JensenShannon([1, 0], [0, 1]), 15);
        Assert.Equal(0.0, DistributionDistances.JensenShannon([0.2, 0.8], [0.2, 0.8]), 15);
    }

    [Fact]
    public void Hellinger_MatchesHandComputation()
    {
        var expected = Math.Sqrt(Math.Pow(Math.Sqrt(0.5) - 1, 2) + 0.5) / Math.Sqrt(2);

        Assert.Equal(expected, DistributionDistances.Hellinger([0.5, 0.5], [1, 0]), 15);
        Assert.Equal(1.0, DistributionDistances.Hellinger([1, 0], [0, 1]), 15);
    }

    [Fact]
    public void Chi2_MatchesHandComputation_WhenThreeCategoriesGiveTwoDegreesOfFreedom()
    {
        // Reference 30/50/20, chunk 10/10/20 (one unseen-free table): expected = row · column / total.
        long[] reference = [30, 50, 20];
        var chunk = new ChunkCounts([10, 10, 20], [], 40);
        double[,] observed = { { 30, 10 }, { 50, 10 }, { 20, 20 } };
        double total = 140, referenceTotal = 100, chunkTotal = 40;
        var expected = 0.0;
        for (var r = 0; r < 3; r++)
        {
            var row = observed[r, 0] + observed[r, 1];
            var e0 = row * referenceTotal / total;
            var e1 = row * chunkTotal / total;
            expected += (Math.Pow(observed[r, 0] - e0, 2) / e0) + (Math.Pow(observed[r, 1] - e1, 2) / e1);
        }

        var (statistic, p) = Chi2Contingency.Compute(reference, chunk);

        Assert.Equal(expected, statistic, 12);
        Assert.Equal(Math.Exp(-expected / 2), p, 14);
    }

    [Fact]
    public void Chi2_AppliesYates_WhenTwoCategoriesGiveOneDegreeOfFreedom()
    {
        // Table [[40, 10], [60, 30]]: expectations 35.714…, 14.285…, 64.285…, 25.714…; each cell moves ½ towards them.
        var (statistic, p) = Chi2Contingency.Compute([40, 60], new ChunkCounts([10, 30], [], 40));
        double[] observed = [40, 10, 60, 30];
        double[] expectedCells = [50.0 * 100 / 140, 50.0 * 40 / 140, 90.0 * 100 / 140, 90.0 * 40 / 140];
        var expected = observed.Select((o, i) => Math.Pow(Math.Abs(o - expectedCells[i]) - 0.5, 2) / expectedCells[i]).Sum();

        Assert.Equal(expected, statistic, 12);

        // One degree of freedom: P(X ≥ x) = erfc(√(x/2)).
        Assert.Equal(MathNet.Numerics.SpecialFunctions.Erfc(Math.Sqrt(expected / 2)), p, 14);
    }

    [Fact]
    public void Chi2_CountsEachUnseenCategoryAsItsOwnRow()
    {
        var with = Chi2Contingency.Compute([30, 50], new ChunkCounts([10, 10], new Dictionary<string, long> { ["x"] = 5, ["y"] = 5 }, 30));
        var (statistic, p) = Chi2Contingency.Compute([30, 50, 0, 0], new ChunkCounts([10, 10, 5, 5], [], 30));

        Assert.Equal(statistic, with.Statistic, 12);
        Assert.Equal(p, with.PValue, 14);
    }

    [Fact]
    public void DoaneEdges_MatchNumpy_WhenDataIsSymmetric()
    {
        // numpy.histogram_bin_edges(np.arange(1, 11), bins='doane'): g1 = 0, so k = 1 + log2(10) → 5 bins of 1.8.
        var edges = Histogram.DoaneEdges([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

        Assert.Equal([1, 2.8, 4.6, 6.4, 8.2, 10], edges.Select(e => Math.Round(e, 12)));
    }

    [Fact]
    public void Count_PutsEdgeValuesInTheUpperBinAndTheMaximumInTheLast()
    {
        var edges = NumpyReductions.Linspace(0, 4, 5);

        var counts = Histogram.Count([-1, 0, 0.5, 1, 2.999, 3, 4, 5], edges, out var below);

        Assert.Equal([2, 1, 1, 2], counts);
        Assert.Equal(1, below);
    }

    [Fact]
    public void Sum_EqualsExactSum_WhenValuesAreIntegersOfEveryBlockSize()
    {
        foreach (var n in new[] { 0, 3, 8, 9, 127, 128, 129, 1000, 10_001 })
        {
            var values = Enumerable.Range(1, n).Select(i => (double)i).ToArray();
            Assert.Equal(n * (n + 1) / 2.0, NumpyReductions.Sum(values));
        }
    }
}
