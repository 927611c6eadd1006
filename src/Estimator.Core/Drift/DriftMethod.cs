namespace Estimator.Drift;

/// <summary>How a model input column is compared with its reference distribution.</summary>
public enum FeatureKind
{
    /// <summary>Numbers on a scale: binned (Jensen-Shannon, Hellinger) or compared by their distribution functions (KS, Wasserstein).</summary>
    Continuous,

    /// <summary>Labels: compared by their frequencies (chi-square, Jensen-Shannon, L-infinity, Hellinger).</summary>
    Categorical,
}

/// <summary>A univariate drift method, as NannyML names them.</summary>
public enum DriftMethod
{
    /// <summary><c>kolmogorov_smirnov</c>: the two-sample KS D statistic (continuous).</summary>
    KolmogorovSmirnov,

    /// <summary><c>jensen_shannon</c>: Jensen-Shannon distance, base 2, over Doane bins or categories (both kinds).</summary>
    JensenShannon,

    /// <summary><c>wasserstein</c>: earth mover's distance between the empirical distributions (continuous).</summary>
    Wasserstein,

    /// <summary><c>hellinger</c>: Hellinger distance over Doane bins or categories (both kinds).</summary>
    Hellinger,

    /// <summary><c>chi2</c>: the chi-square contingency statistic, with its p-value; alerts when p &lt; 0.05 (categorical).</summary>
    Chi2,

    /// <summary><c>l_infinity</c>: the largest difference between category frequencies (categorical).</summary>
    LInfinity,
}

/// <summary>Names, applicability and value limits of <see cref="DriftMethod"/> and <see cref="FeatureKind"/>.</summary>
public static class DriftMethods
{
    private static readonly NameTable<DriftMethod> Names = new(
        "kolmogorov_smirnov", "jensen_shannon", "wasserstein", "hellinger", "chi2", "l_infinity");

    /// <summary>NannyML's name of the method (<c>kolmogorov_smirnov</c>, ...).</summary>
    public static string Name(this DriftMethod method) => Names.NameOf(method, nameof(method), "Unknown drift method.");

    /// <summary><c>continuous</c> or <c>categorical</c>.</summary>
    public static string Name(this FeatureKind kind) => kind == FeatureKind.Continuous ? "continuous" : "categorical";

    /// <summary>Parses a NannyML method name (ordinal, case-insensitive).</summary>
    public static bool TryParse(string? text, out DriftMethod method) => Names.TryParse(text, out method);

    /// <summary>Parses a NannyML method name.</summary>
    /// <exception cref="FormatException">Not a method name; the message lists the names.</exception>
    public static DriftMethod Parse(string text) => TryParse(text, out var method)
        ? method
        : throw new FormatException($"'{text}' is not a drift method; use one of {Names}");

    /// <summary>Whether the method applies to columns of <paramref name="kind"/> (NannyML's method registry).</summary>
    public static bool Supports(this DriftMethod method, FeatureKind kind) => method switch
    {
        DriftMethod.KolmogorovSmirnov or DriftMethod.Wasserstein => kind == FeatureKind.Continuous,
        DriftMethod.Chi2 or DriftMethod.LInfinity => kind == FeatureKind.Categorical,
        _ => true,
    };

    /// <summary>The method's value range that thresholds are clipped to: [0, 1] for KS and chi2 (NannyML's limits), [0, ∞) otherwise.</summary>
    public static (double? Lower, double? Upper) Limits(this DriftMethod method) => method switch
    {
        DriftMethod.KolmogorovSmirnov or DriftMethod.Chi2 => (0, 1),
        _ => (0, null),
    };
}
