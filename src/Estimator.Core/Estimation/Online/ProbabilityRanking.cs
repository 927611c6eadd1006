namespace Estimator.Estimation.Online;

/// <summary>
/// The calibrated probabilities of a sliding window as a sorted multiset: a count per distinct value and the distinct
/// values in order. Adding or removing a row is a hash update, and a tree update only when a value appears or
/// disappears, so the window's rank order is kept without sorting its rows again.
/// </summary>
/// <remarks>
/// Isotonic calibration maps the scores to few distinct probabilities, so the tree stays small; uncalibrated
/// continuous scores make one entry per row (O(log N) per update). −0 and +0 share an entry, which no running sum can
/// tell apart.
/// </remarks>
internal sealed class ProbabilityRanking
{
    private readonly Dictionary<double, int> _counts = [];
    private readonly SortedSet<double> _distinct = [];

    /// <summary>Rows held.</summary>
    public int Count { get; private set; }

    /// <summary>Distinct probabilities held.</summary>
    public int DistinctCount => _distinct.Count;

    public void Add(double probability)
    {
        ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_counts, probability, out var existed);
        count++;
        if (!existed)
        {
            _distinct.Add(probability);
        }

        Count++;
    }

    public void Remove(double probability)
    {
        ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_counts, probability);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref count))
        {
            throw new InvalidOperationException("The probability is not in the window.");
        }

        if (--count == 0)
        {
            _counts.Remove(probability);
            _distinct.Remove(probability);
        }

        Count--;
    }

    /// <summary>
    /// Writes the distinct probabilities in descending order with their counts; returns how many were written.
    /// </summary>
    /// <param name="values">At least <see cref="DistinctCount"/> slots.</param>
    /// <param name="counts">At least <see cref="DistinctCount"/> slots.</param>
    public int CopyDescending(Span<double> values, Span<int> counts)
    {
        var k = _distinct.Count;
        foreach (var value in _distinct)
        {
            k--;
            values[k] = value;
            counts[k] = _counts[value];
        }

        return _distinct.Count;
    }
}
