using Microsoft.ML.Trainers.FastTree;

namespace Estimator.Learning;

/// <summary>
/// A FastTree regression ensemble flattened into arrays: a row goes left while its feature value is ≤ the node's threshold
/// (so NaN goes right, as in FastTree), and the score is the bias plus the weighted leaf values, summed in tree order in
/// double and rounded to float as ML.NET's Score column is.
/// </summary>
internal sealed class TreeEnsemble
{
    private readonly Tree[] _trees;
    private readonly double _bias;
    private readonly QuickScorer? _quick;

    private TreeEnsemble(Tree[] trees, double bias)
    {
        _trees = trees;
        _bias = bias;
        _quick = QuickScorer.TryCreate(trees, bias);
    }

    /// <summary>Whether rows are scored by <see cref="QuickScorer"/> (every tree has at most 64 leaves) rather than by walking.</summary>
    public bool UsesQuickScorer => _quick is not null;

    public static TreeEnsemble From(RegressionTreeEnsemble ensemble)
    {
        var trees = new Tree[ensemble.Trees.Count];
        for (var t = 0; t < trees.Length; t++)
        {
            var tree = ensemble.Trees[t];
            if (tree.CategoricalSplitFlags.Any(f => f))
            {
                throw new InvalidDataException("the error model uses categorical splits, which the direct tree walk does not evaluate");
            }

            trees[t] = new Tree(
                [.. tree.LeftChild],
                [.. tree.RightChild],
                [.. tree.NumericalSplitFeatureIndexes],
                [.. tree.NumericalSplitThresholds],
                [.. tree.LeafValues],
                ensemble.TreeWeights[t]);
        }

        return new TreeEnsemble(trees, ensemble.Bias);
    }

    /// <summary>Scores <c>rows[k]</c> of the row-major <paramref name="matrix"/> into <c>result[k]</c>; the same bits whichever way.</summary>
    public void Score(ReadOnlySpan<float> matrix, int width, ReadOnlySpan<int> rows, Span<double> result)
    {
        if (_quick is not null)
        {
            _quick.Score(matrix, width, rows, result);
            return;
        }

        ScoreByWalking(matrix, width, rows, result);
    }

    /// <summary>Scores by walking each tree from its root (the reference the quick scorer is tested against).</summary>
    public void ScoreByWalking(ReadOnlySpan<float> matrix, int width, ReadOnlySpan<int> rows, Span<double> result)
    {
        for (var k = 0; k < rows.Length; k++)
        {
            result[k] = Score(matrix.Slice(rows[k] * width, width));
        }
    }

    private double Score(ReadOnlySpan<float> features)
    {
        var sum = 0.0;
        foreach (var tree in _trees)
        {
            var node = 0;
            if (tree.Left.Length > 0)
            {
                while (node >= 0)
                {
                    node = features[tree.Feature[node]] <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node];
                }

                node = ~node;
            }

            sum += tree.Weight * tree.Leaf[node];
        }

        return (float)(sum + _bias);
    }

    /// <summary>One tree: children (a negative child is the complement of a leaf index), split features and thresholds, leaf values, weight.</summary>
    internal sealed record Tree(int[] Left, int[] Right, int[] Feature, float[] Threshold, double[] Leaf, double Weight);
}
