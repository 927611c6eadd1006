namespace Estimator.Scenarios;

/// <summary>Size, seed and model of a generated scenario.</summary>
public sealed record ScenarioOptions
{
    /// <summary>Rows in the reference period.</summary>
    /// <value>Default: 20,000.</value>
    public int ReferenceRows { get; init; } = 20_000;

    /// <summary>Rows in the analysis period.</summary>
    /// <value>Default: 20,000.</value>
    public int AnalysisRows { get; init; } = 20_000;

    /// <summary>The random seed: the same seed and options give the same data, value for value.</summary>
    /// <value>Default: 42.</value>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Whether the model's scores are calibrated probabilities (the true P(y=1|x) of the reference world); when false
    /// they are over-confident (logit stretched by 2.5 and shifted), so CBPE's isotonic calibration has work to do.
    /// </summary>
    /// <value>Default: true.</value>
    public bool CalibratedScores { get; init; } = true;

    /// <summary>Timestamp of the first reference row (UTC).</summary>
    /// <value>Default: 2024-01-01T00:00:00Z.</value>
    public DateTime Start { get; init; } = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Time between consecutive rows.</summary>
    /// <value>Default: 5 minutes.</value>
    public TimeSpan RowInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Number of target batches (files) for <see cref="Scenario.LabelDelay"/>; other scenarios deliver all targets in one batch.</summary>
    /// <value>Default: 3.</value>
    public int LabelBatches { get; init; } = 3;
}
