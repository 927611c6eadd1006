using Estimator.Drift;
using Estimator.Thresholds;

namespace Estimator.Quality;

/// <summary>
/// The data-quality calculators' shared lifecycle: fit each column on the reference, measure the reference chunks,
/// derive thresholds from those values (clipped to the metric's range), and keep the reference rows.
/// </summary>
public abstract class DataQualityCalculator : Calculator<DataQualityOptions>, ICalculator
{
    private protected DataQualityCalculator(CalculatorKind kind, DataQualityOptions options)
        : base(kind, options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
    }

    /// <summary>The threshold used when <see cref="DataQualityOptions.Threshold"/> is null (NannyML's default for this calculator).</summary>
    public abstract Threshold DefaultThreshold { get; }

    /// <summary>Fits on the reference rows with every core.</summary>
    public FittedDataQuality Fit(ModelData reference) => Fit(reference, ComputeOptions.Default);

    /// <inheritdoc cref="ICalculator.Fit"/>
    public FittedDataQuality Fit(ModelData reference, ComputeOptions compute)
    {
        CalculatorLifecycle.CheckReference(reference, compute);

        var data = reference.SortedByTimestamp();
        var chunks = Chunker.Split(data.Count, data.Timestamps, Options.Chunking);
        var columns = FitColumns(data);
        var unthresholded = new FittedDataQuality(Kind, columns, []) { Options = Options, ReferenceRows = [] };
        var values = unthresholded.Measure(data, chunks, compute.Threads);

        var threshold = Options.Threshold ?? DefaultThreshold;
        var thresholds = new MethodThreshold[columns.Count][];
        for (var c = 0; c < columns.Count; c++)
        {
            thresholds[c] = new MethodThreshold[columns[c].Metrics.Length];
            for (var m = 0; m < thresholds[c].Length; m++)
            {
                var series = values.Select(chunk => chunk[c][m].Value).ToArray();
                var (lower, upper) = threshold.Compute(series, columns[c].Limits(m).Lower, columns[c].Limits(m).Upper);
                thresholds[c][m] = new MethodThreshold(lower, upper);
            }
        }

        var fitted = new FittedDataQuality(Kind, columns, thresholds) { Options = Options, ReferenceRows = [] };
        return new FittedDataQuality(Kind, columns, thresholds) { Options = Options, ReferenceRows = fitted.Rows(chunks, Period.Reference, values) };
    }

    /// <inheritdoc />
    IFittedCalculator ICalculator.Fit(ModelData reference, ComputeOptions compute) => Fit(reference, compute);

    private protected abstract QualityColumn FitColumn(FeatureColumn column);

    private protected virtual List<QualityColumn> FitColumns(ModelData reference) =>
        [.. Options.Columns.Select(c => FitColumn(reference.Feature(c)))];

    private protected static double[] Numbers(FeatureColumn column, string calculator) => column is NumericFeature n
        ? n.Values
        : throw new EstimatorDataException($"is categorical; {calculator} needs a numeric column", column: column.Name);
}

/// <summary>Share of missing values per chunk and column (NannyML's <c>MissingValuesCalculator</c>).</summary>
/// <param name="options">The options.</param>
public sealed class MissingValuesCalculator(DataQualityOptions options) : DataQualityCalculator(CalculatorKind.MissingValues, options)
{
    /// <inheritdoc />
    public override Threshold DefaultThreshold => Threshold.StandardDeviation(3, 3);

    private protected override QualityColumn FitColumn(FeatureColumn column) =>
        new MissingColumn(column.Name, Options.Normalize, MissingColumn.CountMissing(column, 0, column.Count) / (double)column.Count, column is CategoricalFeature);
}

/// <summary>
/// Share of values the reference never had per chunk and column (NannyML's <c>UnseenValuesCalculator</c>): text and
/// boolean columns, and integer columns without missing values (which NannyML converts to categories).
/// </summary>
/// <param name="options">The options.</param>
public sealed class UnseenValuesCalculator(DataQualityOptions options) : DataQualityCalculator(CalculatorKind.UnseenValues, options)
{
    /// <inheritdoc />
    public override Threshold DefaultThreshold => Threshold.Constant(null, 0);

    private protected override QualityColumn FitColumn(FeatureColumn column)
    {
        var values = AsCategories(column);
        var seen = values.Where(v => v is not null).Select(v => v!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return new UnseenColumn(column.Name, Options.Normalize, seen, values.Contains(null));
    }

    /// <summary>The column as categories; numeric columns only when every value is an integer (pandas' int dtype).</summary>
    internal static string?[] AsCategories(FeatureColumn column)
    {
        if (column is NumericFeature n && !n.Values.All(v => double.IsFinite(v) && v == Math.Floor(v)))
        {
            throw new EstimatorDataException("is continuous (numbers that are not all integers); unseen values need a categorical column", column: column.Name);
        }

        return ColumnChunks.AsCategories(column);
    }
}

/// <summary>Share of values outside the reference's [min, max] per chunk and numeric column (NannyML's <c>NumericalRangeCalculator</c>).</summary>
/// <param name="options">The options.</param>
public sealed class RangeViolationsCalculator(DataQualityOptions options) : DataQualityCalculator(CalculatorKind.RangeViolations, options)
{
    /// <inheritdoc />
    public override Threshold DefaultThreshold => Threshold.Constant(null, 0);

    private protected override QualityColumn FitColumn(FeatureColumn column)
    {
        var values = Numbers(column, "range violations").Where(v => !double.IsNaN(v)).ToArray();
        return values.Length == 0
            ? throw new EstimatorDataException("has no values in the reference (all missing)", column: column.Name)
            : new RangeColumn(column.Name, Options.Normalize, values.Min(), values.Max());
    }
}

/// <summary>
/// Mean, median and standard deviation per chunk and numeric column, and the row count per chunk (NannyML's summary
/// statistics calculators), with sampling errors; alerts when a value is not strictly between its thresholds.
/// </summary>
/// <param name="options">The options.</param>
public sealed class SummaryStatisticsCalculator(DataQualityOptions options) : DataQualityCalculator(CalculatorKind.SummaryStatistics, options)
{
    /// <inheritdoc />
    public override Threshold DefaultThreshold => Threshold.StandardDeviation(3, 3);

    private protected override QualityColumn FitColumn(FeatureColumn column)
    {
        var values = Numbers(column, "summary statistics");
        return values.All(double.IsNaN)
            ? throw new EstimatorDataException("has no values in the reference (all missing)", column: column.Name)
            : SummaryColumn.Fit(column.Name, values);
    }

    private protected override List<QualityColumn> FitColumns(ModelData reference) => [.. base.FitColumns(reference), new RowCountColumn()];
}
