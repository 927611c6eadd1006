namespace Estimator.Calibration;

/// <summary>
/// scikit-learn 1.x <c>StratifiedShuffleSplit(n_splits, test_size, random_state=seed)</c> over numpy's legacy
/// <c>RandomState(seed)</c>, reproduced index for index (spec §2.2.1).
/// </summary>
internal static class StratifiedShuffleSplit
{
    /// <summary>
    /// The test parts of scikit-learn's splits, index for index and in its order, without the train parts (each is the
    /// complement of its test part, since n_train = n − n_test).
    /// </summary>
    /// <remarks>
    /// A class's <c>permutation(n_c)</c> puts its test rows in the last n_test,c positions, and numpy's shuffle fixes
    /// position i at step i, counting down: only those first steps need the array; the remaining draws, and the final
    /// train shuffle's, only advance the generator (<see cref="NumpyRandomState.SkipIntervals"/>). On 1e6 rows that
    /// leaves 2·10⁵ of 2·10⁶ swaps per split.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int[][] TestParts(ReadOnlySpan<double> y, int splits, double testSize, uint seed)
    {
        var (classIndices, classCounts, trainCount, testCount) = Prepare(y, splits, testSize);
        var distinct = classCounts.Length;
        var rng = new NumpyRandomState(seed);
        var result = new int[splits][];
        var remaining = new int[distinct];
        var longest = 0;
        foreach (var count in classCounts)
        {
            longest = Math.Max(longest, count);
        }

        var permutation = new int[longest];
        for (var s = 0; s < splits; s++)
        {
            var trainPerClass = ApproximateMode(classCounts, trainCount, rng);
            for (var c = 0; c < distinct; c++)
            {
                remaining[c] = classCounts[c] - trainPerClass[c];
            }

            var testPerClass = ApproximateMode(remaining, testCount, rng);
            var test = new int[testCount];
            var testFill = 0;
            for (var c = 0; c < distinct; c++)
            {
                var count = classCounts[c];
                var part = permutation.AsSpan(0, count);
                for (var k = 0; k < count; k++)
                {
                    part[k] = k;
                }

                var nTrain = trainPerClass[c];
                var nTest = testPerClass[c];
                rng.ShuffleTail(part, count - nTrain);
                rng.SkipIntervals(nTrain - 1, 1);
                var rows = classIndices[c];
                for (var k = nTrain; k < nTrain + nTest; k++)
                {
                    test[testFill++] = rows[part[k]];
                }
            }

            rng.SkipShuffle(trainCount);
            rng.Shuffle(test);
            result[s] = test;
        }

        return result;
    }

    /// <summary>Checks the arguments and groups the rows by class (scikit-learn's <c>class_indices</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[][] ClassIndices, int[] ClassCounts, int TrainCount, int TestCount) Prepare(ReadOnlySpan<double> y, int splits, double testSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(splits, 1);
        if (!(testSize > 0 && testSize < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testSize), testSize, "The test size must be in (0, 1).");
        }

        var n = y.Length;
        var testCount = (int)Math.Ceiling(testSize * n);
        var trainCount = n - testCount;
        if (trainCount <= 0)
        {
            throw new ArgumentException($"With {n} rows and test size {testSize} the train part would be empty.", nameof(y));
        }

        // Classes = sorted distinct labels; classIndex[row] = position of the row's label among them. Labels are class
        // codes, a handful of values: collect them in one pass (sorting a million labels cost more than the splits).
        var found = new List<double>();
        var last = double.NaN;
        foreach (var label in y)
        {
            if (label == last)
            {
                continue;
            }

            if (double.IsNaN(label))
            {
                throw new ArgumentException("Labels must not be NaN.", nameof(y));
            }

            if (!found.Contains(label))
            {
                found.Add(label);
            }

            last = label;
        }

        var sorted = found.ToArray();
        Array.Sort(sorted);
        var distinct = sorted.Length;
        var classes = sorted.AsSpan(0, distinct);
        var classCounts = new int[distinct];
        var rowClass = new int[n];
        for (var row = 0; row < n; row++)
        {
            // Two classes (the calibration check's case): one comparison instead of a generic binary search.
            var c = distinct == 2 ? (y[row] == classes[1] ? 1 : 0) : classes.BinarySearch(y[row]);
            rowClass[row] = c;
            classCounts[c]++;
        }

        var minimum = int.MaxValue;
        foreach (var count in classCounts)
        {
            minimum = Math.Min(minimum, count);
        }

        if (minimum < 2)
        {
            throw new ArgumentException("The least populated class has only 1 member; the minimum number of members in any class cannot be less than 2.", nameof(y));
        }

        if (trainCount < distinct || testCount < distinct)
        {
            throw new ArgumentException($"The train size {trainCount} and test size {testCount} must each be at least the number of classes {distinct}.", nameof(y));
        }

        // class_indices[c]: rows of class c in ascending order (numpy's stable argsort of the class codes).
        var classIndices = new int[distinct][];
        var fill = new int[distinct];
        for (var c = 0; c < distinct; c++)
        {
            classIndices[c] = new int[classCounts[c]];
        }

        for (var row = 0; row < n; row++)
        {
            var c = rowClass[row];
            classIndices[c][fill[c]++] = row;
        }

        return (classIndices, classCounts, trainCount, testCount);
    }

    /// <summary>
    /// scikit-learn's <c>_approximate_mode(class_counts, n_draws, rng)</c>: floor of the proportional allocation, the
    /// remaining draws going to the largest remainders, ties broken by <c>rng.choice(..., replace=False)</c>.
    /// </summary>
    internal static int[] ApproximateMode(int[] counts, int draws, NumpyRandomState rng)
    {
        var k = counts.Length;
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        var floored = new int[k];
        var remainder = new double[k];
        double flooredSum = 0;
        for (var c = 0; c < k; c++)
        {
            // numpy: class_counts / class_counts.sum() * n_draws (divide first, then multiply).
            var continuous = (double)counts[c] / total * draws;
            var floor = Math.Floor(continuous);
            floored[c] = (int)floor;
            remainder[c] = continuous - floor;
            flooredSum += floor;
        }

        var need = (int)(draws - flooredSum);
        if (need <= 0)
        {
            return floored;
        }

        var values = (double[])remainder.Clone();
        Array.Sort(values);
        var candidates = new List<int>(k);
        for (var v = values.Length - 1; v >= 0 && need > 0; v--)
        {
            if (v < values.Length - 1 && values[v] == values[v + 1])
            {
                continue;
            }

            candidates.Clear();
            for (var c = 0; c < k; c++)
            {
                if (remainder[c] == values[v])
                {
                    candidates.Add(c);
                }
            }

            var take = Math.Min(candidates.Count, need);

            // Legacy choice(a, size, replace=False) = a[permutation(len(a))[:size]]; one candidate draws nothing.
            var permutation = rng.Permutation(candidates.Count);
            for (var t = 0; t < take; t++)
            {
                floored[candidates[permutation[t]]]++;
            }

            need -= take;
        }

        return floored;
    }
}
