namespace Estimator.Calibration;

/// <summary>
/// scikit-learn's <c>_inplace_contiguous_isotonic_regression</c>: weighted pool-adjacent-violators that pools each
/// maximal non-increasing run at once and backtracks one block, O(n).
/// </summary>
internal static class PoolAdjacentViolators
{
    /// <summary>Fits in place: on return <paramref name="y"/> holds the non-decreasing fit and <paramref name="w"/> is scratch.</summary>
    /// <param name="y">The points' targets, in score order.</param>
    /// <param name="w">The points' weights, same length.</param>
    public static void Fit(Span<double> y, Span<double> w)
    {
        var n = y.Length;

        // Blocks: if [i..j] is an active block then target[i] == j and target[j] == i.
        var target = new int[n];
        for (var t = 0; t < n; t++)
        {
            target[t] = t;
        }

        var i = 0;
        while (i < n)
        {
            var k = target[i] + 1;
            if (k == n)
            {
                break;
            }

            if (y[i] < y[k])
            {
                i = k;
                continue;
            }

            var sumWy = w[i] * y[i];
            var sumW = w[i];
            while (true)
            {
                var previousY = y[k];
                sumWy += w[k] * y[k];
                sumW += w[k];
                k = target[k] + 1;
                if (k == n || previousY < y[k])
                {
                    y[i] = sumWy / sumW;
                    w[i] = sumW;
                    target[i] = k - 1;
                    target[k - 1] = i;
                    if (i > 0)
                    {
                        i = target[i - 1];
                    }

                    break;
                }
            }
        }

        i = 0;
        while (i < n)
        {
            var k = target[i] + 1;
            y.Slice(i + 1, k - i - 1).Fill(y[i]);
            i = k;
        }
    }
}
