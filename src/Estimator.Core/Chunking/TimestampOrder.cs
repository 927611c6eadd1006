namespace Estimator;

/// <summary>
/// The row order chunking uses: ascending timestamps, equal timestamps in their row order. pandas sorts with an
/// unstable quicksort; a stable order is the reproducible choice for equal timestamps. Every calculator sorts through
/// this one place, so CBPE, drift and quality cut the same rows into the same chunks.
/// </summary>
public static class TimestampOrder
{
    /// <summary>The permutation that sorts <paramref name="timestamps"/> stably; null when they are already in order.</summary>
    /// <param name="timestamps">The rows' timestamps.</param>
    /// <returns>order[i] is the row that comes i-th; null when the rows are already sorted.</returns>
    public static int[]? Of(ReadOnlySpan<DateTime> timestamps)
    {
        if (IsSorted(timestamps))
        {
            return null;
        }

        var keys = new long[timestamps.Length];
        var order = new int[timestamps.Length];
        for (var i = 0; i < timestamps.Length; i++)
        {
            keys[i] = timestamps[i].Ticks;
            order[i] = i;
        }

        Array.Sort(keys, order);
        StabilizeTies(keys, order);
        return order;
    }

    /// <summary>The values in the given order.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="values">The values, one per row.</param>
    /// <param name="order">A permutation from <see cref="Of"/>.</param>
    public static T[] Permute<T>(T[] values, int[] order)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(order);
        var result = new T[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            result[i] = values[order[i]];
        }

        return result;
    }

    private static bool IsSorted(ReadOnlySpan<DateTime> ts)
    {
        for (var i = 1; i < ts.Length; i++)
        {
            if (ts[i] < ts[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    private static void StabilizeTies(long[] keys, int[] order)
    {
        var i = 0;
        while (i < keys.Length)
        {
            var j = i + 1;
            while (j < keys.Length && keys[j] == keys[i])
            {
                j++;
            }

            if (j - i > 1)
            {
                Array.Sort(order, i, j - i);
            }

            i = j;
        }
    }
}
