namespace Estimator.Monitoring;

/// <summary>
/// One drift or data-quality value of a chunk, as <c>/metrics</c> reports it: calculator, column (null for the
/// multivariate methods), method, value, thresholds and alert.
/// </summary>
/// <param name="ChunkKey">The chunk's key.</param>
/// <param name="ChunkIndex">The chunk's index.</param>
/// <param name="Calculator"><c>univariate_drift</c>, <c>reconstruction_error</c>, <c>domain_classifier</c>, <c>missing_values</c> or <c>unseen_values</c>.</param>
/// <param name="Column">The input column; null for a multivariate method.</param>
/// <param name="Method">NannyML's method name (<c>jensen_shannon</c>, <c>auroc</c>, <c>missing_values_rate</c>, ...).</param>
/// <param name="Value">The value; null when the chunk has none.</param>
/// <param name="LowerThreshold">The lower threshold; null when disabled.</param>
/// <param name="UpperThreshold">The upper threshold; null when disabled.</param>
/// <param name="Alert">Whether the value alerts.</param>
public sealed record DriftValue(string ChunkKey, int ChunkIndex, string Calculator, string? Column, string Method, double? Value, double? LowerThreshold, double? UpperThreshold, bool Alert)
{
    /// <summary>The value of a drift-file row (NaN becomes null).</summary>
    public static DriftValue From(ChunkEstimate row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.Chunk.Key, row.Chunk.Index, row.Calculator.Name(), row.Column, row.Metric, Finite(row.Estimated), Finite(row.LowerThreshold), Finite(row.UpperThreshold), row.Alert);
    }

    private static double? Finite(double? value) => value is double v && !double.IsNaN(v) ? v : null;
}
