using Estimator.Numerics;

namespace Estimator.Tests.Numerics;

public sealed class SpanScanTests
{
    private static readonly double[] Odd = [-0.5, 1.0000000000000002, -1e-300, 2, double.PositiveInfinity, double.NegativeInfinity, 0.5];

    public static TheoryData<int, int> Positions()
    {
        var data = new TheoryData<int, int>();
        foreach (var n in new[] { 1, 3, 4, 5, 17, 1_000 })
        {
            // Distinct: for small n the middle and the last position coincide with 0 or 1, and xunit would drop the repeats.
            foreach (var at in new[] { -1, 0, 1, n / 2, n - 1 }.Where(at => at < n).Distinct())
            {
                data.Add(n, at);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public void CountMissingAndCheck_EqualsRowByRowCheck_WhenOneValueIsPlanted(int n, int at)
    {
        foreach (var labels in new[] { false, true })
        {
            foreach (var odd in Odd.Append(double.NaN))
            {
                var values = Values(n, at, odd, labels);
                var expected = Array.FindIndex(values, v => !double.IsNaN(v) && (labels ? v != 0 && v != 1 : v < 0 || v > 1 || double.IsInfinity(v)));

                var actual = SpanScan.CountMissingAndCheck(values, scores: !labels, out var missing);

                Assert.Equal(expected, actual);
                if (expected < 0)
                {
                    Assert.Equal(values.LongCount(double.IsNaN), missing);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public void ConvertZeroOne_EqualsConversion_WhenOneValueIsPlanted(int n, int at)
    {
        foreach (var odd in new long[] { 2, -1, long.MinValue, long.MaxValue, 1L << 53, 0 })
        {
            var random = new Random(n + at);
            var values = Enumerable.Range(0, n).Select(_ => (long)random.Next(2)).ToArray();
            if (at >= 0)
            {
                values[at] = odd;
            }

            var destination = new double[n];
            var expected = Array.FindIndex(values, v => v is not (0 or 1));

            var actual = SpanScan.ConvertZeroOne(values, destination);

            Assert.Equal(expected, actual);
            var converted = expected < 0 ? n : expected;
            Assert.Equal(values.Take(converted).Select(v => BitConverter.DoubleToInt64Bits(v)), destination.Take(converted).Select(BitConverter.DoubleToInt64Bits));
        }
    }

    /// <summary>Valid values (with NaN, −0 and the bounds) and <paramref name="odd"/> at <paramref name="at"/> (none at −1).</summary>
    private static double[] Values(int n, int at, double odd, bool labels)
    {
        var random = new Random((n * 31) + at);
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = random.Next(6) switch
            {
                0 => double.NaN,
                1 => -0.0,
                2 => 1,
                3 => 0,
                _ => labels ? 1 : random.NextDouble(),
            };
        }

        if (at >= 0)
        {
            values[at] = odd;
        }

        return values;
    }
}
