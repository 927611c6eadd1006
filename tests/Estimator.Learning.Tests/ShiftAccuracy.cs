using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.Estimation.Shift;
using Estimator.Metrics;
using Estimator.Scenarios.Shift;

namespace Estimator.Learning.Tests;

/// <summary>One estimator's accuracy on one world and metric, over the shifted chunks (4–11) of 12 × 5,000 rows.</summary>
internal sealed record AccuracyCell(string World, string Metric, string Estimator, double MeanAbsoluteError, double Coverage, string Choices)
{
    public IReadOnlyList<ShiftEvidence> Evidence { get; init; } = [];
}

/// <summary>
/// Measures cbpe, weighted, prior and auto against the sampling floor: CBPE's formulas fed each row's true
/// P(y = 1 | x). Error = estimate − realized per chunk; coverage = share of all 12 chunks whose realized value lies in
/// the ±3 SE band.
/// </summary>
internal static class ShiftAccuracy
{
    public static readonly Metric[] Metrics = [Metric.RocAuc, Metric.Precision, Metric.Recall, Metric.F1, Metric.Accuracy];

    public static readonly ShiftEstimator[] Estimators = [ShiftEstimator.Cbpe, ShiftEstimator.Weighted, ShiftEstimator.Prior, ShiftEstimator.Auto];

    public static List<AccuracyCell> Measure(
        string world, ModelData reference, ModelData analysis, double[] trueProbabilities, IEnumerable<ShiftEstimator> estimators, DomainLearner learner = DomainLearner.LogisticRegression, bool priorOracle = false)
    {
        var cells = new List<AccuracyCell>();
        var cbpe = new CbpeOptions { Metrics = Metrics, Chunking = Chunking.BySize(5000) };
        foreach (var estimator in estimators)
        {
            var options = new ShiftAwareCbpeOptions { Cbpe = cbpe, Estimator = estimator, Features = ShiftWorldPeriod.FeatureNames, Learner = learner };
            var fitted = new ShiftAwareCbpeCalculator(options).Fit(reference, ComputeOptions.Default);
            var result = fitted.Estimate(analysis, world, ComputeOptions.Default);
            var choices = string.Concat(result.Evidence.Select(e => e.Estimator switch { ShiftEstimator.Weighted => 'w', ShiftEstimator.Prior => 'p', _ => 'c' }));
            foreach (var metric in Metrics)
            {
                var rows = result.Rows.Where(r => r.Period == Period.Analysis && r.Metric == metric.ToName()).OrderBy(r => r.Chunk.Index).ToList();
                var error = rows.Where(r => r.Chunk.Index >= 4).Average(r => Math.Abs(r.Estimated - r.Realized!.Value));
                var coverage = rows.Count(r => r.LowerConfidenceBound <= r.Realized && r.Realized <= r.UpperConfidenceBound) / (double)rows.Count;
                cells.Add(new AccuracyCell(world, metric.ToName(), estimator.Name(), error, coverage, choices) { Evidence = result.Evidence });
            }

            if (estimator == ShiftEstimator.Cbpe)
            {
                cells.AddRange(Floor(world, result, analysis, trueProbabilities, cbpe, "floor", (_, p) => p));
                if (priorOracle)
                {
                    cells.AddRange(Floor(world, result, analysis, trueProbabilities, cbpe, "prior-oracle", PriorOracle));
                }
            }
        }

        return cells;
    }

    /// <summary>
    /// The prior-shift family's best label-free estimate: each row's true posterior under the reference prior (0.25), EM
    /// for the chunk's prior, the posteriors adjusted to it. It differs from the floor only by the error of estimating the
    /// prior from the chunk's own rows with a perfect calibrator.
    /// </summary>
    private static double[] PriorOracle(int chunk, double[] truth)
    {
        var posteriors = new double[truth.Length];
        PriorShift.Adjust(truth, ShiftWorldGenerator.PriorShiftRate(chunk), ShiftWorldGenerator.PriorShiftRate(0), posteriors);
        var fit = PriorShift.Estimate(posteriors, ShiftWorldGenerator.PriorShiftRate(0));
        PriorShift.Adjust(posteriors, ShiftWorldGenerator.PriorShiftRate(0), fit.Prior, posteriors);
        return posteriors;
    }

    private static IEnumerable<AccuracyCell> Floor(string world, ShiftAwareResult result, ModelData analysis, double[] truth, CbpeOptions options, string name, Func<int, double[], double[]> probabilities)
    {
        var specs = Metrics.Select(m => (m, 0, m.ToName())).ToList();
        var sorted = analysis.SortedByTimestamp();
        var p = analysis.Timestamps is { } t && TimestampOrder.Of(t) is { } order ? TimestampOrder.Permute(truth, order) : truth;
        var estimates = new double[specs.Count];
        var counts = new long[specs.Count];
        var kernel = new ProbabilityEstimates();
        var errors = new List<double>[specs.Count];
        for (var k = 0; k < specs.Count; k++)
        {
            errors[k] = [];
        }

        foreach (var chunk in result.Rows.Where(r => r.Period == Period.Analysis && r.Chunk.Index >= 4).Select(r => r.Chunk).DistinctBy(c => c.Index))
        {
            var start = (int)chunk.StartIndex;
            var length = (int)chunk.Rows;
            kernel.Estimate(specs, probabilities(chunk.Index, p[start..(start + length)]), sorted.Scores.AsSpan(start, length), sorted.Predictions.AsSpan(start, length), options, estimates, counts);
            for (var k = 0; k < specs.Count; k++)
            {
                var realized = result.Rows.First(r => r.Period == Period.Analysis && r.Chunk.Index == chunk.Index && r.Metric == specs[k].Item3).Realized!.Value;
                errors[k].Add(Math.Abs(estimates[k] - realized));
            }
        }

        return specs.Select((s, k) => new AccuracyCell(world, s.Item3, name, errors[k].Average(), double.NaN, ""));
    }
}
