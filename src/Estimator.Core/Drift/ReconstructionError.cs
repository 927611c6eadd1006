using System.Buffers;
using Estimator.Thresholds;
using MathNet.Numerics.LinearAlgebra;

namespace Estimator.Drift;

/// <summary>Options of multivariate drift by PCA reconstruction error (NannyML's <c>DataReconstructionDriftCalculator</c>).</summary>
public sealed record ReconstructionErrorOptions : ColumnCalculatorOptions
{
    /// <summary>Thresholds over the reference chunks' errors.</summary>
    /// <value>Default: mean ± 3 standard deviations (NannyML's); a lower threshold at or below 0 is dropped.</value>
    public Threshold Threshold { get; init; } = Threshold.StandardDeviation(3, 3);

    /// <summary>Share of the variance the kept principal components explain (scikit-learn's float <c>n_components</c>).</summary>
    /// <value>Default: 0.65.</value>
    public double VarianceShare { get; init; } = 0.65;
}

/// <summary>
/// The fitted preprocessing and PCA of the reconstruction-error calculator: mean / most-frequent imputation, count
/// encoding of categories (share of the reference; 0 for a category the reference never had), standard scaling, and
/// the principal components that explain <see cref="ReconstructionErrorOptions.VarianceShare"/> of the variance.
/// </summary>
internal sealed record ReconstructionModel(
    string[] Columns,
    bool[] Categorical,
    double[] ContinuousFill,
    string?[] CategoricalFill,
    Dictionary<string, double>[] Frequencies,
    double[] ScalerMean,
    double[] ScalerScale,
    double[] PcaMean,
    double[][] Components)
{
    public static ReconstructionModel Fit(ModelData reference, IReadOnlyList<string> columns, double share) => Fit(reference, columns, share, out _);

    /// <summary>Fits, and hands back the encoded reference rows (column-major) so its chunks are not encoded twice.</summary>
    public static ReconstructionModel Fit(ModelData reference, IReadOnlyList<string> columns, double share, out double[] encoded)
    {
        var d = columns.Count;
        var categorical = new bool[d];
        var continuousFill = new double[d];
        var categoricalFill = new string?[d];
        var frequencies = new Dictionary<string, double>[d];
        var referenceColumns = new double[]?[d];
        for (var j = 0; j < d; j++)
        {
            var column = reference.Feature(columns[j]);
            frequencies[j] = [];
            if (column is CategoricalFeature c)
            {
                categorical[j] = true;
                var (index, counts, rowCodes) = CountCategories(c.Values);
                if (index.Count == 0)
                {
                    throw new EstimatorDataException("has no values in the reference (all missing)", column: column.Name);
                }

                // scikit-learn's most_frequent: the smallest of the tied most frequent values.
                string? fill = null;
                var fillCode = -1;
                foreach (var (value, code) in index)
                {
                    if (fill is null || counts[code] > counts[fillCode] || (counts[code] == counts[fillCode] && string.CompareOrdinal(value, fill) < 0))
                    {
                        (fill, fillCode) = (value, code);
                    }
                }

                categoricalFill[j] = fill;
                var missing = 0L;
                foreach (var code in rowCodes)
                {
                    missing += code < 0 ? 1 : 0;
                }

                counts[fillCode] += missing;
                var shares = new Dictionary<string, double>(index.Count, StringComparer.Ordinal);
                var shareOf = new double[index.Count];
                foreach (var (value, code) in index)
                {
                    shares[value] = shareOf[code] = counts[code] / (double)c.Count;
                }

                frequencies[j] = shares;

                // The reference's encoding straight from its codes (a missing value takes the fill's share), so its
                // strings are looked up once.
                var encodedColumn = new double[rowCodes.Length];
                for (var i = 0; i < rowCodes.Length; i++)
                {
                    encodedColumn[i] = shareOf[rowCodes[i] < 0 ? fillCode : rowCodes[i]];
                }

                referenceColumns[j] = encodedColumn;
            }
            else
            {
                var values = ((NumericFeature)column).Values;
                var present = 0;
                foreach (var v in values)
                {
                    present += double.IsNaN(v) ? 0 : 1;
                }

                continuousFill[j] = present > 0
                    ? NumpyReductions.Mean(PresentValues(values, present))
                    : throw new EstimatorDataException("has no values in the reference (all missing)", column: column.Name);
            }
        }

        var model = new ReconstructionModel([.. columns], categorical, continuousFill, categoricalFill, frequencies, [], [], [], []);
        var n = reference.Count;

        // Column-major, as MathNet stores a dense matrix: the encoded rows become the standardised ones, then the
        // centred ones, in place.
        var x = new double[n * d];
        for (var j = 0; j < d; j++)
        {
            if (referenceColumns[j] is { } done)
            {
                done.CopyTo(x, j * n);
            }
            else
            {
                model.EncodeColumn(j, reference, 0, n, x.AsSpan(j * n, n));
            }
        }

        encoded = (double[])x.Clone();
        var mean = new double[d];
        var scale = new double[d];
        for (var j = 0; j < d; j++)
        {
            var values = x.AsSpan(j * n, n);
            mean[j] = NumpyReductions.Mean(values);
            var std = NumpyReductions.Std(values);

            // scikit-learn's StandardScaler leaves a constant column unscaled.
            scale[j] = std == 0 ? 1 : std;
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (values[i] - mean[j]) / scale[j];
            }
        }

        var pcaMean = Matrix<double>.Build.Dense(n, d, x).ColumnSums().Divide(n);
        for (var j = 0; j < d; j++)
        {
            var values = x.AsSpan(j * n, n);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] -= pcaMean[j];
            }
        }

        var centered = Matrix<double>.Build.Dense(n, d, x);
        var evd = (centered.TransposeThisAndMultiply(centered)).Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var eigenvalues = evd.EigenValues.Select(e => Math.Max(e.Real, 0)).ToArray();
        var order = Enumerable.Range(0, d).OrderByDescending(k => eigenvalues[k]).ToArray();
        var total = eigenvalues.Sum();

        // scikit-learn: the fewest components whose cumulative explained-variance ratio exceeds the share.
        var kept = 0;
        var cumulative = 0.0;
        while (kept < d && !(cumulative > share))
        {
            cumulative += eigenvalues[order[kept]] / total;
            kept++;
        }

        var components = order.Take(kept).Select(k => evd.EigenVectors.Column(k).ToArray()).ToArray();
        return model with { ScalerMean = mean, ScalerScale = scale, PcaMean = pcaMean.ToArray(), Components = components };
    }

    /// <summary>Mean and sample standard deviation of the rows' reconstruction errors over rows [start, start + length).</summary>
    public (double Mean, double Std) Errors(ModelData data, int start, int length)
    {
        var x = ArrayPool<double>.Shared.Rent(Math.Max(length * Columns.Length, 1));
        var errors = ArrayPool<double>.Shared.Rent(Math.Max(length, 1));
        try
        {
            Encode(data, start, length, x);
            return Summarize(x, length, errors);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(x);
            ArrayPool<double>.Shared.Return(errors);
        }
    }

    /// <summary>
    /// <see cref="Errors(ModelData, int, int)"/> on rows already encoded: <paramref name="encoded"/> holds
    /// <paramref name="rows"/> rows column-major, of which [start, start + length) are measured.
    /// </summary>
    public (double Mean, double Std) Errors(ReadOnlySpan<double> encoded, int rows, int start, int length)
    {
        var x = ArrayPool<double>.Shared.Rent(Math.Max(length * Columns.Length, 1));
        var errors = ArrayPool<double>.Shared.Rent(Math.Max(length, 1));
        try
        {
            for (var j = 0; j < Columns.Length; j++)
            {
                encoded.Slice((j * rows) + start, length).CopyTo(x.AsSpan(j * length, length));
            }

            return Summarize(x, length, errors);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(x);
            ArrayPool<double>.Shared.Return(errors);
        }
    }

    /// <summary>Mean and sample standard deviation of the errors of the <paramref name="length"/> encoded rows in <paramref name="x"/>.</summary>
    private (double Mean, double Std) Summarize(double[] x, int length, double[] errors)
    {
        ReconstructionKernel.Vector(x, length, this, errors);
        var e = errors.AsSpan(0, length);
        return (NumpyReductions.Mean(e), NumpyReductions.Std(e, ddof: 1));
    }

    /// <summary>Imputed, count-encoded rows [start, start + length), column-major into <paramref name="x"/> (column j at [j·length, (j+1)·length)).</summary>
    internal void Encode(ModelData data, int start, int length, Span<double> x)
    {
        for (var j = 0; j < Columns.Length; j++)
        {
            EncodeColumn(j, data, start, length, x.Slice(j * length, length));
        }
    }

    /// <summary>Column <paramref name="j"/> of rows [start, start + length), imputed and count-encoded, into <paramref name="target"/>.</summary>
    internal void EncodeColumn(int j, ModelData data, int start, int length, Span<double> target)
    {
        var column = data.Feature(Columns[j]);
        if (Categorical[j])
        {
            var values = column as CategoricalFeature
                ?? throw new EstimatorDataException("was categorical in the reference but is numeric here", column: column.Name);

            // Readers hand out one string per distinct value more often than not: a repeat of the previous value's
            // instance skips the lookup.
            string? last = null;
            var share = 0.0;
            for (var i = 0; i < length; i++)
            {
                var v = values.Values[start + i] ?? CategoricalFill[j]!;
                if (!ReferenceEquals(v, last))
                {
                    share = Frequencies[j].GetValueOrDefault(v);
                    last = v;
                }

                target[i] = share;
            }
        }
        else
        {
            var values = column as NumericFeature
                ?? throw new EstimatorDataException("was numeric in the reference but is categorical here", column: column.Name);
            var fill = ContinuousFill[j];
            var source = values.Values.AsSpan(start, length);
            for (var i = 0; i < source.Length; i++)
            {
                var v = source[i];
                target[i] = double.IsNaN(v) ? fill : v;
            }
        }
    }

    // Each distinct value's code (in order of first appearance), its occurrences, and each row's code (−1 if missing).
    private static (Dictionary<string, int> Index, List<long> Counts, int[] RowCodes) CountCategories(string?[] values)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new List<long>();
        var rowCodes = new int[values.Length];
        string? last = null;
        var lastCode = -1;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (v is null)
            {
                rowCodes[i] = -1;
                continue;
            }

            if (!ReferenceEquals(v, last))
            {
                if (!index.TryGetValue(v, out lastCode))
                {
                    lastCode = index.Count;
                    index[v] = lastCode;
                    counts.Add(0);
                }

                last = v;
            }

            counts[lastCode]++;
            rowCodes[i] = lastCode;
        }

        return (index, counts, rowCodes);
    }

    private static double[] PresentValues(double[] values, int present)
    {
        var result = new double[present];
        var k = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                result[k++] = v;
            }
        }

        return result;
    }
}
