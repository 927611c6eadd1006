namespace Estimator.Estimation;

/// <summary>Confidence-based performance estimation: fit on a labelled reference, then estimate unlabelled analysis data.</summary>
public static class Cbpe
{
    /// <summary>
    /// Fits an estimator on <paramref name="reference"/> (which must carry targets and predictions as the metrics need):
    /// the calibration decision and calibrator, sampling-error components, and thresholds from the realized
    /// values on the reference chunks.
    /// </summary>
    /// <exception cref="EstimatorDataException">The reference is empty, has a single class, lacks a needed column, or holds values out of range.</exception>
    public static FittedCbpe Fit(PredictionSet reference, CbpeOptions? options = null) =>
        throw new NotImplementedException();
}
