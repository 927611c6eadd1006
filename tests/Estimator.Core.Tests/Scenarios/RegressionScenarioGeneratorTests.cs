using Estimator.Scenarios;

namespace Estimator.Tests.Scenarios;

public class RegressionScenarioGeneratorTests
{
    private static readonly ScenarioOptions Small = new() { ReferenceRows = 2000, AnalysisRows = 1200, Seed = 11 };

    [Fact]
    public void Generate_IsReproducible_WhenSeedIsTheSame()
    {
        var a = RegressionScenarioGenerator.Generate(Scenario.RegressionCovariateShift, Small);
        var b = RegressionScenarioGenerator.Generate(Scenario.RegressionCovariateShift, Small);
        var c = RegressionScenarioGenerator.Generate(Scenario.RegressionCovariateShift, Small with { Seed = 12 });

        Assert.Equal(a.ModelCoefficients, b.ModelCoefficients);
        Assert.Equal(a.Reference.Targets, b.Reference.Targets);
        Assert.Equal(a.Analysis.Features[1], b.Analysis.Features[1]);
        Assert.Equal(a.Analysis.Groups, b.Analysis.Groups);
        Assert.Equal(a.Analysis.Predictions, b.Analysis.Predictions);
        Assert.Equal(a.Analysis.ExpectedAbsoluteErrors, b.Analysis.ExpectedAbsoluteErrors);
        Assert.NotEqual(a.Analysis.Targets, c.Analysis.Targets);
    }

    [Fact]
    public void Generate_GivesTheDocumentedWorld_RowByRow()
    {
        var data = RegressionScenarioGenerator.Generate(Scenario.RegressionStable, Small);
        Assert.Equal(2000, data.Reference.Count);
        Assert.Equal(1200, data.Analysis.Count);
        Assert.Equal(Enumerable.Range(0, 3200).Select(i => (long)i), data.Reference.Ids.Concat(data.Analysis.Ids));
        Assert.Equal(data.Reference.Timestamps[^1] + TimeSpan.FromMinutes(5), data.Analysis.Timestamps[0]);
        var b = data.ModelCoefficients;
        var p = data.Analysis;
        for (var i = 0; i < p.Count; i++)
        {
            double x1 = p.Features[0][i], x2 = p.Features[1][i], x3 = p.Features[2][i];
            var g = p.Groups[i];
            Assert.Contains(g, new[] { "A", "B", "C" });
            Assert.InRange(x3, 0, 1);

            // The documented formulas, written out here.
            var mean = 40 + (2.5 * x1) + (1.5 * x2) + (3 * x3) + (g == "B" ? 1.5 : g == "C" ? -1 : 0) + (1.2 * x1 * x2);
            var sd = 1.25 * Math.Exp(0.35 * x2) * (g == "B" ? 1.4 : g == "C" ? 2 : 1);
            var prediction = b[0] + (b[1] * x1) + (b[2] * x2) + (b[3] * x3) + (g == "B" ? b[4] : 0) + (g == "C" ? b[5] : 0);
            Assert.Equal(mean, p.TrueMeans[i], 12);
            Assert.Equal(sd, p.NoiseSds[i], 12);
            Assert.Equal(prediction, p.Predictions[i], 10);
            Assert.Equal(((mean - prediction) * (mean - prediction)) + (sd * sd), p.ExpectedSquaredErrors[i], 10);
        }
    }

