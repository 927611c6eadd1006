namespace Estimator.Learning;

/// <summary>
/// Options of shift-aware CBPE (<see cref="ShiftAwareCbpeCalculator"/>): plain CBPE's options, which estimator each
/// chunk gets, and how the domain classifier behind the importance weights learns.
/// </summary>
public sealed record ShiftAwareCbpeOptions : ICalculatorOptions
{
    /// <summary>CBPE's options: metrics, chunking, calibration, thresholds.</summary>
    public CbpeOptions Cbpe { get; init; } = new();

    /// <summary>The estimator of every chunk, or <see cref="ShiftEstimator.Auto"/> to choose per chunk.</summary>
    /// <value>Default: <see cref="ShiftEstimator.Auto"/>.</value>
    public ShiftEstimator Estimator { get; init; } = ShiftEstimator.Auto;

    /// <summary>The model's input columns the domain classifier separates reference and chunk on (numeric or categorical).</summary>
    public IReadOnlyList<string> Features { get; init; } = [];

    /// <summary>The domain classifier.</summary>
    /// <value>Default: <see cref="DomainLearner.LogisticRegression"/>.</value>
    public DomainLearner Learner { get; init; } = DomainLearner.LogisticRegression;

    /// <summary>The cap of a reference row's weight, as a multiple of the mean weight.</summary>
    /// <value>Default: 20.</value>
    public double WeightClip { get; init; } = 20;

    /// <summary>
    /// How far (in standard deviations of the null spread, or of the weighted estimate's own noise) evidence must lie
    /// before <see cref="ShiftEstimator.Auto"/> leaves plain CBPE.
    /// </summary>
    /// <value>Default: 3.</value>
    public double EvidenceLevel { get; init; } = 3;

    /// <summary>The likelihood-ratio statistic (χ², one degree of freedom) above which the prior counts as moved.</summary>
    /// <value>Default: 10.83 (p = 0.001).</value>
    public double PriorLikelihoodRatio { get; init; } = 10.83;

    /// <summary>The boosted trees of <see cref="DomainLearner.GradientBoosting"/>.</summary>
    public BoostingSettings Boosting { get; init; } = new(Trees: 50, Leaves: 15, MinimumRowsPerLeaf: 50, LearningRate: 0.1);

    /// <summary>The seed of every learner.</summary>
    public int Seed { get; init; } = 42;

    /// <inheritdoc />
    public Chunking Chunking => Cbpe.Chunking;
}

/// <summary>The classifier that tells a chunk's rows from the reference's.</summary>
public enum DomainLearner
{
    /// <summary>ML.NET's L-BFGS logistic regression on standardized numeric and one-hot categorical features.</summary>
    LogisticRegression,

    /// <summary>ML.NET FastTree boosted trees, scored out of fold (2 folds) and Platt-scaled to log-odds.</summary>
    GradientBoosting,
}

/// <summary>Names of <see cref="DomainLearner"/> values as the command line, the configuration and the fitted JSON spell them.</summary>
public static class DomainLearners
{
    private static readonly NameTable<DomainLearner> Names = new("logistic", "boosting");

    /// <summary>Every name, in declaration order (<c>logistic</c>, <c>boosting</c>).</summary>
    public static IReadOnlyList<string> All => Names.Names;

    /// <summary>The learner's name.</summary>
    /// <param name="learner">The learner.</param>
    public static string Name(this DomainLearner learner) => Names.NameOf(learner, nameof(learner), "Unknown domain classifier.");

    /// <summary>Parses a learner's name (case-insensitive).</summary>
    /// <param name="text">The name.</param>
    /// <param name="learner">The learner, when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? text, out DomainLearner learner) => Names.TryParse(text, out learner);
}
