using Estimator.Calculators;
using Estimator.Calibration;

namespace Estimator.Estimation;

/// <summary>
/// The immutable outcome of an estimate: long format, one row per chunk × metric (× confusion-matrix component),
/// reference chunks first, then analysis chunks, each in chunk order, metrics in the order requested.
/// </summary>
public sealed class CbpeResult : CalculatorResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="model">The model's name (free text; written to the estimate file's <c>model</c> column).</param>
    /// <param name="rows">The rows, in output order.</param>
    /// <param name="calibration">The calibration decision of the fit.</param>
    /// <param name="rowsMissingScore">Analysis rows dropped because their score was missing.</param>
    /// <param name="rowsMissingPrediction">Analysis rows dropped from label-based metrics because their predicted label was missing.</param>
    public CbpeResult(string model, IReadOnlyList<ChunkEstimate> rows, CalibrationReport calibration, long rowsMissingScore, long rowsMissingPrediction)
        : base(model, rows)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        Calibration = calibration;
        RowsMissingScore = rowsMissingScore;
        RowsMissingPrediction = rowsMissingPrediction;
    }

    /// <summary>The calibration decision of the fit.</summary>
    public CalibrationReport Calibration { get; }

    /// <summary>Analysis rows dropped because their score was missing (NaN).</summary>
    public long RowsMissingScore { get; }

    /// <summary>Analysis rows dropped from label-based metrics because their predicted label was missing.</summary>
    public long RowsMissingPrediction { get; }
}
