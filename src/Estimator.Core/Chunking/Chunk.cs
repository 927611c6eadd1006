namespace Estimator;

/// <summary>
/// One chunk: a contiguous run of rows (after sorting by timestamp, when there is one) that gets one
/// estimate per metric.
/// </summary>
/// <param name="Key">NannyML's chunk key: <c>[start:end]</c> for size- and count-based chunks, the period (e.g. <c>2018-10</c>) for period chunks.</param>
/// <param name="Index">0-based position of the chunk within its period (reference or analysis).</param>
/// <param name="StartIndex">Position of the chunk's first row (0-based, inclusive) in the sorted data.</param>
/// <param name="EndIndex">Position of the chunk's last row (inclusive).</param>
/// <param name="StartDate">Earliest timestamp (size/count chunks) or the period's start (period chunks); null without timestamps.</param>
/// <param name="EndDate">Latest timestamp (size/count chunks) or the period's last tick (period chunks); null without timestamps.</param>
public sealed record Chunk(string Key, int Index, long StartIndex, long EndIndex, DateTime? StartDate, DateTime? EndDate)
{
    /// <summary>Number of rows in the chunk.</summary>
    public long Rows => EndIndex - StartIndex + 1;
}

/// <summary>Which part of the data a chunk belongs to.</summary>
public enum Period
{
    /// <summary>The reference period: data with labels the estimator was fitted on.</summary>
    Reference,

    /// <summary>The analysis period: production data whose performance is estimated.</summary>
    Analysis,
}
