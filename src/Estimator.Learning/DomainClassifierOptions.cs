using Estimator.Thresholds;

namespace Estimator.Learning;

/// <summary>Options of the domain classifier (NannyML 0.13.1's <c>DomainClassifierCalculator</c>).</summary>
public sealed record DomainClassifierOptions : ColumnCalculatorOptions
{
    /// <summary>NannyML's default: a constant band, alert when the AUROC is above 0.65 or below 0.45.</summary>
    public Threshold Threshold { get; init; } = Threshold.Constant(0.45, 0.65);

    /// <summary>Stratified cross-validation folds (NannyML's <c>cv_folds_num</c>, default 5).</summary>
    public int Folds { get; init; } = 5;

    /// <summary>The seed of every learner; the same seed gives the same values bit for bit, whatever the thread count.</summary>
    public int Seed { get; init; } = 13;

    /// <summary>
    /// The boosted trees (ML.NET FastTree standing in for LightGBM): LightGBM's defaults NannyML passes, 100 trees, 31
    /// leaves, 20 rows a leaf, learning rate 0.1.
    /// </summary>
    public BoostingSettings Boosting { get; init; } = new();
}
