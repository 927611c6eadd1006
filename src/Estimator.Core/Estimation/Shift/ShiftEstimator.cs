namespace Estimator.Estimation.Shift;

/// <summary>
/// Which estimate a binary model's chunk gets. A closed set; its name is what the command line (<c>--estimator</c>) and
/// the estimate file's <c>estimator</c> column carry.
/// </summary>
public enum ShiftEstimator
{
    /// <summary>Plain CBPE, NannyML's (<c>cbpe</c>): calibration learned once on the reference.</summary>
    Cbpe,

    /// <summary>
    /// Importance-weighted CBPE (<c>weighted</c>): the reference rows are weighted by the density ratio a domain
    /// classifier learns between the chunk and the reference, and the calibration is refitted with those weights.
    /// </summary>
    Weighted,

    /// <summary>Prior-shift corrected CBPE (<c>prior</c>): the chunk's class prior re-estimated by EM and the probabilities adjusted to it.</summary>
    Prior,

    /// <summary>One of the three per chunk, chosen from the evidence (<c>auto</c>).</summary>
    Auto,
}

/// <summary>Names of <see cref="ShiftEstimator"/> values, and parsing them back (once, at the edges).</summary>
public static class ShiftEstimators
{
    private static readonly NameTable<ShiftEstimator> Names = new("cbpe", "weighted", "prior", "auto");

    /// <summary>Every name, in declaration order.</summary>
    public static IReadOnlyList<string> All => Names.Names;

    /// <summary>The estimator's name (<c>cbpe</c>, <c>weighted</c>, <c>prior</c>, <c>auto</c>).</summary>
    /// <param name="estimator">The estimator.</param>
    public static string Name(this ShiftEstimator estimator) => Names.NameOf(estimator, nameof(estimator), "Unknown estimator.");

    /// <summary>Parses an estimator's name (case-insensitive).</summary>
    /// <param name="text">The name.</param>
    /// <param name="estimator">The estimator, when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? text, out ShiftEstimator estimator) => Names.TryParse(text, out estimator);
}
