using Estimator.Numerics;

namespace Estimator.Tests.Numerics;

public sealed class RadixSortTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(10, 2)]
    [InlineData(257, 2)]
    [InlineData(10_000, 2)]
    [InlineData(10_000, 17)]
    [InlineData(100_003, 17)]
    public void Sort_EqualsArraySort_BitForBit(int n, int decimals)
    {
        var random = new Random(n + decimals);
        var keys = Enumerable.Range(0, n).Select(_ => Math.Round((random.NextDouble() * 2) - 0.5, Math.Min(decimals, 15))).ToArray();
        if (decimals > 15)
        {
            keys = keys.Select(k => k * (1 + (random.NextDouble() * 1e-3))).ToArray();
        }

        var expected = (double[])keys.Clone();
        Array.Sort(expected);

        RadixSort.Sort(keys, new double[n]);

        // Array.Sort leaves −0 and +0 in any order (they compare equal); the radix sort puts −0 first. Compare them as +0.
        Assert.Equal(expected.Select(Bits), keys.Select(Bits));
        for (var i = 1; i < n; i++)
        {
            Assert.False(double.IsNegative(keys[i]) && keys[i] == 0 && !double.IsNegative(keys[i - 1]) && keys[i - 1] == 0, "−0 after +0");
        }
    }

    private static long Bits(double v) => BitConverter.DoubleToInt64Bits(v == 0 ? 0.0 : v);

    [Fact]
    public void Sort_OrdersSpecialValues()
    {
        double[] keys = [.. Enumerable.Repeat(0.5, 300), double.PositiveInfinity, 1e-300, double.Epsilon, -1e-300, double.NegativeInfinity, -3, 3, 0];
        var expected = (double[])keys.Clone();
        Array.Sort(expected);

        RadixSort.Sort(keys, new double[keys.Length]);

        Assert.Equal(expected, keys);
        Assert.Equal(double.NegativeInfinity, keys[0]);
        Assert.Equal(double.PositiveInfinity, keys[^1]);
    }
}
