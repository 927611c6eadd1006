using System.Text.Json;
using Estimator.Calibration;

namespace Estimator.Tests.Calibration;

public class IsotonicCalibratorTests
{
    [Fact]
    public void Fit_PoolsFirstTwoPoints_WhenTheyViolateOrder()
    {
        var calibrator = IsotonicCalibrator.Fit([1, 2, 3, 4], [1, 0, 1, 1]);

        Assert.Equal(new double[] { 1, 2, 3, 4 }, calibrator.Thresholds);
        Assert.Equal(new[] { 0.5, 0.5, 1, 1 }, calibrator.Values);
    }

    [Fact]
    public void Calibrate_InterpolatesLinearly_WhenBetweenPoints()
    {
        var calibrator = IsotonicCalibrator.Fit([1, 2, 3, 4], [1, 0, 1, 1]);

        Assert.Equal(0.75, calibrator.Calibrate(2.5), 15);
        Assert.Equal(0.875, calibrator.Calibrate(2.75), 15);
        Assert.Equal(0.5, calibrator.Calibrate(1.5), 15);
        Assert.Equal(1.0, calibrator.Calibrate(3), 15);
    }

    [Fact]
    public void Calibrate_Clips_WhenOutsideFittedRange()
    {
        var calibrator = IsotonicCalibrator.Fit([1, 2, 3, 4], [1, 0, 1, 1]);

        Assert.Equal(0.5, calibrator.Calibrate(-100));
        Assert.Equal(1.0, calibrator.Calibrate(4.0001));
        Assert.Equal(1.0, calibrator.Calibrate(double.PositiveInfinity));
    }

    [Fact]
    public void Calibrate_ReturnsNaN_WhenScoreIsNaN()
    {
        var calibrator = IsotonicCalibrator.Fit([1, 2, 3, 4], [1, 0, 1, 1]);
        var destination = new double[2];

        calibrator.Calibrate([double.NaN, 2.5], destination);

        Assert.True(double.IsNaN(calibrator.Calibrate(double.NaN)));
        Assert.True(double.IsNaN(destination[0]));
        Assert.Equal(0.75, destination[1], 15);
    }

    [Fact]
    public void Fit_AveragesTiedScoresWithWeight_WhenScoresRepeat()
    {
        // Unique x 1, 2, 3 with means 0.5 (weight 2), 0, 1: pooling the first two gives (0.5·2 + 0) / 3 = 1/3.
        var calibrator = IsotonicCalibrator.Fit([2, 1, 3, 1], [0, 0, 1, 1]);

        Assert.Equal(new double[] { 1, 2, 3 }, calibrator.Thresholds);
        Assert.Equal(1.0 / 3, calibrator.Values[0], 15);
        Assert.Equal(1.0 / 3, calibrator.Values[1], 15);
        Assert.Equal(1.0, calibrator.Values[2]);
    }

    [Fact]
    public void Fit_DropsInteriorPointsOfConstantRuns_WhenValuesRepeat()
    {
        var calibrator = IsotonicCalibrator.Fit([1, 2, 3, 4], [0, 0, 0, 1]);

        Assert.Equal(new double[] { 1, 3, 4 }, calibrator.Thresholds);
        Assert.Equal(new double[] { 0, 0, 1 }, calibrator.Values);
        Assert.Equal(0.0, calibrator.Calibrate(2));
        Assert.Equal(0.5, calibrator.Calibrate(3.5), 15);
    }

    [Fact]
    public void Fit_GivesConstant_WhenSingleDistinctScore()
    {
        var calibrator = IsotonicCalibrator.Fit([0.3, 0.3, 0.3], [1, 0, 0]);

        Assert.Single(calibrator.Thresholds);
        Assert.Equal(1.0 / 3, calibrator.Calibrate(0), 15);
        Assert.Equal(1.0 / 3, calibrator.Calibrate(0.3), 15);
        Assert.Equal(1.0 / 3, calibrator.Calibrate(0.9), 15);
    }

    [Fact]
    public void Fit_MatchesBruteForceIsotonicRegression_WhenRandomSmallInputs()
    {
        var random = new Random(12345);
        for (var trial = 0; trial < 500; trial++)
        {
            var n = random.Next(1, 15);
            var scores = new double[n];
            var targets = new double[n];
            for (var i = 0; i < n; i++)
            {
                scores[i] = random.Next(0, 8) / 8.0; // few distinct scores: ties are common
                targets[i] = trial % 2 == 0 ? random.Next(0, 2) : Math.Round(random.NextDouble(), 3);
            }

            var calibrator = IsotonicCalibrator.Fit(scores, targets);
            var (uniqueX, fitted) = BruteForceIsotonic(scores, targets);

            for (var u = 0; u < uniqueX.Length; u++)
            {
                Assert.Equal(fitted[u], calibrator.Calibrate(uniqueX[u]), 12);
            }

            for (var k = 1; k < calibrator.Values.Length; k++)
            {
                Assert.True(calibrator.Values[k] >= calibrator.Values[k - 1]);
            }
        }
    }

