namespace Estimator.Numerics;

/// <summary>
/// The pairs (<c>first[i]</c>, <c>second[i]</c>) in which neither value is missing (NaN), in row order: the rows a
/// measure over two columns counts. <c>foreach</c> over it runs the plain indexed loop with the NaN test.
/// </summary>
internal ref struct PresentPairs
{
    private readonly ReadOnlySpan<double> _first;
    private readonly ReadOnlySpan<double> _second;
    private int _index;

    /// <summary>Pairs the columns row by row.</summary>
    /// <param name="first">The first column; its length is the number of rows.</param>
    /// <param name="second">The second column, at least as long.</param>
    public PresentPairs(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        _first = first;
        _second = second;
        _index = -1;
    }

    /// <summary>The current pair.</summary>
    public readonly (double First, double Second) Current => (_first[_index], _second[_index]);

    /// <summary>The pairs, for <c>foreach</c>.</summary>
    public readonly PresentPairs GetEnumerator() => this;

    /// <summary>Moves to the next row where both values are present.</summary>
    public bool MoveNext()
    {
        while (++_index < _first.Length)
        {
            if (!double.IsNaN(_first[_index]) && !double.IsNaN(_second[_index]))
            {
                return true;
            }
        }

        return false;
    }
}
