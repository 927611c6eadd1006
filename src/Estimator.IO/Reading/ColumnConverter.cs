namespace Estimator.IO;

/// <summary>
/// Interprets raw columns in their role: scores, 0/1 labels, UTC timestamps, join ids. Every rejection is an
/// <see cref="EstimatorDataException"/> naming the source, the column and (where it applies) the 0-based row.
/// </summary>
internal static class ColumnConverter
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd",
    ];

    /// <summary>Scores in [0, 1]; null, NaN and empty text become NaN and are counted in <paramref name="missing"/>.</summary>
    public static double[] ToScores(RawColumn column, string source, out long missing)
    {
        var result = Numbers(column, source, out missing);
        for (var r = 0; r < result.Length; r++)
        {
            if (result[r] is < 0.0 or > 1.0)
            {
                throw new EstimatorDataException(Invariant($"score {result[r]:R} is outside [0, 1]"), source, column.Name, r);
            }
        }

        return result;
    }

    /// <summary>
    /// A regression model's predicted or actual values: any finite number; null, NaN and empty text become NaN and are
    /// counted in <paramref name="missing"/>; an infinite value or text that is not a number is an error naming the row.
    /// </summary>
    public static double[] ToValues(RawColumn column, string source, out long missing)
    {
        var result = Numbers(column, source, out missing);
        for (var r = 0; r < result.Length; r++)
        {
            if (double.IsInfinity(result[r]))
            {
                throw new EstimatorDataException(Invariant($"value {result[r]:R} is not finite"), source, column.Name, r);
            }
        }

        return result;
    }

    /// <summary>
    /// How number text is read (CSV cells): surrounding white space ignored; empty, <c>nan</c> and <c>null</c> (any
    /// case) are missing (NaN); otherwise a number in invariant culture. False when the text is not a number.
    /// </summary>
    internal static bool TryParseNumberText(ReadOnlySpan<char> text, out double value)
    {
        if (DecimalText.TryParse(text, out value))
        {
            return true;
        }

        var t = text.Trim();
        if (IsMissingText(t))
        {
            value = double.NaN;
            return true;
        }

        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// A numeric column as doubles (null → NaN, counted in <paramref name="missing"/>); text that is not a number is an
    /// error naming the first such row.
    /// </summary>
    private static double[] Numbers(RawColumn column, string source, out long missing)
    {
        var n = column.Length;
        var result = new double[n];
        switch (column)
        {
            case DoubleColumn d:
                Array.Copy(d.Values, result, n);
                break;
            case IntegerColumn i:
                for (var r = 0; r < n; r++)
                {
                    result[r] = i.IsNull[r] ? double.NaN : i.Values[r];
                }

                break;
            case TextNumberColumn t:
                if (t.OtherRows.Length > 0)
                {
                    throw NotANumber(t.OtherCells[0], column, source, t.OtherRows[0]);
                }

                Array.Copy(t.Values, result, n);
                break;
            case StringColumn { IsText: true } s:
                for (var r = 0; r < n; r++)
                {
                    result[r] = ParseNumber(s.Values[r], column, source, r);
                }

                break;
            default:
                throw WrongType(column, source, "a numeric type (floating-point, decimal or integer)");
        }

        missing = MissingCount(result);
        return result;
    }

    /// <summary>Labels 0 or 1 (from bool, integer, floating or text); null, NaN and empty text become NaN.</summary>
    public static double[] ToLabels(RawColumn column, string source, out long missing)
    {
        var n = column.Length;
        var result = new double[n];
        switch (column)
        {
            case DoubleColumn d:
                for (var r = 0; r < n; r++)
                {
                    result[r] = CheckLabel(d.Values[r], column, source, r);
                }

                break;
            case IntegerColumn i:
                for (var r = 0; r < n; r++)
                {
                    result[r] = i.IsNull[r] ? double.NaN : CheckLabel(i.Values[r], column, source, r);
                }

                break;
            case BooleanColumn b:
                for (var r = 0; r < n; r++)
                {
                    result[r] = b.Values[r] switch { null => double.NaN, true => 1.0, false => 0.0 };
                }

                break;
            case TextNumberColumn t:
                for (int r = 0, other = 0; r < n; r++)
                {
                    result[r] = other < t.OtherRows.Length && t.OtherRows[other] == r
                        ? ParseLabel(t.OtherCells[other++], column, source, r)
                        : CheckLabel(t.Values[r], column, source, r);
                }

                break;
            case StringColumn { IsText: true } s:
                for (var r = 0; r < n; r++)
                {
                    result[r] = ParseLabel(s.Values[r], column, source, r);
                }

                break;
            default:
                throw WrongType(column, source, "labels as bool, integer or floating-point 0/1");
        }

        missing = MissingCount(result);
        return result;
    }

    /// <summary>
    /// Class labels of a multiclass model as text: strings verbatim (CSV cells trimmed), integers (any width, or
    /// integral floating-point values such as <c>2.0</c>) in invariant decimal form, so <c>2</c>, <c>2.0</c> and the
    /// string <c>"2"</c> are the same class. Null, NaN, empty text, <c>nan</c> and <c>null</c> are missing (null).
    /// </summary>
    public static string?[] ToClassLabels(RawColumn column, string source, out long missing)
    {
        var n = column.Length;
        var result = new string?[n];
        switch (column)
        {
            case StringColumn s:
                for (var r = 0; r < n; r++)
                {
                    var text = s.IsText ? s.Values[r]?.Trim() : s.Values[r];
                    result[r] = text is null || (s.IsText && IsMissingText(text)) ? null : text;
                }

                break;
            case IntegerColumn i:
                for (var r = 0; r < n; r++)
                {
                    result[r] = i.IsNull[r] ? null : i.Values[r].ToString(CultureInfo.InvariantCulture);
                }

                break;
            case DoubleColumn d:
                for (var r = 0; r < n; r++)
                {
                    var v = d.Values[r];
                    if (double.IsNaN(v))
                    {
                        continue;
                    }

                    result[r] = IntegralText(v)
                        ?? throw new EstimatorDataException(Invariant($"value {v:R} is not a class label (expected a string or an integer)"), source, column.Name, r);
                }

                break;
            default:
                throw WrongType(column, source, "class labels as strings or integers");
        }

        missing = result.LongCount(static l => l is null);
        return result;
    }

    /// <summary>UTC timestamps; a missing or unparseable timestamp is an error.</summary>
    public static DateTime[] ToTimestamps(RawColumn column, string source)
    {
        var n = column.Length;
        var result = new DateTime[n];
        switch (column)
        {
            case DateTimeColumn d:
                for (var r = 0; r < n; r++)
                {
                    result[r] = d.Values[r] ?? throw new EstimatorDataException("timestamp is missing (null)", source, column.Name, r);
                }

                break;
            case StringColumn s:
                for (var r = 0; r < n; r++)
                {
                    result[r] = ParseTimestamp(s.Values[r], column, source, r);
                }

                break;
            default:
                throw WrongType(column, source, "a timestamp or an ISO-8601 string");
        }

        return result;
    }

    /// <summary>
    /// Join keys as strings: integers (any width, or integral floating-point values) in invariant decimal form,
    /// strings verbatim. A missing id is an error.
    /// </summary>
    public static string[] ToIds(RawColumn column, string source)
    {
        var n = column.Length;
        var result = new string[n];
        switch (column)
        {
            case IntegerColumn i:
                for (var r = 0; r < n; r++)
                {
                    if (i.IsNull[r])
                    {
                        throw new EstimatorDataException("id is missing (null)", source, column.Name, r);
                    }

                    result[r] = i.Values[r].ToString(CultureInfo.InvariantCulture);
                }

                break;
            case DoubleColumn d:
                for (var r = 0; r < n; r++)
                {
                    var v = d.Values[r];
                    if (double.IsNaN(v))
                    {
                        throw new EstimatorDataException("id is missing (null)", source, column.Name, r);
                    }

                    result[r] = IntegralText(v) ?? throw new EstimatorDataException(Invariant($"id {v:R} is not an integer"), source, column.Name, r);
                }

                break;
            case StringColumn s:
                for (var r = 0; r < n; r++)
                {
                    var v = s.Values[r];
                    if (string.IsNullOrEmpty(v))
                    {
                        throw new EstimatorDataException("id is missing (empty)", source, column.Name, r);
                    }

                    result[r] = v;
                }

                break;
            default:
                throw WrongType(column, source, "integer or string ids");
        }

        return result;
    }

    private static double CheckLabel(double v, RawColumn column, string source, int row)
    {
        if (double.IsNaN(v) || v == 0.0 || v == 1.0)
        {
            return v;
        }

        throw new EstimatorDataException(Invariant($"value {v:R} is not a label (expected 0 or 1)"), source, column.Name, row);
    }

    private static double ParseLabel(string? text, RawColumn column, string source, int row)
    {
        var t = text.AsSpan().Trim();
        if (IsMissingText(t))
        {
            return double.NaN;
        }

        if (t.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return 1.0;
        }

        if (t.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return 0.0;
        }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            throw new EstimatorDataException($"value '{Shorten(text)}' is not a label (expected 0 or 1)", source, column.Name, row);
        }

        return CheckLabel(v, column, source, row);
    }

    private static double ParseNumber(string? text, RawColumn column, string source, int row) =>
        TryParseNumberText(text, out var v) ? v : throw NotANumber(text, column, source, row);

    private static EstimatorDataException NotANumber(string? text, RawColumn column, string source, int row) =>
        new($"value '{Shorten(text)}' is not a number", source, column.Name, row);

    private static DateTime ParseTimestamp(string? text, RawColumn column, string source, int row)
    {
        var t = text.AsSpan().Trim();
        if (t.IsEmpty)
        {
            throw new EstimatorDataException("timestamp is missing (empty)", source, column.Name, row);
        }

        if (DateTimeOffset.TryParseExact(
            t,
            TimestampFormats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal,
            out var value))
        {
            return value.UtcDateTime;
        }

        throw new EstimatorDataException(
            $"timestamp '{Shorten(text)}' does not parse (expected ISO 8601, e.g. 2018-01-01 00:00:00.000)",
            source,
            column.Name,
            row);
    }

    private static bool IsMissingText(ReadOnlySpan<char> t) =>
        t.IsEmpty || t.Equals("nan", StringComparison.OrdinalIgnoreCase) || t.Equals("null", StringComparison.OrdinalIgnoreCase);

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "...");

    /// <summary>How many values are missing (NaN).</summary>
    internal static long MissingCount(double[] values)
    {
        long missing = 0;
        foreach (var v in values)
        {
            missing += double.IsNaN(v) ? 1 : 0;
        }

        return missing;
    }

    /// <summary>An integral value within the int64 range as an integer prints it (<c>2.0</c> → <c>"2"</c>); null otherwise.</summary>
    private static string? IntegralText(double v) =>
        Math.Floor(v) == v && Math.Abs(v) < 9.2e18 ? ((long)v).ToString(CultureInfo.InvariantCulture) : null;

    private static EstimatorDataException WrongType(RawColumn column, string source, string expected) =>
        new($"has type {column.TypeName}; expected {expected}", source, column.Name);

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}
