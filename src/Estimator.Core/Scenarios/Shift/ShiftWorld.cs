namespace Estimator.Scenarios.Shift;

/// <summary>A generated classification world: the labelled reference and the analysis period with each row's truth.</summary>
/// <param name="Family">The world family.</param>
/// <param name="Reference">The reference period (intensity 0).</param>
/// <param name="Analysis">The analysis period, chunk after chunk at the family's intensities.</param>
/// <param name="ModelCoefficients">The model's logistic-regression coefficients (features in order) and intercept last.</param>
public sealed record ShiftWorld(ShiftWorldFamily Family, ShiftWorldPeriod Reference, ShiftWorldPeriod Analysis, double[] ModelCoefficients);

/// <summary>One period's rows: inputs x1, x2, x3 and group g, the true P(y = 1 | x), the model's score and label, and y.</summary>
public sealed class ShiftWorldPeriod
{
    /// <summary>The input names, in column order.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } = ["x1", "x2", "x3", "g"];

    /// <summary>Row timestamps (UTC), 5 minutes apart.</summary>
    public required DateTime[] Timestamps { get; init; }

    /// <summary>x1, x2, x3, one array each.</summary>
    public required double[][] Numeric { get; init; }

    /// <summary>The group (A, B or C).</summary>
    public required string?[] Group { get; init; }

    /// <summary>Each row's true P(y = 1 | x).</summary>
    public required double[] TrueProbabilities { get; init; }

    /// <summary>The model's score.</summary>
    public required double[] Scores { get; init; }

    /// <summary>The model's label: score ≥ 0.5.</summary>
    public required double[] Predictions { get; init; }

    /// <summary>The label drawn from the truth.</summary>
    public required double[] Targets { get; init; }

    /// <summary>Number of rows.</summary>
    public int Count => Scores.Length;

    /// <summary>The rows as calculators take them (no copies).</summary>
    /// <param name="withTargets">Whether to hand over the labels.</param>
    public ModelData ToModelData(bool withTargets) => new(Count, Timestamps)
    {
        Scores = Scores,
        Predictions = Predictions,
        Targets = withTargets ? Targets : null,
        Features =
        [
            new NumericFeature("x1", Numeric[0]), new NumericFeature("x2", Numeric[1]), new NumericFeature("x3", Numeric[2]),
            new CategoricalFeature("g", Group),
        ],
    };
}