    [Fact]
    public void Generate_FitsTheModelByLeastSquares_OnTheReference()
    {
        // Normal equations: the residuals are orthogonal to every regressor (1, x1, x2, x3, [B], [C]).
        var reference = RegressionScenarioGenerator.Generate(Scenario.RegressionStable, Small).Reference;
        var sums = new double[6];
        for (var i = 0; i < reference.Count; i++)
        {
            var residual = reference.Targets[i] - reference.Predictions[i];
            double[] x = [1, reference.Features[0][i], reference.Features[1][i], reference.Features[2][i], reference.Groups[i] == "B" ? 1 : 0, reference.Groups[i] == "C" ? 1 : 0];
            for (var j = 0; j < 6; j++)
            {
                sums[j] += x[j] * residual;
            }
        }

        Assert.All(sums, s => Assert.Equal(0, s, 6));
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.8, 1.3)]
    [InlineData(-2.5, 0.7)]
    [InlineData(4.0, 2.0)]
    public void ExpectedAbsoluteValue_AgreesWithMonteCarlo(double mean, double sd)
    {
        // 400,000 seeded draws of |N(mean, sd²)|: the closed form must lie within 4 standard errors of their mean.
        const int Draws = 400_000;
        var random = new Random(3);
        double sum = 0, squares = 0;
        for (var k = 0; k < Draws; k++)
        {
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            var value = Math.Abs(mean + (sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)));
            sum += value;
            squares += value * value;
        }

        var average = sum / Draws;
        var standardError = Math.Sqrt(((squares / Draws) - (average * average)) / Draws);
        Assert.InRange(RegressionScenarioGenerator.ExpectedAbsoluteValue(mean, sd), average - (4 * standardError), average + (4 * standardError));
    }

    [Fact]
    public void ExpectedAbsoluteErrors_AgreeWithSimulatedErrors_PerRow()
    {
        // For a spread of analysis rows, redraw y from the world's noise many times: the mean |y − y_pred| must match exp_abs_err.
        var p = RegressionScenarioGenerator.Generate(Scenario.RegressionCovariateShift, Small).Analysis;
        var random = new Random(5);
        const int Draws = 100_000;
        for (var i = 0; i < p.Count; i += 97)
        {
            var mean = RegressionScenarioGenerator.TrueMean(p.Features[0][i], p.Features[1][i], p.Features[2][i], p.Groups[i]);
            var sd = RegressionScenarioGenerator.NoiseSd(p.Features[1][i], p.Groups[i]);
            double sum = 0, squares = 0;
            for (var k = 0; k < Draws; k++)
            {
                var u1 = 1 - random.NextDouble();
                var u2 = random.NextDouble();
                var error = Math.Abs(mean + (sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)) - p.Predictions[i]);
                sum += error;
                squares += error * error;
            }

            var average = sum / Draws;
            var standardError = Math.Sqrt(((squares / Draws) - (average * average)) / Draws);
            Assert.InRange(p.ExpectedAbsoluteErrors[i], average - (4 * standardError), average + (4 * standardError));
            Assert.InRange(p.ExpectedSquaredErrors[i], (squares / Draws) * 0.97, (squares / Draws) * 1.03);
        }
    }

    [Fact]
    public void Targets_AgreeWithExpectedErrors_OverEachChunk()
    {
        // The drawn targets are one realization of the noise: per chunk of 5,000 the realized MAE lies within 4 standard
        // errors of mean(exp_abs_err), and the realized MSE of mean(exp_sq_err).
        var data = RegressionScenarioGenerator.Generate(Scenario.RegressionCovariateShift, new ScenarioOptions { ReferenceRows = 5000, AnalysisRows = 60_000, Seed = 42 });
        var p = data.Analysis;
        for (var c = 0; c < 12; c++)
        {
            var rows = Enumerable.Range(c * 5000, 5000).ToList();
            var absolute = rows.Select(i => Math.Abs(p.Targets[i] - p.Predictions[i])).ToList();
            var squared = absolute.Select(e => e * e).ToList();
            Assert.InRange(absolute.Average() - rows.Average(i => p.ExpectedAbsoluteErrors[i]), -4 * StandardError(absolute), 4 * StandardError(absolute));
            Assert.InRange(squared.Average() - rows.Average(i => p.ExpectedSquaredErrors[i]), -4 * StandardError(squared), 4 * StandardError(squared));
        }
    }

    [Fact]
    public void CovariateShift_RaisesRealizedMae_FromChunkFourOn()
    {
        var options = new ScenarioOptions { ReferenceRows = 5000, AnalysisRows = 24_000, Seed = 42 };
        var shifted = ChunkMae(RegressionScenarioGenerator.Generate(Scenario.RegressionCovariateShift, options).Analysis);
        var stable = ChunkMae(RegressionScenarioGenerator.Generate(Scenario.RegressionStable, options).Analysis);

        // Before the shift both worlds are the same draws; from chunk 7 on (full intensity) the MAE is over 1.5 times as high.
        Assert.Equal(stable.Take(4), shifted.Take(4));
        var before = shifted.Take(4).Average();
        Assert.All(shifted.Skip(7), mae => Assert.True(mae > 1.5 * before, $"MAE {mae} vs {before} before the shift"));
        Assert.True(shifted[4] > before && shifted[5] > shifted[4] && shifted[6] > shifted[5], "the shift grows over chunks 4-6");
        Assert.All(stable, mae => Assert.InRange(mae, 0.9 * before, 1.1 * before));
    }

    [Fact]
    public void ScenarioGenerator_RefusesRegressionWorlds_AndTheOtherWayRound()
    {
        Assert.Throws<ArgumentException>(() => ScenarioGenerator.Generate(Scenario.RegressionStable));
        Assert.Throws<ArgumentException>(() => RegressionScenarioGenerator.Generate(Scenario.Stable));
        Assert.Equal(Scenario.RegressionCovariateShift, ScenarioNames.Parse("regression-covariate-shift"));
        Assert.True(Scenario.RegressionStable.IsRegression());
        Assert.False(Scenario.CovariateShift.IsRegression());
    }

    private static double[] ChunkMae(RegressionScenarioPeriod p)
    {
        var size = p.Count / 12;
        return [.. Enumerable.Range(0, 12).Select(c => Enumerable.Range(c * size, size).Average(i => Math.Abs(p.Targets[i] - p.Predictions[i])))];
    }

    private static double StandardError(List<double> values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) / values.Count);
    }
}
