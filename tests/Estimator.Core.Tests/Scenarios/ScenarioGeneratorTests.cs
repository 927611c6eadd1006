using Estimator.Estimation;
using Estimator.Metrics;
using Estimator.Scenarios;

namespace Estimator.Tests.Scenarios;

public class ScenarioGeneratorTests
{
    private const int ChunkSize = 2000;

    [Fact]
    public void Generate_IsReproducible_WhenSeedIsTheSame()
    {
        var options = new ScenarioOptions { ReferenceRows = 500, AnalysisRows = 400, Seed = 7 };
        var a = ScenarioGenerator.Generate(Scenario.LabelDelay, options);
        var b = ScenarioGenerator.Generate(Scenario.LabelDelay, options);
        var c = ScenarioGenerator.Generate(Scenario.LabelDelay, options with { Seed = 8 });

        Assert.Equal(a.Reference.Scores, b.Reference.Scores);
        Assert.Equal(a.Analysis.Features[1], b.Analysis.Features[1]);
        Assert.Equal(a.Analysis.Targets, b.Analysis.Targets);
        Assert.Equal(a.Analysis.Timestamps, b.Analysis.Timestamps);
        Assert.Equal(a.TargetBatches.Select(t => t.Rows), b.TargetBatches.Select(t => t.Rows));
        Assert.NotEqual(a.Reference.Scores, c.Reference.Scores);
    }

