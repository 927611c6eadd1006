using Estimator.Calibration;

namespace Estimator.Tests.Calibration;

/// <summary>
/// scikit-learn 1.x <c>StratifiedShuffleSplit._iter_indices</c> transcribed line for line over numpy's legacy
/// <c>RandomState</c>: whole class permutations, train and test parts, both shuffled. The oracle for the engine's
/// <see cref="StratifiedShuffleSplit.TestParts"/>, which builds only the test parts.
/// </summary>
internal static class ReferenceStratifiedShuffleSplit
{
    public static IReadOnlyList<(int[] Train, int[] Test)> Split(double[] y, int splits = 10, double testSize = 0.1, uint seed = 42)
    {
        var n = y.Length;
        var testCount = (int)Math.Ceiling(testSize * n);
        var trainCount = n - testCount;

        // classes = sorted distinct labels; class_indices[c] = its rows in ascending order.
        var classes = y.Distinct().Order().ToArray();
        var classIndices = classes.Select(c => Enumerable.Range(0, n).Where(row => y[row] == c).ToArray()).ToArray();
        var classCounts = classIndices.Select(rows => rows.Length).ToArray();

        var rng = new NumpyRandomState(seed);
        var result = new List<(int[] Train, int[] Test)>();
        for (var s = 0; s < splits; s++)
        {
            var trainPerClass = StratifiedShuffleSplit.ApproximateMode(classCounts, trainCount, rng);
            var remaining = classCounts.Select((count, c) => count - trainPerClass[c]).ToArray();
            var testPerClass = StratifiedShuffleSplit.ApproximateMode(remaining, testCount, rng);
            var train = new List<int>();
            var test = new List<int>();
            for (var c = 0; c < classes.Length; c++)
            {
                var permutation = rng.Permutation(classCounts[c]);
                var rows = classIndices[c];
                train.AddRange(permutation.Take(trainPerClass[c]).Select(k => rows[k]));
                test.AddRange(permutation.Skip(trainPerClass[c]).Take(testPerClass[c]).Select(k => rows[k]));
            }

            var trainArray = train.ToArray();
            var testArray = test.ToArray();
            rng.Shuffle(trainArray);
            rng.Shuffle(testArray);
            result.Add((trainArray, testArray));
        }

        return result;
    }
}
