using Estimator.Thresholds;

namespace Estimator.Quality;

/// <summary>
/// Options of the data-quality calculators (NannyML's <c>MissingValuesCalculator</c>, <c>UnseenValuesCalculator</c>,
/// <c>NumericalRangeCalculator</c> and summary statistics): which columns, chunking, thresholds.
/// </summary>
public sealed record DataQualityOptions : ColumnCalculatorOptions
{
    /// <summary>
    /// Alert thresholds; null for NannyML's default of the calculator: mean ± 3 standard deviations of the reference
    /// chunks' values for missing values and summary statistics, a constant upper threshold of 0 (any occurrence
    /// alerts) for unseen values and range violations.
    /// </summary>
    /// <value>Default: null.</value>
    public Threshold? Threshold { get; init; }

    /// <summary>Rates (share of the chunk's rows) rather than counts, for missing values, unseen values and range violations.</summary>
    /// <value>Default: true (NannyML's <c>normalize=True</c>).</value>
    public bool Normalize { get; init; } = true;

    /// <summary>Checks the options once.</summary>
    /// <exception cref="ArgumentException">No columns or a duplicate column.</exception>
    public void Validate()
    {
        if (Columns is null || Columns.Count == 0)
        {
            throw new ArgumentException("A data-quality calculator needs at least one column.", nameof(Columns));
        }

        if (Columns.Distinct(StringComparer.Ordinal).Count() != Columns.Count)
        {
            throw new ArgumentException($"A column is listed twice: {string.Join(", ", Columns)}.", nameof(Columns));
        }

        ArgumentNullException.ThrowIfNull(Chunking);
    }
}
