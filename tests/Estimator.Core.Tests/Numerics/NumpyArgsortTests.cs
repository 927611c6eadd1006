using Estimator.Numerics;

namespace Estimator.Tests.Numerics;

public sealed class NumpyArgsortTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(100_000)]
    public void ArgSort_ReturnsSortingPermutation(int n)
    {
        var random = new Random(n);
        var v = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble(), 2)).ToArray();

        var order = NumpyArgsort.ArgSort(v);

        Assert.Equal(Enumerable.Range(0, n), order.Order());
        for (var i = 1; i < n; i++)
        {
            Assert.True(v[order[i - 1]] <= v[order[i]]);
        }
    }

    [Fact]
    public void ArgSort_IsStable_BelowSixteenElements()
    {
        // numpy sorts up to 16 elements by insertion sort, which keeps tied elements in order.
        double[] v = [0.5, 0.1, 0.5, 0.1, 0.5];

        Assert.Equal([1, 3, 0, 2, 4], NumpyArgsort.ArgSort(v));
    }

    [Fact]
    public void ArgSort_PutsNaNLast()
    {
        double[] v = [double.NaN, 0.3, 0.1];

        Assert.Equal([2, 1, 0], NumpyArgsort.ArgSort(v));
    }

    [Fact]
    public void ArgSort_HandlesManyEqualKeys()
    {
        var v = Enumerable.Repeat(0.5, 50_000).Concat(Enumerable.Repeat(0.25, 50_000)).ToArray();

        var order = NumpyArgsort.ArgSort(v);

        Assert.All(order.Take(50_000), i => Assert.True(i >= 50_000));
        Assert.Equal(Enumerable.Range(0, 100_000), order.Order());
    }

    [Theory]
    [InlineData(1_000, 3)]
    [InlineData(100_000, 101)]
    [InlineData(1_000_000, 100)]
    [InlineData(200_000, 200_000)]
    public void ArgSort_GivesNumpysIndirectOrder_WithKeysCarriedAlong(int n, int distinct)
    {
        var random = new Random(n + distinct);
        var v = Enumerable.Range(0, n).Select(_ => (double)random.Next(distinct)).ToArray();

        Assert.Equal(IndirectNumpyArgsort.ArgSort(v), NumpyArgsort.ArgSort(v));
    }

    [Theory]
    [InlineData(40, 2)]
    [InlineData(1_000, 2)]
    [InlineData(200_000, 2)]
    [InlineData(200_000, 1)]
    [InlineData(50_000, 12)]
    public void ArgPartition_PutsNumpysRowsInEveryBin_WhenEdgesGiven(int n, int decimals)
    {
        var random = new Random(n + decimals);
        var v = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble(), decimals)).ToArray();
        int[] edges = [0, n / 10, n / 3, n / 3 + 1, n / 2, (9 * n) / 10, n];

        var partitioned = NumpyArgsort.ArgPartition(v, edges);
        var sorted = IndirectNumpyArgsort.ArgSort(v);

        for (var b = 0; b + 1 < edges.Length; b++)
        {
            Assert.Equal(sorted[edges[b]..edges[b + 1]].Order(), partitioned[edges[b]..edges[b + 1]].Order());
        }
    }

    [Theory]
    [InlineData(17, 10)]
    [InlineData(1_000, 19)]
    [InlineData(65_537, 32)]
    [InlineData(17, -1)]
    [InlineData(1_000, -1)]
    public void SortEqualKeys_MovesIndicesAsNumpyDoes_WhenEveryKeyIsEqual(int n, int depthLimit)
    {
        var keys = Enumerable.Repeat(0.25, n).ToArray();
        var expected = Enumerable.Range(0, n).ToArray();
        if (depthLimit < 0)
        {
            IndirectNumpyArgsort.HeapSort(keys, expected);
        }
        else
        {
            IndirectNumpyArgsort.Sort(keys, expected);
        }

        var actual = Enumerable.Range(0, n).ToArray();
        NumpyArgsort.SortEqualKeys(actual, 0, n - 1, depthLimit);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(100_000, 1)]
    [InlineData(300_000, 3)]
    public void ArgSort_GivesNumpysOrder_WhenLongRunsOfEqualKeysMixWithZeros(int n, int seed)
    {
        // Long runs of one value, −0 and +0 (equal to numpy), and a sprinkling of distinct values.
        var random = new Random(seed);
        var v = Enumerable.Range(0, n).Select(_ => random.Next(10) switch
        {
            0 => -0.0,
            1 => 0.0,
            2 => random.NextDouble(),
            _ => 0.5,
        }).ToArray();

        Assert.Equal(IndirectNumpyArgsort.ArgSort(v), NumpyArgsort.ArgSort(v));
    }
}
