namespace Estimator;

/// <summary>
/// The checks that columns given together have the same number of rows, with the messages every caller shares
/// (<c>Targets and scores differ in length.</c>, <c>'targets' has 9 rows but the scores have 10.</c>).
/// </summary>
internal static class ColumnLength
{
    /// <summary>Throws when two columns of the same rows differ in length; the exception names the second.</summary>
    /// <param name="firstLength">The first column's length.</param>
    /// <param name="secondLength">The second column's length.</param>
    /// <param name="first">The first column as the message starts with it (<c>Targets</c>).</param>
    /// <param name="second">The second column's parameter name (<c>scores</c>).</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Same(int firstLength, int secondLength, string first, string second)
    {
        if (firstLength != secondLength)
        {
            throw new ArgumentException($"{first} and {second} differ in length.", second);
        }
    }

    /// <summary>Throws when an optional column given beside others has another row count than theirs.</summary>
    /// <param name="length">The column's length; null when the column is not given.</param>
    /// <param name="expected">The row count of the others.</param>
    /// <param name="name">The column's parameter name.</param>
    /// <param name="others">What the others are, with its verb (<c>the scores have</c>, <c>the data has</c>).</param>
    /// <exception cref="ArgumentException">The row counts differ.</exception>
    public static void Matches(int? length, int expected, string name, string others)
    {
        if (length is int l && l != expected)
        {
            throw new ArgumentException($"'{name}' has {l} rows but {others} {expected}.", name);
        }
    }
}