    [Fact]
    public void Generate_GivesConsistentColumns_WhenStable()
    {
        var data = ScenarioGenerator.Generate(Scenario.Stable, new ScenarioOptions { ReferenceRows = 3000, AnalysisRows = 2000 });

        Assert.Equal(3000, data.Reference.Count);
        Assert.Equal(2000, data.Analysis.Count);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i), data.Reference.Ids.Concat(data.Analysis.Ids));
        Assert.True(data.Analysis.Timestamps[0] > data.Reference.Timestamps[^1]);
        for (var i = 0; i < data.Analysis.Count; i++)
        {
            var p = data.Analysis;
            var z = -0.4 + (1.6 * p.Features[0][i]) - (1.1 * p.Features[1][i]) + (0.7 * p.Features[2][i]);
            Assert.Equal(1 / (1 + Math.Exp(-z)), p.Scores[i], 12);
            Assert.Equal(p.Scores[i], p.TrueProbabilities[i], 12);
            Assert.Equal(p.Scores[i] >= 0.5 ? 1.0 : 0.0, p.Predictions[i]);
            Assert.True(p.Targets[i] is 0 or 1);
        }

        Assert.Single(data.TargetBatches);
        Assert.True(data.EstimationShouldHold);
    }

    [Fact]
    public void Generate_KeepsTrueProbabilityAndMovesFeatures_WhenCovariateShift()
    {
        var data = ScenarioGenerator.Generate(Scenario.CovariateShift, new ScenarioOptions { AnalysisRows = 20_000 });
        var p = data.Analysis;
        for (var i = 0; i < p.Count; i++)
        {
            Assert.Equal(ScenarioGenerator.TrueProbability(p.Features[0][i], p.Features[1][i], p.Features[2][i]), p.TrueProbabilities[i], 12);
        }

        // x2: mean 0 in the first half, 0.35 in the second; x1's spread halves.
        Assert.InRange(p.Features[1].Take(10_000).Average(), -0.05, 0.05);
        Assert.InRange(p.Features[1].Skip(10_000).Average(), 0.30, 0.40);
        Assert.InRange(StandardDeviation(p.Features[0].Skip(10_000)), 0.45, 0.55);
    }

    [Fact]
    public void Generate_MovesClassBalance_WhenPriorShift()
    {
        var data = ScenarioGenerator.Generate(Scenario.PriorShift, new ScenarioOptions { AnalysisRows = 20_000 });
        var referenceRate = data.Reference.Targets.Average();
        Assert.InRange(referenceRate, 0.35, 0.50);
        Assert.InRange(data.Analysis.Targets.Take(10_000).Average(), referenceRate - 0.02, referenceRate + 0.02);
        Assert.InRange(data.Analysis.Targets.Skip(10_000).Average(), 0.73, 0.77);
        Assert.False(data.EstimationShouldHold);
    }

    [Fact]
    public void Generate_SplitsTargetsIntoBatchesByArrival_WhenLabelDelay()
    {
        var data = ScenarioGenerator.Generate(Scenario.LabelDelay, new ScenarioOptions { AnalysisRows = 10_000, LabelBatches = 3 });
        var batches = data.TargetBatches;

        Assert.Equal(3, batches.Count);
        Assert.Equal(Enumerable.Range(0, 10_000), batches.SelectMany(b => b.Rows).Order());
        Assert.True(batches[0].ArrivedBy < batches[1].ArrivedBy && batches[1].ArrivedBy <= batches[2].ArrivedBy);
        Assert.Equal(data.Analysis.Timestamps[^1], batches[0].ArrivedBy);

        // A label arrives after its row: the first batch favours early rows, the last one late rows.
        Assert.InRange(batches[0].Rows.Length / 10_000.0, 0.6, 0.9);
        Assert.True(batches[0].Rows.Average() < batches[2].Rows.Average());

        var none = data.AnalysisTargetsAfter(0);
        var first = data.AnalysisTargetsAfter(1);
        var all = data.AnalysisTargetsAfter(3);
        Assert.All(none, t => Assert.True(double.IsNaN(t)));
        Assert.Equal(batches[0].Rows.Length, first.Count(t => !double.IsNaN(t)));
        Assert.Equal(data.Analysis.Targets, all);
    }

    [Theory]
    [InlineData(Scenario.Stable, true)]
    [InlineData(Scenario.Stable, false)]
    [InlineData(Scenario.CovariateShift, true)]
    [InlineData(Scenario.CovariateShift, false)]
    public void Estimate_TracksRealizedAccuracy_WhenNoConceptDrift(Scenario scenario, bool calibratedScores)
    {
        var (estimates, realized) = EstimatedAndRealizedAccuracy(scenario, calibratedScores);

        var inside = 0;
        for (var c = 0; c < estimates.Count; c++)
        {
            Assert.True(Math.Abs(estimates[c].Estimated - realized[c]) < 0.03, $"chunk {c}: estimated {estimates[c].Estimated}, realized {realized[c]}");
            inside += realized[c] >= estimates[c].LowerConfidenceBound && realized[c] <= estimates[c].UpperConfidenceBound ? 1 : 0;
        }

        Assert.True(inside >= estimates.Count - 1, $"realized inside the band in {inside} of {estimates.Count} chunks");
    }

    [Fact]
    public void Estimate_TracksTheDrop_WhenCovariateShift()
    {
        var (estimates, realized) = EstimatedAndRealizedAccuracy(Scenario.CovariateShift, calibratedScores: true);

        // Realized accuracy drops by more than 5 points in the shifted half, and the estimate drops with it.
        Assert.True(realized.Take(5).Average() - realized.Skip(5).Average() > 0.05);
        Assert.True(estimates.Take(5).Average(e => e.Estimated) - estimates.Skip(5).Average(e => e.Estimated) > 0.05);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Estimate_MissesTheDrop_WhenConceptDrift(bool calibratedScores)
    {
        var (estimates, realized) = EstimatedAndRealizedAccuracy(Scenario.ConceptDrift, calibratedScores);

        for (var c = 0; c < 5; c++)
        {
            Assert.True(Math.Abs(estimates[c].Estimated - realized[c]) < 0.03, $"chunk {c} before the drift");
        }

        for (var c = 5; c < 10; c++)
        {
            Assert.True(estimates[c].Estimated - realized[c] > 0.1, $"chunk {c}: estimated {estimates[c].Estimated}, realized {realized[c]}");
            Assert.True(realized[c] < estimates[c].LowerConfidenceBound, $"chunk {c}: realized inside the band");
        }
    }

    /// <summary>Analysis accuracy rows from CBPE and the realized accuracy computed here from the labels, per chunk of 2000.</summary>
    private static (List<ChunkEstimate> Estimates, List<double> Realized) EstimatedAndRealizedAccuracy(Scenario scenario, bool calibratedScores)
    {
        var data = ScenarioGenerator.Generate(scenario, new ScenarioOptions { CalibratedScores = calibratedScores, ReferenceRows = 20_000, AnalysisRows = 20_000 });
        var fitted = Cbpe.Fit(data.Reference.ToPredictionSet(withTargets: true), new CbpeOptions { Chunking = Chunking.BySize(ChunkSize), Metrics = [Metric.Accuracy] });
        var result = fitted.Estimate(data.Analysis.ToPredictionSet(withTargets: false));
        var estimates = result.Rows.Where(r => r.Period == Period.Analysis).ToList();
        Assert.Equal(10, estimates.Count);

        var realized = new List<double>();
        for (var c = 0; c < 10; c++)
        {
            var correct = 0;
            for (var i = c * ChunkSize; i < (c + 1) * ChunkSize; i++)
            {
                correct += data.Analysis.Predictions[i] == data.Analysis.Targets[i] ? 1 : 0;
            }

            realized.Add(correct / (double)ChunkSize);
        }

        return (estimates, realized);
    }

    private static double StandardDeviation(IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
    }
}
