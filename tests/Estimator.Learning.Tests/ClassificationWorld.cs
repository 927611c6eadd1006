using Estimator.Calculators;

namespace Estimator.Learning.Tests;

/// <summary>
/// A classification world from shared/scenarios (see its README): reference and analysis with the model's scores,
/// predictions and inputs, the analysis labels and each analysis row's true P(y = 1 | x) (joined by id).
/// </summary>
internal sealed class ClassificationWorld
{
    public static readonly string[] Features = ["x1", "x2", "x3", "g"];

    public ClassificationWorld(string name, ModelData reference, ModelData analysis, double[] trueProbabilities)
    {
        Name = name;
        Reference = reference;
        Analysis = analysis;
        TrueProbabilities = trueProbabilities;
    }

    public string Name { get; }

    public ModelData Reference { get; }

    /// <summary>The analysis rows in timestamp order, with their labels.</summary>
    public ModelData Analysis { get; }

    /// <summary>Each analysis row's true P(y = 1 | x), in the analysis order.</summary>
    public double[] TrueProbabilities { get; }

    public static ClassificationWorld Load(string name)
    {
        var directory = Path.Combine(SharedScenarios.Root, name);
        var reference = World.ReadColumns(Path.Combine(directory, "reference.parquet"));
        var analysis = World.ReadColumns(Path.Combine(directory, "analysis.parquet"));
        var targets = World.ReadColumns(Path.Combine(directory, "analysis_targets.parquet"));
        var position = new Dictionary<double, int>();
        var targetIds = (double[])targets["id"];
        for (var i = 0; i < targetIds.Length; i++)
        {
            position[targetIds[i]] = i;
        }

        var ids = (double[])analysis["id"];
        var y = new double[ids.Length];
        var p = new double[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            var k = position[ids[i]];
            y[i] = ((double[])targets["y_true"])[k];
            p[i] = ((double[])targets["p_true"])[k];
        }

        return new ClassificationWorld(name, ToModelData(reference, (double[])reference["y_true"]), ToModelData(analysis, y), p);
    }

    public static ModelData ToModelData(Dictionary<string, Array> columns, double[] targets)
    {
        var scores = (double[])columns["y_pred_proba"];
        return new ModelData(scores.Length, (DateTime[])columns["timestamp"])
        {
            Scores = scores,
            Predictions = (double[])columns["y_pred"],
            Targets = targets,
            Features = [.. Features.Select(f => columns[f] is double[] d ? (FeatureColumn)new NumericFeature(f, d) : new CategoricalFeature(f, (string?[])columns[f]))],
        };
    }
}
