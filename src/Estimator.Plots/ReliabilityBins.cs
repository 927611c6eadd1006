namespace Estimator.Plots;

/// <summary>Equal-count bins of rows sorted by score: mean score, positive rate and the binned ECE.</summary>
/// <param name="MeanScore">Mean score per bin, in bin order.</param>
/// <param name="PositiveRate">Share of positive targets per bin.</param>
/// <param name="Ece">Σ over bins of (bin rows / rows) · |mean score − positive rate|.</param>
public sealed record ReliabilityBins(double[] MeanScore, double[] PositiveRate, double Ece)
{
    /// <summary>
    /// Sorts the rows by score (ties in row order) and cuts them into <paramref name="binCount"/> bins whose sizes differ by at most
    /// one (numpy's <c>array_split</c>: the first <c>n mod bins</c> bins get one row more).
    /// </summary>
    /// <param name="scores">Scores, no NaN.</param>
    /// <param name="targets">Targets 0/1, no NaN, same length.</param>
    /// <param name="binCount">Number of bins; at most the number of rows.</param>
    /// <exception cref="ArgumentException">The lengths differ or there are fewer rows than bins.</exception>
    public static ReliabilityBins Compute(ReadOnlySpan<double> scores, ReadOnlySpan<double> targets, int binCount)
    {
        if (scores.Length != targets.Length)
        {
            throw new ArgumentException("Scores and targets differ in length.", nameof(targets));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(binCount);
        var n = scores.Length;
        if (n < binCount)
        {
            throw new ArgumentException($"{n} rows cannot fill {binCount} bins.", nameof(scores));
        }

        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        Array.Sort(order, (a, b) =>
        {
            var byScore = keys[a].CompareTo(keys[b]);
            return byScore != 0 ? byScore : a.CompareTo(b);
        });

        var meanScore = new double[binCount];
        var positiveRate = new double[binCount];
        double ece = 0;
        var start = 0;
        for (var b = 0; b < binCount; b++)
        {
            var size = (n / binCount) + (b < n % binCount ? 1 : 0);
            double sumScore = 0, sumTarget = 0;
            for (var i = start; i < start + size; i++)
            {
                sumScore += scores[order[i]];
                sumTarget += targets[order[i]];
            }

            meanScore[b] = sumScore / size;
            positiveRate[b] = sumTarget / size;
            ece += (double)size / n * Math.Abs(meanScore[b] - positiveRate[b]);
            start += size;
        }

        return new ReliabilityBins(meanScore, positiveRate, ece);
    }
}
