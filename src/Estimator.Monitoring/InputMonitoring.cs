using Estimator.Drift;
using Estimator.Quality;

namespace Estimator.Monitoring;

/// <summary>The multivariate drift method run beside univariate drift (the <c>--multivariate</c> of <c>estimator drift</c>).</summary>
public enum MultivariateDrift
{
    /// <summary>None: univariate drift only.</summary>
    None,

    /// <summary><c>reconstruction</c>: PCA reconstruction error on the drift columns.</summary>
    Reconstruction,

    /// <summary><c>classifier</c>: the domain classifier's cross-validated AUROC on the drift columns.</summary>
    Classifier,
}

/// <summary>Names of <see cref="MultivariateDrift"/> as the command line and the configuration spell them.</summary>
public static class MultivariateDrifts
{
    /// <summary>The names a configuration or command line may give, in the order of the enum after <see cref="MultivariateDrift.None"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["reconstruction", "classifier"];

    /// <summary>Parses <c>reconstruction</c> or <c>classifier</c> (case-insensitive).</summary>
    public static bool TryParse(string? text, out MultivariateDrift method)
    {
        method = MultivariateDrift.None;
        for (var k = 0; k < Names.Count; k++)
        {
            if (string.Equals(text, Names[k], StringComparison.OrdinalIgnoreCase))
            {
                method = (MultivariateDrift)(k + 1);
                return true;
            }
        }

        return false;
    }

    /// <summary>The name (<c>reconstruction</c>, <c>classifier</c>; empty for none).</summary>
    public static string Name(this MultivariateDrift method) => method == MultivariateDrift.None ? "" : Names[(int)method - 1];
}

/// <summary>
/// What the store measures of a model's inputs beside its performance: univariate drift (with an optional multivariate
/// method) and data quality (missing and unseen values, range violations, summary statistics), as <c>estimator drift</c> and <c>estimator quality</c> do with
/// the same defaults. Chunking is the model's.
/// </summary>
public sealed record InputMonitoring
{
    /// <summary>Univariate drift of the listed columns (its chunking is replaced by the model's); null for none.</summary>
    /// <value>Default: null.</value>
    public UnivariateDriftOptions? Drift { get; init; }

    /// <summary>The multivariate method on the drift columns.</summary>
    /// <value>Default: <see cref="MultivariateDrift.None"/>.</value>
    public MultivariateDrift Multivariate { get; init; }

    /// <summary>Columns whose missing-values rate is tracked.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<string> MissingColumns { get; init; } = [];

    /// <summary>Categorical columns whose unseen-values rate is tracked.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<string> UnseenColumns { get; init; } = [];

    /// <summary>Numeric columns whose rate of values outside the reference's [min, max] is tracked.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<string> RangeColumns { get; init; } = [];

    /// <summary>Numeric columns whose mean, median and standard deviation (and the chunk's row count) are tracked.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<string> StatisticsColumns { get; init; } = [];

    /// <summary>Whether nothing is measured (no drift, no quality).</summary>
    public bool IsEmpty => Drift is null && MissingColumns.Count == 0 && UnseenColumns.Count == 0 && RangeColumns.Count == 0 && StatisticsColumns.Count == 0;

    /// <summary>Every input column the calculators read, each once: the drift columns, then the quality-only ones.</summary>
    public IReadOnlyList<string> Columns =>
        [.. (Drift?.Columns ?? []).Concat(MissingColumns).Concat(UnseenColumns).Concat(RangeColumns).Concat(StatisticsColumns).Distinct(StringComparer.Ordinal)];

    /// <summary>The calculators, in output order: univariate drift, the multivariate method, missing values, unseen values.</summary>
    /// <param name="chunking">The model's chunking.</param>
    public IReadOnlyList<ICalculator> Calculators(Chunking chunking)
    {
        var calculators = new List<ICalculator>();
        if (Drift is { } drift)
        {
            calculators.Add(new UnivariateDriftCalculator(drift with { Chunking = chunking }));
            if (Multivariate == MultivariateDrift.Reconstruction)
            {
                calculators.Add(new ReconstructionErrorCalculator(new ReconstructionErrorOptions { Columns = drift.Columns, Chunking = chunking }));
            }
            else if (Multivariate == MultivariateDrift.Classifier)
            {
                calculators.Add(new DomainClassifierCalculator(new DomainClassifierOptions { Columns = drift.Columns, Chunking = chunking }));
            }
        }

        if (MissingColumns.Count > 0)
        {
            calculators.Add(new MissingValuesCalculator(new DataQualityOptions { Columns = MissingColumns, Chunking = chunking }));
        }

        if (UnseenColumns.Count > 0)
        {
            calculators.Add(new UnseenValuesCalculator(new DataQualityOptions { Columns = UnseenColumns, Chunking = chunking }));
        }

        if (RangeColumns.Count > 0)
        {
            calculators.Add(new RangeViolationsCalculator(new DataQualityOptions { Columns = RangeColumns, Chunking = chunking }));
        }

        if (StatisticsColumns.Count > 0)
        {
            calculators.Add(new SummaryStatisticsCalculator(new DataQualityOptions { Columns = StatisticsColumns, Chunking = chunking }));
        }

        return calculators;
    }

    /// <summary>What the fitted calculators depend on besides the reference: part of their fingerprint.</summary>
    /// <param name="chunking">The model's chunking.</param>
    public string OptionsKey(Chunking chunking) => string.Join(
        "|",
        "inputs",
        chunking.ToString(),
        Drift is { } d ? string.Join(",", d.Columns) : "-",
        Drift is { } c ? string.Join(",", c.TreatAsCategorical) + ";" + string.Join(",", c.TreatAsContinuous) : "-",
        Drift is { } m ? string.Join(",", m.ContinuousMethods.Select(x => x.Name())) + ";" + string.Join(",", m.CategoricalMethods.Select(x => x.Name())) : "-",
        Multivariate.Name(),
        string.Join(",", MissingColumns),
        string.Join(",", UnseenColumns),
        string.Join(",", RangeColumns),
        string.Join(",", StatisticsColumns));
}
