using System.Globalization;
using Estimator.Calibration;

namespace Estimator.Tests.Calibration;

public class CalibrationCheckTests
{
    [Fact]
    public void NeedsCalibration_ReturnsFalse_WhenSingleClass()
    {
        var result = CalibrationCheck.NeedsCalibration([1, 1, 1, 1], [0.2, 0.4, 0.6, 0.8]);

        Assert.False(result.NeedsCalibration);
        Assert.True(double.IsNaN(result.EceRaw));
        Assert.True(double.IsNaN(result.EceCalibrated));
        Assert.Contains("single class", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NeedsCalibration_ReturnsFalse_WhenScoresSeparateClasses()
    {
        var targets = new double[200];
        var scores = new double[200];
        for (var i = 0; i < 200; i++)
        {
            targets[i] = i % 2;
            scores[i] = i % 2 == 0 ? 0.3 + (i / 2000.0) : 0.7 + (i / 2000.0);
        }

        var result = CalibrationCheck.NeedsCalibration(targets, scores);

        Assert.False(result.NeedsCalibration);
        Assert.True(double.IsNaN(result.EceRaw));
        Assert.Contains("ROC AUC 1 > 0.999", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NeedsCalibration_Throws_WhenTargetMissing()
    {
        double[] targets = [0, 1, 0, 1, 0, double.NaN, 1];
        double[] scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];

        var exception = Assert.Throws<EstimatorDataException>(() => CalibrationCheck.NeedsCalibration(targets, scores));

        Assert.Equal(5, exception.Row);
        Assert.Contains("missing targets", exception.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void NeedsCalibration_Throws_WhenScoreMissing()
    {
        double[] targets = [0, 1, 0, 1];
        double[] scores = [0.1, 0.2, double.NaN, 0.4];

        var exception = Assert.Throws<EstimatorDataException>(() => CalibrationCheck.NeedsCalibration(targets, scores));

        Assert.Equal(2, exception.Row);
        Assert.Contains("missing scores", exception.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void NeedsCalibration_ReturnsTrue_WhenScoresBadlyCalibrated()
    {
        // True probability s³ while the score claims s: raw ECE ≈ ∫(s − s³)ds = 0.25, isotonic removes most of it.
        var random = new Random(2024);
        var n = 5000;
        var targets = new double[n];
        var scores = new double[n];
        for (var i = 0; i < n; i++)
        {
            scores[i] = random.NextDouble();
            targets[i] = random.NextDouble() < Math.Pow(scores[i], 3) ? 1 : 0;
        }

        var result = CalibrationCheck.NeedsCalibration(targets, scores);

        Assert.True(result.NeedsCalibration);
        Assert.True(result.EceRaw > result.EceCalibrated);
        Assert.InRange(result.EceRaw, 0.2, 0.3);
        Assert.StartsWith("ECE raw", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NeedsCalibration_IsConsistent_WhenScoresWellCalibrated()
    {
        var random = new Random(99);
        var n = 5000;
        var targets = new double[n];
        var scores = new double[n];
        for (var i = 0; i < n; i++)
        {
            scores[i] = random.NextDouble();
            targets[i] = random.NextDouble() < scores[i] ? 1 : 0;
        }

        var result = CalibrationCheck.NeedsCalibration(targets, scores);

        Assert.InRange(result.EceRaw, 0, 0.1);
        Assert.InRange(result.EceCalibrated, 0, 0.1);
        Assert.Equal(result.EceRaw > result.EceCalibrated, result.NeedsCalibration);
    }

    [Fact]
    public void NeedsCalibration_ReturnsTrueWithNannyMlRawEce_WhenCarLoanReference()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "car_loan", "reference.csv");
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var scoreColumn = Array.IndexOf(header, "y_pred_proba");
        var targetColumn = Array.IndexOf(header, "repaid");
        var scores = new double[lines.Length - 1];
        var targets = new double[lines.Length - 1];
        for (var i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Split(',');
            scores[i - 1] = double.Parse(fields[scoreColumn], CultureInfo.InvariantCulture);
            targets[i - 1] = double.Parse(fields[targetColumn], CultureInfo.InvariantCulture);
        }

        var result = CalibrationCheck.NeedsCalibration(targets, scores);

        // NannyML: needs_calibration = True, raw ECE 0.027679 (numpy tie order) / 0.027973 (stable sort).
        Assert.True(result.NeedsCalibration);
        Assert.Equal(0.027679, result.EceRaw, 6);
    }

    [Fact]
    public void BinEdges_GivesTenEqualBins_WhenLengthIsMultipleOfTen()
    {
        Assert.Equal(new[] { 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100 }, CalibrationCheck.BinEdges(100, 10));
    }

    [Fact]
    public void BinEdges_LastBinAbsorbsRemainder_WhenLengthNotMultiple()
    {
        Assert.Equal(new[] { 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 105 }, CalibrationCheck.BinEdges(105, 10));
        Assert.Equal(new[] { 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 21 }, CalibrationCheck.BinEdges(21, 10));
    }

    [Fact]
    public void BinEdges_FollowsNannyMlRange_WhenRemainderExceedsWidth()
    {
        // NannyML: w = 29 // 10 = 2, edges range(0, 30, 2) = 0..28, last replaced by 29: 14 bins.
        var edges = CalibrationCheck.BinEdges(29, 10);

        Assert.Equal(15, edges.Length);
        Assert.Equal(26, edges[^2]);
        Assert.Equal(29, edges[^1]);
    }

    [Fact]
    public void BinEdges_UsesHalfLength_WhenShortAndThrowsBelowTwoBins()
    {
        Assert.Equal(new[] { 0, 2, 4, 6, 9 }, CalibrationCheck.BinEdges(9, 10));
        Assert.Throws<EstimatorDataException>(() => CalibrationCheck.BinEdges(3, 10));
    }

    [Fact]
    public void ExpectedCalibrationError_MatchesHandComputation_WhenTwoBins()
    {
        // Bin 1: mean score 0.15, mean target 0 -> 0.5·0.15; bin 2: 0.35 vs 1 -> 0.5·0.65; total 0.4.
        var ece = CalibrationCheck.ExpectedCalibrationError([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1], [0, 1, 2, 3], [0, 2, 4]);

        Assert.Equal(0.4, ece, 15);
    }
}
