using System.Text.Json.Serialization;

namespace Estimator.Quality;

/// <summary>One metric's value on one chunk, with its sampling error and confidence bounds (NaN where the metric has none).</summary>
internal readonly record struct QualityValue(double Value, double SamplingError, double LowerConfidenceBound, double UpperConfidenceBound)
{
    public static QualityValue Plain(double value) => new(value, double.NaN, double.NaN, double.NaN);
}

/// <summary>What a data-quality calculator keeps of one reference column, and how it measures a chunk.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(MissingColumn), "missing_values")]
[JsonDerivedType(typeof(UnseenColumn), "unseen_values")]
[JsonDerivedType(typeof(RangeColumn), "range_violations")]
[JsonDerivedType(typeof(SummaryColumn), "summary_statistics")]
[JsonDerivedType(typeof(RowCountColumn), "row_count")]
internal abstract record QualityColumn(string? Name)
{
    /// <summary>NannyML's SAMPLING_ERROR_RANGE: confidence bounds lie this many sampling errors from the value.</summary>
    public const double SamplingErrorRange = 3;

    /// <summary><c>continuous</c> or <c>categorical</c>; null for model-level metrics.</summary>
    [JsonIgnore]
    public virtual string? ColumnKind => "continuous";

    /// <summary>The metric names (NannyML's), in output order.</summary>
    [JsonIgnore]
    public abstract string[] Metrics { get; }

    /// <summary>Each metric's value range, which thresholds and confidence bounds are clipped to.</summary>
    public abstract (double? Lower, double? Upper) Limits(int metric);

    /// <summary>Each metric's value on rows [start, start + length) of <paramref name="column"/> (null for model-level metrics).</summary>
    public abstract QualityValue[] Values(FeatureColumn? column, int start, int length);
}

/// <summary>Missing values: NaN or null; the sampling error from the reference's missing rate p, √(p(1 − p)/n).</summary>
internal sealed record MissingColumn(string? Name, bool Normalize, double ReferenceRate, bool Categorical) : QualityColumn(Name)
{
    public override string? ColumnKind => Categorical ? "categorical" : "continuous";

    public override string[] Metrics => [Normalize ? "missing_values_rate" : "missing_values_count"];

    public override (double? Lower, double? Upper) Limits(int metric) => (0, Normalize ? 1 : null);

    public static long CountMissing(FeatureColumn column, int start, int length)
    {
        long missing = 0;
        if (column is NumericFeature n)
        {
            foreach (var v in n.Values.AsSpan(start, length))
            {
                missing += double.IsNaN(v) ? 1 : 0;
            }
        }
        else
        {
            foreach (var v in ((CategoricalFeature)column).Values.AsSpan(start, length))
            {
                missing += v is null ? 1 : 0;
            }
        }

        return missing;
    }

    public override QualityValue[] Values(FeatureColumn? column, int start, int length)
    {
        double missing = CountMissing(column!, start, length);
        var value = Normalize ? missing / length : missing;
        var spread = Math.Sqrt(ReferenceRate * (1 - ReferenceRate));
        var error = Normalize ? spread / Math.Sqrt(length) : spread * Math.Sqrt(length);
        var upper = Math.Min(value + (SamplingErrorRange * error), Normalize ? 1 : double.PositiveInfinity);
        var lower = Math.Max(value - (SamplingErrorRange * error), 0);
        return [new QualityValue(value, error, lower, upper)];
    }
}

/// <summary>Unseen values: labels the reference never had (a missing value counts when the reference had none).</summary>
internal sealed record UnseenColumn(string? Name, bool Normalize, string[] Seen, bool SeenMissing) : QualityColumn(Name)
{
    private HashSet<string>? _seen;

    public override string? ColumnKind => "categorical";

    public override string[] Metrics => [Normalize ? "unseen_values_rate" : "unseen_values_count"];

    public override (double? Lower, double? Upper) Limits(int metric) => (0, Normalize ? 1 : null);

    public override QualityValue[] Values(FeatureColumn? column, int start, int length)
    {
        _seen ??= new HashSet<string>(Seen, StringComparer.Ordinal);
        long unseen = 0;
        foreach (var v in ((CategoricalFeature)column!).Values.AsSpan(start, length))
        {
            unseen += (v is null ? SeenMissing : _seen.Contains(v)) ? 0 : 1;
        }

        return [QualityValue.Plain(Normalize ? unseen / (double)length : unseen)];
    }
}

