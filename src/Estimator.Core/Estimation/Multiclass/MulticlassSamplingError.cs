namespace Estimator.Estimation.Multiclass;

/// <summary>
/// A multiclass metric's sampling-error model, fitted once on the reference (NannyML's
/// <c>sampling_error/multiclass_classification.py</c>): per class k a variance v_k of the metric's per-row
/// contributions and the share f_k of reference rows that contribute. For a chunk of n rows
/// <c>SE(n) = Factor · √(Σ_k v_k / (n · f_k)) / K</c> — the macro average's error from independent one-vs-rest
/// errors — or, for confusion-matrix counts, <c>√v · √n</c>.
/// </summary>
/// <param name="Variances">v_k per class (one entry for accuracy, a single class or a confusion-matrix cell).</param>
/// <param name="Fractions">f_k per class, same length.</param>
/// <param name="Factor">1, or NannyML's 1.2 for the macro ROC AUC.</param>
/// <param name="GrowsWithChunkSize">True for unnormalised confusion-matrix counts: (σ / √n) · n.</param>
public sealed record MulticlassSamplingError(IReadOnlyList<double> Variances, IReadOnlyList<double> Fractions, double Factor = 1, bool GrowsWithChunkSize = false)
{
    /// <summary>The standard error for a chunk of <paramref name="rows"/> rows (after missing-value removal); NaN for an empty chunk.</summary>
    /// <param name="rows">The rows the metric was computed on.</param>
    public double For(long rows)
    {
        if (rows <= 0)
        {
            return double.NaN;
        }

        if (GrowsWithChunkSize)
        {
            return Math.Sqrt(Variances[0]) / Math.Sqrt(rows) * rows;
        }

        double sum = 0;
        for (var k = 0; k < Variances.Count; k++)
        {
            sum += Variances[k] / (rows * Fractions[k]);
        }

        return Math.Sqrt(sum) / Variances.Count * Factor;
    }
}
