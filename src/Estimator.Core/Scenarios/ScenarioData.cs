namespace Estimator.Scenarios;

/// <summary>A generated scenario: reference and analysis periods with every ground truth, and the target batches.</summary>
public sealed class ScenarioData
{
    internal ScenarioData()
    {
    }

    /// <summary>The scenario.</summary>
    public required Scenario Scenario { get; init; }

    /// <summary>The options it was generated with.</summary>
    public required ScenarioOptions Options { get; init; }

    /// <summary>The reference period (targets known).</summary>
    public required ScenarioPeriod Reference { get; init; }

    /// <summary>The analysis period; <see cref="ScenarioPeriod.Targets"/> holds every label (the ground truth), whether or not it has arrived.</summary>
    public required ScenarioPeriod Analysis { get; init; }

    /// <summary>
    /// The analysis targets as they arrive, in arrival order: one batch with every target, except under
    /// <see cref="Scenario.LabelDelay"/>, where each batch holds the labels that arrived by its time.
    /// </summary>
    public required IReadOnlyList<TargetBatch> TargetBatches { get; init; }

    /// <summary>Whether CBPE is expected to track realized performance in this scenario (no concept drift, no prior shift).</summary>
    public bool EstimationShouldHold => Scenario is Scenario.Stable or Scenario.CovariateShift or Scenario.LabelDelay;

    /// <summary>Analysis targets as known after the first <paramref name="batches"/> batches arrived: NaN where not yet known.</summary>
    /// <param name="batches">Batches arrived, 0 to <see cref="TargetBatches"/>.Count.</param>
    public double[] AnalysisTargetsAfter(int batches)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batches);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batches, TargetBatches.Count);
        var targets = new double[Analysis.Count];
        Array.Fill(targets, double.NaN);
        for (var b = 0; b < batches; b++)
        {
            var batch = TargetBatches[b];
            for (var i = 0; i < batch.Rows.Length; i++)
            {
                targets[batch.Rows[i]] = Analysis.Targets[batch.Rows[i]];
            }
        }

        return targets;
    }
}

/// <summary>
/// The rows every world's period has, columnar (row i of every array is the same row): ids, timestamps and the numeric
/// features <c>x1, x2, x3</c>.
/// </summary>
public abstract class ScenarioRows
{
    private protected ScenarioRows()
    {
    }

    /// <summary>Names of the numeric feature columns, in <see cref="Features"/> order.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } = ["x1", "x2", "x3"];

    /// <summary>Row ids, unique across reference and analysis.</summary>
    public required long[] Ids { get; init; }

    /// <summary>Row timestamps (UTC), increasing.</summary>
    public required DateTime[] Timestamps { get; init; }

    /// <summary>Numeric feature columns: <c>Features[f][i]</c> is feature f of row i.</summary>
    public required double[][] Features { get; init; }
}

/// <summary>One period of a scenario, columnar; row i of every array is the same row.</summary>
public sealed class ScenarioPeriod : ScenarioRows
{
    internal ScenarioPeriod()
    {
    }

    /// <summary>The world's true P(y=1|x) of each row: the ground truth the labels are drawn from.</summary>
    public required double[] TrueProbabilities { get; init; }

    /// <summary>The model's score of each row.</summary>
    public required double[] Scores { get; init; }

    /// <summary>The model's predicted label: 1 when the score is at least 0.5.</summary>
    public required double[] Predictions { get; init; }

    /// <summary>The actual label of each row (0/1), drawn from <see cref="TrueProbabilities"/>.</summary>
    public required double[] Targets { get; init; }

    /// <summary>Number of rows.</summary>
    public int Count => Scores.Length;

    /// <summary>Rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) as a period of their own.</summary>
    /// <param name="start">First row.</param>
    /// <param name="count">Rows.</param>
    public ScenarioPeriod Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count);
        return new()
        {
            Ids = Ids.AsSpan(start, count).ToArray(),
            Timestamps = Timestamps.AsSpan(start, count).ToArray(),
            Features = [.. Features.Select(f => f.AsSpan(start, count).ToArray())],
            TrueProbabilities = TrueProbabilities.AsSpan(start, count).ToArray(),
            Scores = Scores.AsSpan(start, count).ToArray(),
            Predictions = Predictions.AsSpan(start, count).ToArray(),
            Targets = Targets.AsSpan(start, count).ToArray(),
        };
    }

    /// <summary>The period as CBPE input, with every target or with none.</summary>
    /// <param name="withTargets">Whether to include the targets.</param>
    public PredictionSet ToPredictionSet(bool withTargets) => new(Scores, Predictions, withTargets ? Targets : null, Timestamps);
}

/// <summary>Analysis targets that arrived together.</summary>
/// <param name="Number">1-based batch number, in arrival order.</param>
/// <param name="ArrivedBy">Every label in the batch arrived by this time (UTC).</param>
/// <param name="Rows">Positions of the rows in the analysis period, ascending.</param>
public sealed record TargetBatch(int Number, DateTime ArrivedBy, int[] Rows);
