using Estimator.Thresholds;

namespace Estimator.Learning;

/// <summary>Options of direct loss estimation (DLE) for a regression model.</summary>
public sealed record DleOptions : ICalculatorOptions
{
    /// <summary>The metrics to estimate (NannyML's default: all six).</summary>
    public IReadOnlyList<DleMetric> Metrics { get; init; } = DleMetrics.Default;

    /// <summary>How rows are cut into chunks.</summary>
    public Chunking Chunking { get; init; } = Chunking.Default;

    /// <summary>The feature columns the error models learn from (the model's inputs); the prediction is always added.</summary>
    public IReadOnlyList<string> Features { get; init; } = [];

    /// <summary>Per-metric thresholds; a metric absent here gets <see cref="Threshold.Default"/> (3 standard deviations).</summary>
    public IReadOnlyDictionary<DleMetric, Threshold> Thresholds { get; init; } = new Dictionary<DleMetric, Threshold>();

    /// <summary>The seed of every learner; the same seed gives the same fitted models bit for bit.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Tune the error models' hyperparameters on a validation split of the reference (20 %) before the final fit.</summary>
    public bool TuneHyperparameters { get; init; }

    /// <summary>Gradient-boosting settings used when not tuning (and the starting point of tuning).</summary>
    public BoostingSettings Boosting { get; init; } = new();

    /// <summary>The threshold of <paramref name="metric"/>.</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>Its configured threshold or the default.</returns>
    public Threshold ThresholdFor(DleMetric metric) => Thresholds.TryGetValue(metric, out var t) ? t : Threshold.Default;
}

/// <summary>Gradient-boosted trees (ML.NET FastTree) settings of an error model.</summary>
/// <param name="Trees">Number of trees.</param>
/// <param name="Leaves">Leaves per tree.</param>
/// <param name="MinimumRowsPerLeaf">Minimum rows in a leaf.</param>
/// <param name="LearningRate">Shrinkage.</param>
public sealed record BoostingSettings(int Trees = 100, int Leaves = 31, int MinimumRowsPerLeaf = 20, double LearningRate = 0.1)
{
    /// <summary>
    /// Sets these settings on a FastTree trainer's options, single-threaded and seeded (so a fit is reproducible), reading
    /// the <c>Features</c> vector and the <c>Label</c> column.
    /// </summary>
    internal T Apply<T>(T options, int seed)
        where T : Microsoft.ML.Trainers.FastTree.BoostedTreeOptions
    {
        options.NumberOfTrees = Trees;
        options.NumberOfLeaves = Leaves;
        options.MinimumExampleCountPerLeaf = MinimumRowsPerLeaf;
        options.LearningRate = LearningRate;
        options.NumberOfThreads = 1;
        options.Seed = seed;
        options.FeatureColumnName = "Features";
        options.LabelColumnName = "Label";
        return options;
    }
}
