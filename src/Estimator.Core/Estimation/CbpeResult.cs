namespace Estimator.Estimation;

/// <summary>
/// The immutable outcome of an estimate: long format, one row per chunk × metric (× confusion-matrix component),
/// reference chunks first, then analysis chunks, each in chunk order, metrics in the order requested.
/// </summary>
/// <param name="model">The model's name (free text; written to the estimate file's <c>model</c> column).</param>
/// <param name="rows">The rows, in output order.</param>
/// <param name="calibration">The calibration decision of the fit.</param>
/// <param name="rowsMissingScore">Analysis rows dropped because their score was missing.</param>
/// <param name="rowsMissingPrediction">Analysis rows dropped from label-based metrics because their predicted label was missing.</param>
public sealed class CbpeResult(string model, IReadOnlyList<ChunkEstimate> rows, CalibrationReport calibration, long rowsMissingScore, long rowsMissingPrediction)
    : CalculatorResult(model, rows)
{
    /// <summary>The calibration decision of the fit.</summary>
    public CalibrationReport Calibration { get; } = calibration ?? throw new ArgumentNullException(nameof(calibration));

    /// <summary>Analysis rows dropped because their score was missing (NaN).</summary>
    public long RowsMissingScore { get; } = rowsMissingScore;

    /// <summary>Analysis rows dropped from label-based metrics because their predicted label was missing.</summary>
    public long RowsMissingPrediction { get; } = rowsMissingPrediction;
}
