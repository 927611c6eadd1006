using Estimator.Calculators;
using Estimator.Numerics;
using Estimator.Thresholds;
using MathNet.Numerics.LinearAlgebra;

namespace Estimator.Drift;

/// <summary>Options of multivariate drift by PCA reconstruction error (NannyML's <c>DataReconstructionDriftCalculator</c>).</summary>
public sealed record ReconstructionErrorOptions : ICalculatorOptions
{
    /// <summary>The input columns; numeric ones are continuous, text and boolean ones categorical.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>How reference and analysis are chunked.</summary>
    /// <value>Default: <see cref="Chunking.Default"/>.</value>
    public Chunking Chunking { get; init; } = Chunking.Default;

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
    public static ReconstructionModel Fit(ModelData reference, IReadOnlyList<string> columns, double share)
    {
        var d = columns.Count;
        var categorical = new bool[d];
        var continuousFill = new double[d];
        var categoricalFill = new string?[d];
        var frequencies = new Dictionary<string, double>[d];
        for (var j = 0; j < d; j++)
        {
            var column = reference.Feature(columns[j]);
            frequencies[j] = [];
            if (column is CategoricalFeature c)
            {
                categorical[j] = true;
                var counts = c.Values.Where(v => v is not null).GroupBy(v => v!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.LongCount(), StringComparer.Ordinal);
                // scikit-learn's most_frequent: the smallest of the tied most frequent values.
                categoricalFill[j] = counts.Count == 0
                    ? throw new EstimatorDataException("has no values in the reference (all missing)", column: column.Name)
                    : counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;
                counts[categoricalFill[j]!] += c.Values.Count(v => v is null);
                frequencies[j] = counts.ToDictionary(kv => kv.Key, kv => kv.Value / (double)c.Count, StringComparer.Ordinal);
            }
            else
            {
                var present = ((NumericFeature)column).Values.Where(v => !double.IsNaN(v)).ToArray();
                continuousFill[j] = present.Length > 0
                    ? NumpyReductions.Mean(present)
                    : throw new EstimatorDataException("has no values in the reference (all missing)", column: column.Name);
            }
        }

        var model = new ReconstructionModel([.. columns], categorical, continuousFill, categoricalFill, frequencies, [], [], [], []);
        var x = model.Encode(reference, 0, reference.Count);
        var n = reference.Count;
        var mean = new double[d];
        var scale = new double[d];
        var values = new double[n];
        for (var j = 0; j < d; j++)
        {
            for (var i = 0; i < n; i++)
            {
                values[i] = x[i, j];
            }

            mean[j] = NumpyReductions.Mean(values);
            var std = NumpyReductions.Std(values);

            // scikit-learn's StandardScaler leaves a constant column unscaled.
            scale[j] = std == 0 ? 1 : std;
        }

        var z = Matrix<double>.Build.Dense(n, d, (i, j) => (x[i, j] - mean[j]) / scale[j]);
        var pcaMean = z.ColumnSums().Divide(n);
        var centered = z - Matrix<double>.Build.Dense(n, d, (_, j) => pcaMean[j]);
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
        var x = Encode(data, start, length);
        var d = Columns.Length;
        var errors = new double[length];
        var centered = new double[d];
        var residual = new double[d];
        for (var i = 0; i < length; i++)
        {
            for (var j = 0; j < d; j++)
            {
                centered[j] = ((x[i, j] - ScalerMean[j]) / ScalerScale[j]) - PcaMean[j];
            }

            centered.CopyTo(residual, 0);
            foreach (var component in Components)
            {
                var projection = 0.0;
                for (var j = 0; j < d; j++)
                {
                    projection += centered[j] * component[j];
                }

                for (var j = 0; j < d; j++)
                {
                    residual[j] -= projection * component[j];
                }
            }

            var squares = 0.0;
            for (var j = 0; j < d; j++)
            {
                squares += residual[j] * residual[j];
            }

            errors[i] = Math.Sqrt(squares);
        }

        return (NumpyReductions.Mean(errors), NumpyReductions.Std(errors, ddof: 1));
    }

    // Imputed, count-encoded rows as a matrix (rows × columns).
    private double[,] Encode(ModelData data, int start, int length)
    {
        var x = new double[length, Columns.Length];
        for (var j = 0; j < Columns.Length; j++)
        {
            var column = data.Feature(Columns[j]);
            if (Categorical[j])
            {
                var values = column as CategoricalFeature
                    ?? throw new EstimatorDataException("was categorical in the reference but is numeric here", column: column.Name);
                for (var i = 0; i < length; i++)
                {
                    var v = values.Values[start + i] ?? CategoricalFill[j]!;
                    x[i, j] = Frequencies[j].GetValueOrDefault(v);
                }
            }
            else
            {
                var values = column as NumericFeature
                    ?? throw new EstimatorDataException("was numeric in the reference but is categorical here", column: column.Name);
                for (var i = 0; i < length; i++)
                {
                    var v = values.Values[start + i];
                    x[i, j] = double.IsNaN(v) ? ContinuousFill[j] : v;
                }
            }
        }

        return x;
    }
}
