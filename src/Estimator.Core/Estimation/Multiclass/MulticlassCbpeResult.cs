namespace Estimator.Estimation.Multiclass;

/// <summary>
/// The immutable outcome of a multiclass estimate: long format, one row per chunk × component (macro metric, per-class
/// one-vs-rest metric, confusion-matrix cell), reference chunks first, then analysis chunks.
/// </summary>
public sealed class MulticlassCbpeResult : CalculatorResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="model">The model's name.</param>
    /// <param name="rows">The rows, in output order.</param>
    /// <param name="classes">The fitted classes, sorted.</param>
    /// <param name="calibration">The calibration decision per class, in the order of <paramref name="classes"/>.</param>
    /// <param name="rowsMissingScore">Analysis rows with a missing score in some class.</param>
    /// <param name="rowsMissingPrediction">Analysis rows with a missing predicted label.</param>
    /// <param name="rowsScoreSumOff">Analysis rows whose raw scores do not sum to 1.</param>
    public MulticlassCbpeResult(
        string model,
        IReadOnlyList<ChunkEstimate> rows,
        IReadOnlyList<string> classes,
        IReadOnlyList<CalibrationReport> calibration,
        long rowsMissingScore,
        long rowsMissingPrediction,
        long rowsScoreSumOff)
        : base(model, rows)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(calibration);
        Classes = classes;
        Calibration = calibration;
        RowsMissingScore = rowsMissingScore;
        RowsMissingPrediction = rowsMissingPrediction;
        RowsScoreSumOff = rowsScoreSumOff;
    }

    /// <summary>The fitted classes, sorted ordinally.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The calibration decision per class.</summary>
    public IReadOnlyList<CalibrationReport> Calibration { get; }

    /// <summary>Analysis rows with a missing score in some class (left out of every estimate).</summary>
    public long RowsMissingScore { get; }

    /// <summary>Analysis rows with a missing predicted label (left out of the label-based estimates).</summary>
    public long RowsMissingPrediction { get; }

    /// <summary>
    /// Analysis rows whose raw scores are all present but do not sum to 1 within numpy's <c>allclose</c> tolerances.
    /// NannyML does not renormalise raw scores, so callers should warn: realized ROC AUC and the calibration assume
    /// probabilities.
    /// </summary>
    public long RowsScoreSumOff { get; }
}
