namespace Estimator.Learning;

/// <summary>
/// scikit-learn's <c>StratifiedKFold(n_splits)</c> without shuffling, which NannyML's domain classifier uses: the labels
/// sorted (0s then 1s) are dealt round-robin to the folds, which fixes how many of each class a fold tests; each class's
/// rows then fill fold 0, 1, ... in their original order.
/// </summary>
internal static class StratifiedFolds
{
    /// <summary>The test fold of every row.</summary>
    /// <param name="labels">0/1 label of each row.</param>
    /// <param name="folds">Number of folds.</param>
    public static int[] Assign(ReadOnlySpan<bool> labels, int folds)
    {
        var ones = 0;
        foreach (var label in labels)
        {
            ones += label ? 1 : 0;
        }

        var zeros = labels.Length - ones;

        // Position j of the sorted labels goes to fold j % folds; zeros hold positions [0, zeros), ones the rest.
        var perFold = new int[2][];
        perFold[0] = new int[folds];
        perFold[1] = new int[folds];
        for (var i = 0; i < folds; i++)
        {
            perFold[0][i] = CountCongruent(0, zeros, i, folds);
            perFold[1][i] = CountCongruent(zeros, labels.Length, i, folds);
        }

        var result = new int[labels.Length];
        var fold = new int[2];
        var used = new int[2];
        for (var r = 0; r < labels.Length; r++)
        {
            var c = labels[r] ? 1 : 0;
            while (used[c] == perFold[c][fold[c]])
            {
                fold[c]++;
                used[c] = 0;
            }

            result[r] = fold[c];
            used[c]++;
        }

        return result;
    }

    // How many j in [start, end) have j % folds == i.
    private static int CountCongruent(int start, int end, int i, int folds)
    {
        static int Below(int n, int i, int folds) => n <= i ? 0 : ((n - i - 1) / folds) + 1;
        return Below(end, i, folds) - Below(start, i, folds);
    }
}
