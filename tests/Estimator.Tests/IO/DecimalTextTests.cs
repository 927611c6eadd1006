using System.Globalization;
using Estimator.IO;

namespace Estimator.Tests.IO;

/// <summary>The fast decimal parser against the runtime's own <see cref="double.Parse(string, IFormatProvider)"/> (brute force).</summary>
public sealed class DecimalTextTests
{
    [Fact]
    public void TryParse_GivesTheRuntimesDouble_ForRandomPlainDecimals()
    {
        var random = new Random(20261207);
        for (var i = 0; i < 200_000; i++)
        {
            var text = RandomDecimal(random);

            Assert.True(DecimalText.TryParse(text, out var fast), text);

            var expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(fast), $"{text}: {fast:R} != {expected:R}");
        }
    }

    [Theory]
    [InlineData("0.1", 0.1)]
    [InlineData("-0", -0.0)]
    [InlineData("5.", 5.0)]
    [InlineData(".5", 0.5)]
    [InlineData("999999999999999", 999999999999999.0)]
    [InlineData("0.00000000000001", 1e-14)]
    public void TryParse_GivesTheRuntimesDouble_ForEdgeForms(string text, double expected)
    {
        Assert.True(DecimalText.TryParse(text, out var value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("+0.5")]
    [InlineData(" 0.5")]
    [InlineData("0.5 ")]
    [InlineData("1e-3")]
    [InlineData("1.2.3")]
    [InlineData("0.1234567890123456")]
    [InlineData("nan")]
    [InlineData("１")]
    public void TryParse_LeavesItToTheRuntime_WhenTextIsNotAShortPlainDecimal(string text)
    {
        Assert.False(DecimalText.TryParse(text, out _));
    }

    [Theory]
    [InlineData(" 0.25 ", 0.25)]
    [InlineData("+0.5", 0.5)]
    [InlineData("2.5e-1", 0.25)]
    [InlineData("0.12345678901234567890", 0.12345678901234567890)]
    public void TryParseNumberText_FallsBackToTheRuntime_WhenTheFastPathDeclines(string text, double expected)
    {
        Assert.True(ColumnConverter.TryParseNumberText(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("NaN")]
    [InlineData("null")]
    public void TryParseNumberText_GivesNaN_WhenTextMeansMissing(string text)
    {
        Assert.True(ColumnConverter.TryParseNumberText(text, out var value));
        Assert.True(double.IsNaN(value));
    }

    private static string RandomDecimal(Random random)
    {
        var integerDigits = random.Next(0, 8);
        var decimals = random.Next(integerDigits == 0 ? 1 : 0, 16 - integerDigits);
        var chars = new List<char>();
        if (random.Next(4) == 0)
        {
            chars.Add('-');
        }

        for (var i = 0; i < integerDigits; i++)
        {
            chars.Add((char)('0' + random.Next(10)));
        }

        if (decimals > 0 || random.Next(8) == 0)
        {
            chars.Add('.');
        }

        for (var i = 0; i < decimals; i++)
        {
            chars.Add((char)('0' + random.Next(10)));
        }

        return new string([.. chars]);
    }
}