    [Fact]
    public void CalibrateSpan_EqualsScalar_WhenSortedAndUnsortedInputs()
    {
        var random = new Random(7);
        var scores = new double[2000];
        var targets = new double[2000];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = random.NextDouble();
            targets[i] = random.NextDouble() < scores[i] * scores[i] ? 1 : 0;
        }

        var calibrator = IsotonicCalibrator.Fit(scores, targets);
        var queries = new double[3000];
        for (var i = 0; i < queries.Length; i++)
        {
            queries[i] = (random.NextDouble() * 1.2) - 0.1;
        }

        var sorted = (double[])queries.Clone();
        Array.Sort(sorted);
        foreach (var input in new[] { queries, sorted })
        {
            var destination = new double[input.Length];
            calibrator.Calibrate(input, destination);
            for (var i = 0; i < input.Length; i++)
            {
                Assert.Equal(calibrator.Calibrate(input[i]), destination[i]);
            }
        }
    }

    [Fact]
    public void Json_RoundTripsModel_WhenSerialised()
    {
        var calibrator = IsotonicCalibrator.Fit([0.1, 0.2, 0.35, 0.4, 0.8], [0, 1, 0, 1, 1]);

        var json = JsonSerializer.Serialize(calibrator);
        var restored = JsonSerializer.Deserialize<IsotonicCalibrator>(json);

        Assert.NotNull(restored);
        Assert.Equal(calibrator.Thresholds, restored.Thresholds);
        Assert.Equal(calibrator.Values, restored.Values);
        Assert.Equal(calibrator.Calibrate(0.3), restored.Calibrate(0.3));
    }

    [Fact]
    public void Constructor_Throws_WhenPointsInvalid()
    {
        Assert.Throws<ArgumentException>(() => new IsotonicCalibrator([], []));
        Assert.Throws<ArgumentException>(() => new IsotonicCalibrator([0, 1], [0]));
        Assert.Throws<ArgumentException>(() => new IsotonicCalibrator([0, 0], [0, 1]));
        Assert.Throws<ArgumentException>(() => new IsotonicCalibrator([0, 1], [1, 0]));
        Assert.Throws<ArgumentException>(() => new IsotonicCalibrator([0, double.NaN], [0, 1]));
    }

    [Fact]
    public void Fit_Throws_WhenInputHasNaNOrIsEmpty()
    {
        Assert.Throws<ArgumentException>(() => IsotonicCalibrator.Fit([], []));
        Assert.Throws<ArgumentException>(() => IsotonicCalibrator.Fit([0.1, double.NaN], [0, 1]));
        Assert.Throws<ArgumentException>(() => IsotonicCalibrator.Fit([0.1, 0.2], [0, double.NaN]));
    }

    /// <summary>Textbook PAV: merge the first adjacent violating pair of blocks until none is left; O(n²).</summary>
    private static (double[] UniqueX, double[] Fitted) BruteForceIsotonic(double[] scores, double[] targets)
    {
        var uniqueX = scores.Distinct().Order().ToArray();
        var blocks = uniqueX
            .Select(x => (Sum: scores.Select((s, i) => s == x ? targets[i] : 0).Sum(), Weight: (double)scores.Count(s => s == x), Members: 1))
            .ToList();
        var merged = true;
        while (merged)
        {
            merged = false;
            for (var b = 0; b + 1 < blocks.Count; b++)
            {
                if (blocks[b].Sum / blocks[b].Weight > blocks[b + 1].Sum / blocks[b + 1].Weight)
                {
                    blocks[b] = (blocks[b].Sum + blocks[b + 1].Sum, blocks[b].Weight + blocks[b + 1].Weight, blocks[b].Members + blocks[b + 1].Members);
                    blocks.RemoveAt(b + 1);
                    merged = true;
                    break;
                }
            }
        }

        var fitted = new List<double>();
        foreach (var block in blocks)
        {
            fitted.AddRange(Enumerable.Repeat(block.Sum / block.Weight, block.Members));
        }

        return (uniqueX, fitted.ToArray());
    }
}
