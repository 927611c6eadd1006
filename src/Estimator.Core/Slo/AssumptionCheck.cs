namespace Estimator.Slo;

/// <summary>One labelled chunk of a metric as reconciliation sees it: whether the realized value fell inside the band.</summary>
/// <param name="Index">The chunk's index.</param>
/// <param name="Key">The chunk's key.</param>
/// <param name="InsideBand">Whether the realized value lies inside the estimate's confidence band.</param>
public readonly record struct LabelledChunk(int Index, string Key, bool InsideBand);

/// <summary>
/// A run of chunks whose realized values fell outside the estimate's band: the sign that the estimator's assumption (for
/// CBPE, that P(y | score) is what it was on the reference; for DLE, that the error given the inputs is) no longer holds,
/// most often concept drift, which no label-free estimator can see.
/// </summary>
/// <param name="Metric">The metric.</param>
/// <param name="FirstIndex">The first chunk outside the band.</param>
/// <param name="FirstKey">Its key.</param>
/// <param name="ConfirmedIndex">The chunk that confirmed the violation (the n-th outside the band in a row).</param>
/// <param name="ConfirmedKey">Its key.</param>
/// <param name="LastIndex">The last chunk outside the band in the run.</param>
/// <param name="ClearedIndex">The chunk that cleared it (the n-th inside the band in a row), or null while it holds.</param>
/// <param name="ClearedKey">Its key, or null.</param>
public sealed record AssumptionViolation(
    string Metric,
    int FirstIndex,
    string FirstKey,
    int ConfirmedIndex,
    string ConfirmedKey,
    int LastIndex,
    int? ClearedIndex,
    string? ClearedKey)
{
    /// <summary>Whether the violation still holds at the latest labelled chunk.</summary>
    public bool Active => ClearedIndex is null;
}

/// <summary>
/// Finds where realized values left the estimate's band for good: <c>n</c> labelled chunks in a row outside the band
/// start a violation (at the first of them), and <c>n</c> in a row inside end it. One chunk outside a ±3σ band happens
/// by chance about 0.3 % of the time, two in a row about 0.001 %, so the default of two keeps false flags rare while
/// firing within two chunks of the labels arriving.
/// </summary>
public static class AssumptionCheck
{
    /// <summary>The default number of chunks in a row that starts or ends a violation.</summary>
    public const int DefaultConsecutive = 2;

    /// <summary>The violations of one metric, in chunk order.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="chunks">Its labelled chunks in chunk order (only those whose realized value is known).</param>
    /// <param name="consecutive">How many chunks in a row start or end a violation (≥ 1).</param>
    public static IReadOnlyList<AssumptionViolation> Find(string metric, IReadOnlyList<LabelledChunk> chunks, int consecutive = DefaultConsecutive)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentOutOfRangeException.ThrowIfLessThan(consecutive, 1);
        var found = new List<AssumptionViolation>();
        AssumptionViolation? open = null;
        var outside = 0;
        var inside = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var c = chunks[i];
            outside = c.InsideBand ? 0 : outside + 1;
            inside = c.InsideBand ? inside + 1 : 0;
            if (open is null && outside == consecutive)
            {
                var first = chunks[i - consecutive + 1];
                open = new AssumptionViolation(metric, first.Index, first.Key, c.Index, c.Key, c.Index, null, null);
            }
            else if (open is not null && !c.InsideBand)
            {
                open = open with { LastIndex = c.Index };
            }
            else if (open is not null && inside == consecutive)
            {
                found.Add(open with { ClearedIndex = c.Index, ClearedKey = c.Key });
                open = null;
            }
        }

        if (open is not null)
        {
            found.Add(open);
        }

        return found;
    }
}
