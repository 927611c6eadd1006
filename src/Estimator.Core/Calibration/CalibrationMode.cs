namespace Estimator.Calibration;

/// <summary>Whether scores are calibrated before estimating.</summary>
public enum CalibrationMode
{
    /// <summary>Calibrate when NannyML's needs-calibration check says so (ECE of raw scores above ECE of calibrated ones).</summary>
    Auto,

    /// <summary>Always calibrate (isotonic).</summary>
    Always,

    /// <summary>Never calibrate: scores are taken as probabilities.</summary>
    Never,
}

/// <summary>What the fit decided about calibration, and why.</summary>
/// <param name="Mode">The requested mode.</param>
/// <param name="Applied">Whether scores are calibrated before estimating.</param>
/// <param name="EceRaw">Expected calibration error of the raw scores on the pooled test folds of the check; NaN when the check did not run.</param>
/// <param name="EceCalibrated">Expected calibration error of the calibrated scores on the pooled test folds; NaN when the check did not run.</param>
/// <param name="Reason">A sentence saying why calibration is or is not applied.</param>
public sealed record CalibrationReport(CalibrationMode Mode, bool Applied, double EceRaw, double EceCalibrated, string Reason);
