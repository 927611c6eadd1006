namespace Estimator.Scenarios.Shift;

/// <summary>
/// The five classification world families of shared/scenarios (their <c>meta.json</c> describes each), regenerated
/// with any seed by <see cref="ShiftWorldGenerator"/>.
/// </summary>
public enum ShiftWorldFamily
{
    /// <summary>No shift: every analysis chunk is drawn like the reference (<c>stable</c>).</summary>
    Stable,

    /// <summary>P(x) moves, P(y | x) holds and the model is well specified (<c>covariate_shift_benign</c>).</summary>
    CovariateShiftBenign,

    /// <summary>P(x) moves toward a subgroup the model (trained without the group) is miscalibrated on (<c>covariate_shift_subgroup</c>).</summary>
    CovariateShiftSubgroup,

    /// <summary>P(y | x) drifts, P(x) holds (<c>concept_drift</c>).</summary>
    ConceptDrift,

    /// <summary>P(y) moves with P(x | y) fixed (<c>prior_shift</c>).</summary>
    PriorShift,
}

/// <summary>Names of <see cref="ShiftWorldFamily"/> values: the shared worlds' directory names.</summary>
public static class ShiftWorldFamilies
{
    private static readonly NameTable<ShiftWorldFamily> Names = new("stable", "covariate_shift_benign", "covariate_shift_subgroup", "concept_drift", "prior_shift");

    /// <summary>The family's name (<c>stable</c>, <c>covariate_shift_benign</c>, ...).</summary>
    /// <param name="family">The family.</param>
    public static string Name(this ShiftWorldFamily family) => Names.NameOf(family, nameof(family), "Unknown world family.");
}
