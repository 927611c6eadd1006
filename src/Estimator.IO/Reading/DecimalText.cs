namespace Estimator.IO;

/// <summary>
/// The exact fast path for plain decimal text such as <c>0.37</c>, <c>-12.5</c> or <c>1</c>: with at most 15 digits
/// and no exponent the value is an integer below 2^53 divided by a power of ten up to 10^15, both exact doubles, so
/// the one division is correctly rounded and gives the same double as <see cref="double.Parse(string)"/>
/// (Clinger's fast path). Anything else is left to <see cref="double.TryParse(ReadOnlySpan{char}, System.Globalization.NumberStyles, IFormatProvider, out double)"/>.
/// </summary>
internal static class DecimalText
{
    private const int MaxDigits = 15;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];

    /// <summary>Parses <c>-?digits[.digits]</c> (or <c>-?.digits</c>) of at most 15 digits; false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (!text.IsEmpty && text[0] == '-')
        {
            negative = true;
            i = 1;
        }

        long mantissa = 0;
        int digits = 0, decimals = -1;
        for (; i < text.Length; i++)
        {
            var d = (uint)(text[i] - '0');
            if (d <= 9)
            {
                if (++digits > MaxDigits)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + d;
                if (decimals >= 0)
                {
                    decimals++;
                }
            }
            else if (text[i] == '.' && decimals < 0)
            {
                decimals = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        var magnitude = decimals > 0 ? mantissa / PowersOfTen[decimals] : mantissa;
        value = negative ? -magnitude : magnitude;
        return true;
    }
}
