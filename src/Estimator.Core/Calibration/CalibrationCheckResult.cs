namespace Estimator.Calibration;

/// <summary>The outcome of NannyML's needs-calibration check on a reference set.</summary>
/// <param name="NeedsCalibration">Whether isotonic calibration lowers the expected calibration error (ECE), so CBPE should calibrate.</param>
/// <param name="EceRaw">ECE of the raw scores on the pooled test parts; NaN when the check stopped early (single class, ROC AUC above 0.999).</param>
/// <param name="EceCalibrated">ECE of the calibrated scores on the pooled test parts; NaN when the check stopped early.</param>
/// <param name="Reason">A sentence saying why.</param>
/// <remarks>
/// The ECE values are indicative: with tied scores they depend on the order a sort leaves ties in, and NannyML's
/// numpy sort is not stable, so they can differ from NannyML's in the fourth decimal. The decision is what matters.
/// </remarks>
public sealed record CalibrationCheckResult(bool NeedsCalibration, double EceRaw, double EceCalibrated, string Reason);
