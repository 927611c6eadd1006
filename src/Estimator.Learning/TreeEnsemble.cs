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

    private TreeEnsemble(Tree[] trees, double bias)
    {
        _trees = trees;
        _bias = bias;
    }

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

    public double Score(ReadOnlySpan<float> features)
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

    private sealed record Tree(int[] Left, int[] Right, int[] Feature, float[] Threshold, double[] Leaf, double Weight);
}