/// <summary>Range violations: values below the reference minimum or above its maximum (missing values never violate).</summary>
internal sealed record RangeColumn(string? Name, bool Normalize, double Min, double Max) : QualityColumn(Name)
{
    public override string[] Metrics => [Normalize ? "out_of_range_values_rate" : "out_of_range_values_count"];

    public override (double? Lower, double? Upper) Limits(int metric) => (0, Normalize ? 1 : null);

    public override QualityValue[] Values(FeatureColumn? column, int start, int length)
    {
        long outside = 0;
        foreach (var v in ((NumericFeature)column!).Values.AsSpan(start, length))
        {
            outside += v < Min || v > Max ? 1 : 0;
        }

        return [QualityValue.Plain(Normalize ? outside / (double)length : outside)];
    }
}

/// <summary>
/// Mean, median and standard deviation of a numeric column (missing values skipped), with NannyML's sampling errors:
/// σ/√n for the mean, 1/(2 f(median) √n) for the median (f a Gaussian KDE of the reference), Rao's formula for the std.
/// </summary>
internal sealed record SummaryColumn(string? Name, double Std, double FourthMoment, double MedianDensity) : QualityColumn(Name)
{
    public override string[] Metrics => ["values_avg", "values_median", "values_std"];

    public override (double? Lower, double? Upper) Limits(int metric) => metric == 2 ? (0, null) : (null, null);

    public static SummaryColumn Fit(string name, double[] values)
    {
        var present = Present(values, 0, values.Length);
        var std = NumpyReductions.Std(present, ddof: 1);
        var mean = NumpyReductions.Mean(present);
        var fourth = new double[present.Length];
        for (var i = 0; i < present.Length; i++)
        {
            fourth[i] = Math.Pow(present[i] - mean, 4);
        }

        return new SummaryColumn(name, std, NumpyReductions.Mean(fourth), KernelDensityAt(present, Median(present)));
    }

    public override QualityValue[] Values(FeatureColumn? column, int start, int length)
    {
        var present = Present(((NumericFeature)column!).Values, start, length);
        double n = length;
        var mean = NumpyReductions.Mean(present);
        var meanError = Std / Math.Sqrt(n);
        var median = Median(present);
        var medianError = Math.Sqrt(1 / (4 * n * MedianDensity * MedianDensity));
        var std = NumpyReductions.Std(present, ddof: 1);
        var inner = FourthMoment - ((n - 3) * Math.Pow(Std, 4) / (n - 1));
        var stdError = double.IsFinite(inner) && inner >= 0 ? 1 / (2 * Std) * Math.Sqrt(1 / n * inner) : double.NaN;
        return
        [
            new QualityValue(mean, meanError, mean - (SamplingErrorRange * meanError), mean + (SamplingErrorRange * meanError)),
            new QualityValue(median, medianError, median - (SamplingErrorRange * medianError), median + (SamplingErrorRange * medianError)),
            new QualityValue(std, stdError, Math.Max(std - (SamplingErrorRange * stdError), 0), std + (SamplingErrorRange * stdError)),
        ];
    }

    private static double[] Present(double[] values, int start, int length) =>
        [.. values.AsSpan(start, length).ToArray().Where(v => !double.IsNaN(v))];

    // pandas' median: the middle value, or the mean of the two middle values; NaN when empty.
    private static double Median(double[] values)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    // scipy.stats.gaussian_kde(values).evaluate(x): Scott's bandwidth n^(-1/5) times the sample std; a degenerate
    // (constant) sample makes scipy fail, which NannyML turns into an infinite density (zero median error).
    private static double KernelDensityAt(double[] values, double x)
    {
        var n = values.Length;
        var variance = NumpyReductions.Std(values, ddof: 1);
        variance *= variance;
        var bandwidth2 = variance * Math.Pow(n, -2.0 / 5);
        if (!(bandwidth2 > 0) || !double.IsFinite(bandwidth2))
        {
            return double.PositiveInfinity;
        }

        var terms = new double[n];
        for (var i = 0; i < n; i++)
        {
            var d = x - values[i];
            terms[i] = Math.Exp(-d * d / (2 * bandwidth2));
        }

        return NumpyReductions.Sum(terms) / n / Math.Sqrt(2 * Math.PI * bandwidth2);
    }
}

/// <summary>Rows per chunk (model level: no column).</summary>
internal sealed record RowCountColumn() : QualityColumn((string?)null)
{
    public override string? ColumnKind => null;

    public override string[] Metrics => ["rows_count"];

    public override (double? Lower, double? Upper) Limits(int metric) => (0, null);

    public override QualityValue[] Values(FeatureColumn? column, int start, int length) => [QualityValue.Plain(length)];
}
