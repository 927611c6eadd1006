using Estimator.Calibration;

namespace Estimator.Tests.Calibration;

public class LogitSplineCalibratorTests
{
    [Fact]
    public void Calibrate_RecoversTheTrueCurve_WhenTargetsFollowALogisticCurveOfTheLogit()
    {
        var (scores, targets, _) = Draw(200_000, 1, _ => (-0.3, 1.4));
        var calibrator = LogitSplineCalibrator.FitSortedWeighted(scores, targets, Ones(scores.Length));

        Assert.NotNull(calibrator);
        foreach (var s in new[] { 0.05, 0.2, 0.5, 0.8, 0.95 })
        {
            var truth = Sigmoid(-0.3 + (1.4 * Logit(s)));
            Assert.Equal(truth, Calibrate(calibrator, s), 0.01);
        }
    }

    [Fact]
    public void Calibrate_FollowsTheWeightedGroup_WhenWeightsSelectOneOfTwoCurves()
    {
        // Group 0: logit p = z; group 1: logit p = 0.5 z − 0.5. Weight 0 on group 0 leaves group 1's curve alone.
        var (scores, targets, groups) = Draw(200_000, 2, g => g == 0 ? (0.0, 1.0) : (-0.5, 0.5));
        var weights = groups.Select(g => g == 0 ? 0.0 : 1.0).ToArray();
        var calibrator = LogitSplineCalibrator.FitSortedWeighted(scores, targets, weights);

        Assert.NotNull(calibrator);
        foreach (var s in new[] { 0.1, 0.3, 0.5, 0.7, 0.9 })
        {
            Assert.Equal(Sigmoid(-0.5 + (0.5 * Logit(s))), Calibrate(calibrator, s), 0.015);
        }
    }

    [Fact]
    public void FitSortedWeighted_EqualsTheFitOnRepeatedRows_WhenWeightsAreWholeNumbers()
    {
        var (scores, targets, _) = Draw(5_000, 3, _ => (0.2, 0.8));
        var weights = scores.Select((_, i) => (double)(1 + (i % 3))).ToArray();
        var repeatedScores = new List<double>();
        var repeatedTargets = new List<double>();
        for (var i = 0; i < scores.Length; i++)
        {
            for (var copy = 0; copy < weights[i]; copy++)
            {
                repeatedScores.Add(scores[i]);
                repeatedTargets.Add(targets[i]);
            }
        }

        var weighted = LogitSplineCalibrator.FitSortedWeighted(scores, targets, weights);
        var repeated = LogitSplineCalibrator.FitSortedWeighted([.. repeatedScores], [.. repeatedTargets], Ones(repeatedScores.Count));

        Assert.NotNull(weighted);
        Assert.NotNull(repeated);
        foreach (var s in new[] { 0.01, 0.2, 0.5, 0.8, 0.99 })
        {
            Assert.Equal(Calibrate(repeated, s), Calibrate(weighted, s), 9);
        }
    }

    [Fact]
    public void FitSortedWeighted_ReturnsNull_WhenTheScoresDoNotSpread()
    {
        double[] scores = [0.3, 0.3, 0.3, 0.3, 0.3, 0.3];
        double[] targets = [0, 1, 0, 1, 1, 0];

        Assert.Null(LogitSplineCalibrator.FitSortedWeighted(scores, targets, Ones(6)));
    }

    [Fact]
    public void Calibrate_KeepsNaN_AndStaysInsideTheUnitInterval()
    {
        var (scores, targets, _) = Draw(20_000, 4, _ => (0.0, 1.0));
        var calibrator = LogitSplineCalibrator.FitSortedWeighted(scores, targets, Ones(scores.Length))!;
        var output = new double[4];

        calibrator.Calibrate([double.NaN, 0, 1, 0.5], output);

        Assert.True(double.IsNaN(output[0]));
        Assert.All(output.Skip(1), p => Assert.InRange(p, 0, 1));
    }

    private static (double[] Scores, double[] Targets, int[] Groups) Draw(int n, int seed, Func<int, (double Intercept, double Slope)> curve)
    {
        var random = new Random(seed);
        var rows = new (double Score, double Target, int Group)[n];
        for (var i = 0; i < n; i++)
        {
            var s = 0.01 + (0.98 * random.NextDouble());
            var g = random.Next(2);
            var (a, b) = curve(g);
            rows[i] = (s, random.NextDouble() < Sigmoid(a + (b * Logit(s))) ? 1 : 0, g);
        }

        Array.Sort(rows, (x, y) => x.Score.CompareTo(y.Score));
        return ([.. rows.Select(r => r.Score)], [.. rows.Select(r => r.Target)], [.. rows.Select(r => r.Group)]);
    }

    private static double Calibrate(LogitSplineCalibrator? calibrator, double score)
    {
        var output = new double[1];
        calibrator!.Calibrate([score], output);
        return output[0];
    }

    private static double[] Ones(int n) => Enumerable.Repeat(1.0, n).ToArray();

    private static double Logit(double p) => Math.Log(p / (1 - p));

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
