using System.Globalization;
using Estimator.Calibration;
using ScottPlot;

namespace Estimator.Plots;

/// <summary>
/// A reliability diagram of reference scores before and after isotonic calibration: for ten equal-count bins of
/// rows sorted by score, the mean score against the share of positives, with the diagonal of perfect calibration.
/// </summary>
/// <remarks>
/// Two different ECE figures appear, each labelled as what it is so they are not read as one number: the legend gives
/// each curve's in-sample binned expected calibration error (ECE, Σ bin share × |mean score − positive rate|) on the
/// rows drawn; the title gives NannyML's needs-calibration check, whose ECE values are means over ten held-out
/// splits and decide whether CBPE calibrates. The calibrated curve is in-sample when the calibrator was fitted on the
/// same rows, so it lies close to the diagonal by construction.
/// </remarks>
public static class CalibrationPlot
{
    /// <summary>Legend prefix of the raw-score curve.</summary>
    public const string RawLabel = "raw scores";

    /// <summary>Legend prefix of the calibrated curve.</summary>
    public const string CalibratedLabel = "calibrated";

    /// <summary>Renders the diagram for reference targets and raw scores; rows with a missing target or score are left out.</summary>
    /// <param name="targets">Reference targets, 0 or 1 (NaN rows are skipped).</param>
    /// <param name="scores">Reference raw scores (NaN rows are skipped).</param>
    /// <param name="calibrator">The calibrator to apply (e.g. <see cref="Estimation.FittedCbpe.Calibrator"/>); null to fit one on these rows.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <exception cref="EstimatorDataException">Fewer than two labelled rows, or a single class.</exception>
    public static Chart Render(ReadOnlySpan<double> targets, ReadOnlySpan<double> scores, IsotonicCalibrator? calibrator = null, int width = 640, int height = 520)
    {
        if (targets.Length != scores.Length)
        {
            throw new ArgumentException("Targets and scores differ in length.", nameof(scores));
        }

        var y = new List<double>(targets.Length);
        var s = new List<double>(targets.Length);
        for (var i = 0; i < targets.Length; i++)
        {
            if (!double.IsNaN(targets[i]) && !double.IsNaN(scores[i]))
            {
                y.Add(targets[i]);
                s.Add(scores[i]);
            }
        }

        var yArray = y.ToArray();
        var raw = s.ToArray();
        var check = CalibrationCheck.NeedsCalibration(yArray, raw);
        calibrator ??= IsotonicCalibrator.Fit(raw, yArray);
        var calibrated = new double[raw.Length];
        calibrator.Calibrate(raw, calibrated);

        var rawBins = ReliabilityBins.Compute(raw, yArray, CalibrationCheck.BinCount);
        var calibratedBins = ReliabilityBins.Compute(calibrated, yArray, CalibrationCheck.BinCount);

        var plot = new Plot();
        PlotStyle.Apply(plot);
        plot.Title(string.Create(
            CultureInfo.InvariantCulture,
            $"Reliability of reference scores ({raw.Length} rows)\nheld-out check (10 splits): ECE raw {check.EceRaw:0.0000} vs calibrated {check.EceCalibrated:0.0000} -> {(check.NeedsCalibration ? "calibrate" : "keep raw scores")}"), size: 14);
        plot.XLabel("mean score in bin");
        plot.YLabel("share of positives in bin");

        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.Color = Colors.DimGray;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LineWidth = 1.5f;
        diagonal.LegendText = "perfect calibration";

        var rawLine = plot.Add.Scatter(rawBins.MeanScore, rawBins.PositiveRate);
        rawLine.Color = PerformancePlot.AlertColor;
        rawLine.LineWidth = 2;
        rawLine.MarkerSize = 7;
        rawLine.LegendText = string.Create(CultureInfo.InvariantCulture, $"{RawLabel} (in-sample ECE {rawBins.Ece:0.0000})");

        var calibratedLine = plot.Add.Scatter(calibratedBins.MeanScore, calibratedBins.PositiveRate);
        calibratedLine.Color = PerformancePlot.EstimatedColor;
        calibratedLine.LineWidth = 2;
        calibratedLine.MarkerSize = 7;
        calibratedLine.MarkerShape = MarkerShape.FilledSquare;
        calibratedLine.LegendText = string.Create(CultureInfo.InvariantCulture, $"{CalibratedLabel} (in-sample ECE {calibratedBins.Ece:0.0000})");

        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.ShowLegend(Alignment.LowerRight);
        return new Chart([plot], width, height);
    }
}
