using Estimator.Thresholds;

namespace Estimator.Drift;

/// <summary>How KS and Wasserstein treat the reference (NannyML's <c>computation_params.calculation_method</c>).</summary>
public enum ReferenceBinning
{
    /// <summary>Exact below 10,000 reference values, the binned estimate from 10,000 on (NannyML's default).</summary>
    Auto,

    /// <summary>Always keep the sorted reference and compute exactly (scipy).</summary>
    Exact,

    /// <summary>Always bin the reference (<see cref="UnivariateDriftOptions.Bins"/> equal-width bins).</summary>
    Estimated,
}

/// <summary>
/// Options of univariate drift detection (NannyML's <c>UnivariateDriftCalculator</c>): which columns, how each kind
/// is compared, chunking and thresholds. Defaults are NannyML's.
/// </summary>
public sealed record UnivariateDriftOptions : ColumnCalculatorOptions
{
    /// <summary>NannyML's reference size from which <see cref="ReferenceBinning.Auto"/> bins KS and Wasserstein.</summary>
    public const int BinnedReferenceSize = 10_000;

    /// <summary>Columns compared as categorical whatever their type (numbers become their shortest round-trip text).</summary>
    /// <value>Default: none; numeric columns are continuous, text and boolean columns categorical.</value>
    public IReadOnlyList<string> TreatAsCategorical { get; init; } = [];

    /// <summary>Columns compared as continuous whatever their type (text must hold numbers; booleans become 0/1).</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<string> TreatAsContinuous { get; init; } = [];

    /// <summary>Methods for continuous columns.</summary>
    /// <value>Default: <c>jensen_shannon</c> (NannyML's).</value>
    public IReadOnlyList<DriftMethod> ContinuousMethods { get; init; } = [DriftMethod.JensenShannon];

    /// <summary>Methods for categorical columns.</summary>
    /// <value>Default: <c>jensen_shannon</c> (NannyML's).</value>
    public IReadOnlyList<DriftMethod> CategoricalMethods { get; init; } = [DriftMethod.JensenShannon];

    /// <summary>Per-method thresholds over the reference chunks' values; chi2 ignores them (it alerts on p &lt; 0.05).</summary>
    /// <value>Default: empty, so every method uses <see cref="DefaultThreshold"/>.</value>
    public IReadOnlyDictionary<DriftMethod, Threshold> Thresholds { get; init; } = new Dictionary<DriftMethod, Threshold>();

    /// <summary>The threshold of methods not in <see cref="Thresholds"/>.</summary>
    /// <value>Default: mean + 3 standard deviations, no lower threshold (NannyML's).</value>
    public Threshold DefaultThreshold { get; init; } = Threshold.StandardDeviation(null, 3);

    /// <summary>Exact or binned KS and Wasserstein.</summary>
    /// <value>Default: <see cref="ReferenceBinning.Auto"/>.</value>
    public ReferenceBinning Binning { get; init; } = ReferenceBinning.Auto;

    /// <summary>Bins of the binned KS and Wasserstein estimates.</summary>
    /// <value>Default: 10,000.</value>
    public int Bins { get; init; } = 10_000;

    /// <summary>The threshold of <paramref name="method"/>.</summary>
    public Threshold ThresholdOf(DriftMethod method) => Thresholds.TryGetValue(method, out var t) ? t : DefaultThreshold;

    /// <summary>Checks the options once, before fitting.</summary>
    /// <exception cref="ArgumentException">No columns, a duplicate column, no methods, a method for the wrong kind, or a column treated as both kinds.</exception>
    public void Validate()
    {
        if (Columns is null || Columns.Count == 0)
        {
            throw new ArgumentException("Univariate drift needs at least one column.", nameof(Columns));
        }

        if (Columns.Distinct(StringComparer.Ordinal).Count() != Columns.Count)
        {
            throw new ArgumentException($"A column is listed twice: {string.Join(", ", Columns)}.", nameof(Columns));
        }

        CheckMethods(ContinuousMethods, FeatureKind.Continuous, nameof(ContinuousMethods));
        CheckMethods(CategoricalMethods, FeatureKind.Categorical, nameof(CategoricalMethods));
        if (TreatAsCategorical.Intersect(TreatAsContinuous, StringComparer.Ordinal).FirstOrDefault() is { } both)
        {
            throw new ArgumentException($"Column '{both}' is treated as both categorical and continuous.", nameof(TreatAsCategorical));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Bins);
        ArgumentNullException.ThrowIfNull(Chunking);
    }

    private static void CheckMethods(IReadOnlyList<DriftMethod> methods, FeatureKind kind, string name)
    {
        if (methods is null || methods.Count == 0)
        {
            throw new ArgumentException($"No {kind.Name()} drift method is given.", name);
        }

        foreach (var m in methods)
        {
            if (!m.Supports(kind))
            {
                throw new ArgumentException($"Method {m.Name()} does not support {kind.Name()} columns.", name);
            }
        }

        if (methods.Distinct().Count() != methods.Count)
        {
            throw new ArgumentException($"A {kind.Name()} method is listed twice.", name);
        }
    }
}
