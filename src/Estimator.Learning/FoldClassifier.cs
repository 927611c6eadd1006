using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Estimator.Learning;

/// <summary>
/// One fold of the domain classifier: a gradient-boosted binary classifier (ML.NET FastTree in place of NannyML's
/// LightGBM) trained on the other folds' rows, scoring this fold's rows. One thread and a fixed seed, so a fold's
/// scores are the same bits whichever thread runs it.
/// </summary>
internal static class FoldClassifier
{
    /// <summary>
    /// The raw scores (log-odds) of the <paramref name="test"/> rows. FastTree's probability is a fixed sigmoid of this
    /// score, the same for every fold, so pooling raw scores ranks the rows as pooling probabilities does. Each split's
    /// gain is added to <paramref name="gains"/> at its feature: the trees' feature importance, LightGBM's
    /// <c>importance_type="gain"</c>.
    /// </summary>
    public static double[] Score(float[] matrix, int width, bool[] labels, int[] train, int[] test, BoostingSettings settings, int seed, Span<double> gains)
    {
        var ones = train.Count(r => labels[r]);
        if (ones == 0 || ones == train.Length)
        {
            // LightGBM fitted on one class predicts that class with certainty for every row (FastTree refuses to train).
            return Enumerable.Repeat(ones == 0 ? double.NegativeInfinity : double.PositiveInfinity, test.Length).ToArray();
        }

        var context = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        var data = context.Data.LoadFromEnumerable(Rows(matrix, width, labels, train), schema);
        var trainer = context.BinaryClassification.Trainers.FastTree(settings.Apply(new FastTreeBinaryTrainer.Options(), seed));
        var model = trainer.Fit(data);
        var ensemble = model.Model.SubModel.TrainedTreeEnsemble;
        foreach (var tree in ensemble.Trees)
        {
            for (var node = 0; node < tree.NumberOfNodes; node++)
            {
                gains[tree.NumericalSplitFeatureIndexes[node]] += tree.SplitGains[node];
            }
        }

        var trees = TreeEnsemble.From(ensemble);
        var scores = new double[test.Length];
        trees.Score(matrix, width, test, scores);
        return scores;
    }

    // Streamed as ML.NET reads them, as LossModel does, rather than held as objects.
    private static IEnumerable<Row> Rows(float[] matrix, int width, bool[] labels, int[] rows)
    {
        foreach (var r in rows)
        {
            yield return new Row { Label = labels[r], Features = matrix.AsSpan(r * width, width).ToArray() };
        }
    }

    private sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
