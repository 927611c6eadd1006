namespace Estimator;

/// <summary>
/// The text forms of chunking (the command line's <c>--chunk-*</c> options, the configuration's <c>chunking</c>
/// section): parsed here, once, so every edge accepts the same spellings and says the same thing when they are wrong.
/// Errors come back as one sentence that the edge prefixes with the option or key it read.
/// </summary>
public static class ChunkingSyntax
{
    /// <summary>The period spellings accepted, for messages: day, week, month, quarter, year or pandas' D, W, M, Q, Y.</summary>
    public const string PeriodSpellings = "day, week, month, quarter or year (or pandas' D, W, M, Q, Y)";

    /// <summary>The incomplete-chunk rules accepted, for messages.</summary>
    public const string IncompleteSpellings = "keep, drop or append";

    private static readonly NameTable<ChunkPeriod> PeriodNames = new("day", "week", "month", "quarter", "year");

    private static readonly NameTable<IncompleteChunk> IncompleteNames = new("keep", "drop", "append");

    // pandas' offset aliases, one letter per period in ChunkPeriod order; matched case-sensitively, as pandas does.
    private const string PandasOffsets = "DWMQY";

    /// <summary>Parses a calendar period: <c>day</c>…<c>year</c> (any case) or pandas' offsets <c>D W M Q Y</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="period">The period, when the text is one.</param>
    /// <param name="error">Why not, otherwise.</param>
    public static bool TryParsePeriod(string? text, out ChunkPeriod period, out string? error)
    {
        var trimmed = text?.Trim();
        var offset = trimmed is [var letter] ? PandasOffsets.IndexOf(letter, StringComparison.Ordinal) : -1;
        bool known;
        if (offset >= 0)
        {
            period = (ChunkPeriod)offset;
            known = true;
        }
        else
        {
            known = PeriodNames.TryParse(trimmed, out period);
        }

        error = known ? null : $"'{text}' is not a period; use {PeriodSpellings}";
        period = known ? period : (ChunkPeriod)(-1);
        return known;
    }

    /// <summary>Parses an incomplete-chunk rule: <c>keep</c>, <c>drop</c> or <c>append</c> (any case).</summary>
    /// <param name="text">The text.</param>
    /// <param name="rule">The rule, when the text is one.</param>
    /// <param name="error">Why not, otherwise.</param>
    public static bool TryParseIncomplete(string? text, out IncompleteChunk rule, out string? error)
    {
        var known = IncompleteNames.TryParse(text, out rule);
        error = known ? null : $"'{text}' is not a rule for the rows after the last whole chunk; use {IncompleteSpellings}";
        rule = known ? rule : (IncompleteChunk)(-1);
        return known;
    }

    /// <summary>Parses a positive chunk size or count (a whole number from 1 to 2,147,483,647).</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The number, when the text is one.</param>
    /// <param name="error">Why not, otherwise.</param>
    public static bool TryParseCount(string? text, out int value, out string? error)
    {
        if (!long.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            value = 0;
            error = $"'{text}' is not a whole number";
            return false;
        }

        if (parsed is < 1 or > int.MaxValue)
        {
            value = 0;
            error = FormattableString.Invariant($"{parsed} is out of range; use a whole number from 1 to {int.MaxValue}");
            return false;
        }

        value = (int)parsed;
        error = null;
        return true;
    }

    /// <summary>
    /// Builds the chunking from at most one of size, number and period (none: NannyML's default of ten chunks), with
    /// the incomplete rule, which size and number take and period does not.
    /// </summary>
    /// <param name="size">Rows per chunk, or null.</param>
    /// <param name="number">Number of chunks, or null.</param>
    /// <param name="period">Calendar period, or null.</param>
    /// <param name="incomplete">The rule for the remainder (null: keep).</param>
    /// <param name="chunking">The chunking, when the combination is valid.</param>
    /// <param name="error">Why not, otherwise.</param>
    public static bool TryCreate(int? size, int? number, ChunkPeriod? period, IncompleteChunk? incomplete, out Chunking chunking, out string? error)
    {
        var chosen = (size is null ? 0 : 1) + (number is null ? 0 : 1) + (period is null ? 0 : 1);
        chunking = Chunking.Default;
        error = chosen > 1 ? "give only one of size, number and period"
            : period is not null && incomplete is not null ? "period chunks take no rule for an incomplete chunk"
            : size is <= 0 || number is <= 0 ? "size and number must be positive"
            : null;
        if (error is not null)
        {
            return false;
        }

        var rule = incomplete ?? IncompleteChunk.Keep;
        chunking = size is int s ? Chunking.BySize(s, rule)
            : number is int n ? Chunking.ByNumber(n, rule)
            : period is ChunkPeriod p ? Chunking.ByPeriod(p)
            : Chunking.Default;
        return true;
    }
}
