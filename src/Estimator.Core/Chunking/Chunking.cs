namespace Estimator;

/// <summary>What to do with the rows left over when the data does not divide into whole chunks.</summary>
public enum IncompleteChunk
{
    /// <summary>Keep them as a last, shorter chunk (NannyML's default since 0.10.4).</summary>
    Keep,

    /// <summary>Discard them.</summary>
    Drop,

    /// <summary>Merge them into the previous chunk.</summary>
    Append,
}

/// <summary>Calendar period for period-based chunking.</summary>
public enum ChunkPeriod
{
    /// <summary>Calendar day (pandas offset <c>D</c>).</summary>
    Day,

    /// <summary>Week ending on Sunday (pandas offset <c>W</c> = <c>W-SUN</c>).</summary>
    Week,

    /// <summary>Calendar month (pandas offset <c>M</c>).</summary>
    Month,

    /// <summary>Calendar quarter (pandas offset <c>Q</c>).</summary>
    Quarter,

    /// <summary>Calendar year (pandas offset <c>Y</c>).</summary>
    Year,
}

/// <summary>
/// How data is split into chunks. A closed set: <see cref="Default"/>, <see cref="BySize"/>, <see cref="ByNumber"/>,
/// <see cref="ByPeriod"/>. Reference and analysis are chunked separately with the same rule.
/// </summary>
public abstract record Chunking
{
    private protected Chunking() { }

    /// <summary>NannyML's default: ten chunks of ⌊N/10⌋ rows, an incomplete remainder kept as an 11th chunk.</summary>
    public static Chunking Default { get; } = new DefaultChunking();

    /// <summary>Chunks of <paramref name="size"/> rows.</summary>
    public static Chunking BySize(int size, IncompleteChunk incomplete = IncompleteChunk.Keep) => new SizeChunking(size, incomplete);

    /// <summary><paramref name="number"/> chunks of ⌊N/number⌋ rows each (so <c>Keep</c> may give one more).</summary>
    public static Chunking ByNumber(int number, IncompleteChunk incomplete = IncompleteChunk.Keep) => new NumberChunking(number, incomplete);

    /// <summary>One chunk per calendar period that has rows; needs a timestamp column.</summary>
    public static Chunking ByPeriod(ChunkPeriod period) => new PeriodChunking(period);

    /// <summary>Whether the rule needs timestamps.</summary>
    public virtual bool RequiresTimestamps => false;
}

/// <summary>NannyML's default chunking: size ⌊N/10⌋ with the remainder kept.</summary>
public sealed record DefaultChunking : Chunking
{
    internal DefaultChunking() { }
}

/// <summary>Fixed-size chunks.</summary>
public sealed record SizeChunking : Chunking
{
    internal SizeChunking(int size, IncompleteChunk incomplete)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Size = size;
        Incomplete = incomplete;
    }

    /// <summary>Rows per chunk (positive).</summary>
    public int Size { get; }

    /// <summary>What happens to the remainder.</summary>
    public IncompleteChunk Incomplete { get; }
}

/// <summary>A fixed number of equal-size chunks.</summary>
public sealed record NumberChunking : Chunking
{
    internal NumberChunking(int number, IncompleteChunk incomplete)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(number);
        Number = number;
        Incomplete = incomplete;
    }

    /// <summary>Requested number of chunks (positive).</summary>
    public int Number { get; }

    /// <summary>What happens to the remainder.</summary>
    public IncompleteChunk Incomplete { get; }
}

/// <summary>Calendar-period chunks.</summary>
public sealed record PeriodChunking : Chunking
{
    internal PeriodChunking(ChunkPeriod period) => Period = period;

    /// <summary>The calendar period.</summary>
    public ChunkPeriod Period { get; }

    /// <inheritdoc />
    public override bool RequiresTimestamps => true;
}
