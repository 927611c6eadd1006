using Estimator.Calculators;
using Estimator.Estimation;

namespace Estimator.Learning.Tests;

public sealed class DleTests
{
    // A small synthetic world: the error's spread grows with x and differs by group, so the error models have something to learn.
    private static ModelData Synthetic(int count, int seed, double shift = 0, bool withTargets = true)
    {
        var random = new Random(seed);
        var x = new double[count];
        var group = new string?[count];
        var predictions = new double[count];
        var targets = new double[count];
        for (var i = 0; i < count; i++)
        {
            x[i] = shift + ((1 - shift) * random.NextDouble()); // a shift narrows x toward the noisy end, inside the reference support
            group[i] = random.NextDouble() < 0.5 ? "a" : "b";
            predictions[i] = 5 + (2 * x[i]);
            var spread = 0.2 + x[i] + (group[i] == "b" ? 0.5 : 0);
            targets[i] = predictions[i] + (spread * ((random.NextDouble() * 2) - 1));
        }

        return new ModelData(count)
        {
            Predictions = predictions,
            Targets = withTargets ? targets : null,
            Features = [new NumericFeature("x", x), new CategoricalFeature("group", group)],
        };
    }

    private static DleOptions Options(params DleMetric[] metrics) => new()
    {
        Metrics = metrics.Length == 0 ? DleMetrics.All : metrics,
        Features = ["x", "group"],
        Chunking = Chunking.BySize(1000),
        Boosting = new BoostingSettings(Trees: 30),
    };

    [Fact]
    public void RowLoss_MatchesClosedForms()
    {
        Assert.Equal(1.5, DleMetrics.RowLoss(DleMetric.Mae, 2, 3.5));
        Assert.Equal(2.25, DleMetrics.RowLoss(DleMetric.Mse, 2, 3.5));
        Assert.Equal(2.25, DleMetrics.RowLoss(DleMetric.Rmse, 2, 3.5));
        Assert.Equal(0.75, DleMetrics.RowLoss(DleMetric.Mape, 2, 3.5));
        var log = Math.Log(3) - Math.Log(4.5);
        Assert.Equal(log * log, DleMetrics.RowLoss(DleMetric.Msle, 2, 3.5), 15);
        Assert.Equal(3.0, DleMetrics.FromMeanLoss(DleMetric.Rmse, 9));
        Assert.Equal(9.0, DleMetrics.FromMeanLoss(DleMetric.Mse, 9));
    }

    [Fact]
    public void SamplingError_FollowsNannyMlFormulas()
    {
        // Absolute errors 1, 3 (std 1, mean 2); squared errors 1, 9 (std 4, mean 5).
        double[] targets = [0, 0];
        double[] predictions = [1, 3];
        var mae = DleMetrics.SamplingErrorComponents(DleMetric.Mae, targets, predictions);
        Assert.Equal((1.0, 2.0), mae);
        Assert.Equal(1.0 / 10, DleMetrics.SamplingError(DleMetric.Mae, mae, 100), 15);
        var rmse = DleMetrics.SamplingErrorComponents(DleMetric.Rmse, targets, predictions);
        Assert.Equal((4.0, 5.0), rmse);
        Assert.Equal(Math.Sqrt(16.0 / (4 * 100 * 5)), DleMetrics.SamplingError(DleMetric.Rmse, rmse, 100), 15);
    }

    [Fact]
    public void Calculate_RealizedAndThresholds_MatchABruteForceOracle()
    {
        var reference = Synthetic(5000, 1);
        var fitted = new DleCalculator(Options(DleMetric.Mae, DleMetric.Rmse)).FitDle(reference, ComputeOptions.Default);
        var analysis = Synthetic(3000, 2, shift: 0.5);
        var rows = fitted.Calculate(analysis, "m", ComputeOptions.Default).Rows;

        // Realized rmse of analysis chunk 1 by hand.
        var realized = Math.Sqrt(Enumerable.Range(1000, 1000).Average(i => Math.Pow(analysis.Targets![i] - analysis.Predictions![i], 2)));
        var row = rows.Single(r => r.Period == Period.Analysis && r.Metric == "rmse" && r.Chunk.Index == 1);
        Assert.Equal(realized, row.Realized!.Value, 12);
        Assert.Equal(CalculatorKind.DirectLossEstimation, row.Calculator);

        // Thresholds: mean ± 3 sample std (ddof 0? NannyML uses np.std, ddof 0) of the realized reference chunks, lower clipped at 0.
        var referenceMae = Enumerable.Range(0, 5).Select(c => Enumerable.Range(c * 1000, 1000).Average(i => Math.Abs(reference.Targets![i] - reference.Predictions![i]))).ToArray();
        var mean = referenceMae.Average();
        var std = Math.Sqrt(referenceMae.Average(v => (v - mean) * (v - mean)));
        var maeRow = rows.First(r => r.Metric == "mae");
        Assert.Equal(Math.Max(0, mean - (3 * std)), maeRow.LowerThreshold!.Value, 12);
        Assert.Equal(mean + (3 * std), maeRow.UpperThreshold!.Value, 12);

        // The shift moves x toward the noisy region: the estimate follows the realized value up, and alerts.
        var last = rows.Single(r => r.Period == Period.Analysis && r.Metric == "mae" && r.Chunk.Index == 2);
        Assert.True(last.Estimated > mean + (3 * std), $"estimate {last.Estimated} should alert above {mean + (3 * std)}");
        Assert.True(last.Alert);
        Assert.InRange(last.Estimated, last.Realized!.Value - 0.05, last.Realized.Value + 0.05);
    }

    [Fact]
    public void Fit_IsBitIdentical_AcrossRunsAndThreadCounts()
    {
        var reference = Synthetic(4000, 3);
        var analysis = Synthetic(2000, 4, shift: 0.3);
        var calculator = new DleCalculator(Options() with { TuneHyperparameters = true });
        var serial = calculator.Fit(reference, ComputeOptions.Serial).Calculate(analysis, "m", ComputeOptions.Serial).Rows;
        var parallel = calculator.Fit(reference, new ComputeOptions { MaxDegreeOfParallelism = 4 }).Calculate(analysis, "m", new ComputeOptions { MaxDegreeOfParallelism = 4 }).Rows;
        Assert.Equal(serial.Count, parallel.Count);
        for (var i = 0; i < serial.Count; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(serial[i].Estimated), BitConverter.DoubleToInt64Bits(parallel[i].Estimated));
            Assert.Equal(serial[i], parallel[i]);
        }
    }

    [Fact]
    public void Json_RoundTrip_KeepsTheTrainedModels()
    {
        var fitted = new DleCalculator(Options(DleMetric.Mae, DleMetric.Mape, DleMetric.Rmsle)).Fit(Synthetic(3000, 5), ComputeOptions.Default);
        var analysis = Synthetic(2000, 6, shift: 0.2, withTargets: false);
        var json = fitted.ToJson();
        var read = CalculatorJson.FromJson(json);
        Assert.IsType<FittedDle>(read);
        Assert.Equal(json, read.ToJson());
        var before = fitted.Calculate(analysis, "m", ComputeOptions.Default).Rows;
        var after = read.Calculate(analysis, "m", ComputeOptions.Default).Rows;
        Assert.Equal(before, after);
        Assert.All(after.Where(r => r.Period == Period.Analysis), r => Assert.Null(r.Realized));
    }

    [Fact]
    public void FitAndCalculate_ChunkRowsInTimestampOrder_WhateverOrderTheyArriveIn()
    {
        // The same rows with timestamps, once in time order and once reversed: every chunk (reference and analysis)
        // holds the same rows, so every value is the same.
        static ModelData Timed(ModelData data, bool reversed)
        {
            var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            var order = Enumerable.Range(0, data.Count).ToArray();
            if (reversed)
            {
                Array.Reverse(order);
            }

            return new ModelData(data.Count, [.. order.Select(i => start.AddMinutes(i))])
            {
                Predictions = [.. order.Select(i => data.Predictions![i])],
                Targets = data.Targets is null ? null : [.. order.Select(i => data.Targets[i])],
                Features =
                [
                    new NumericFeature("x", [.. order.Select(i => ((NumericFeature)data.Features[0]).Values[i])]),
                    new CategoricalFeature("group", [.. order.Select(i => ((CategoricalFeature)data.Features[1]).Values[i])]),
                ],
            };
        }

        var reference = Synthetic(3000, 11);
        var analysis = Synthetic(2000, 12, shift: 0.3);
        var calculator = new DleCalculator(Options(DleMetric.Mae));

        var inOrder = calculator.Fit(Timed(reference, false), ComputeOptions.Default).Calculate(Timed(analysis, false), "m", ComputeOptions.Default).Rows;
        var reversed = calculator.Fit(Timed(reference, true), ComputeOptions.Default).Calculate(Timed(analysis, true), "m", ComputeOptions.Default).Rows;

        Assert.Equal(inOrder, reversed);
    }

    [Fact]
    public void CalculateChunk_EqualsTheChunkOfCalculate()
    {
        var fitted = new DleCalculator(Options(DleMetric.Mse)).Fit(Synthetic(3000, 7), ComputeOptions.Default);
        var analysis = Synthetic(2000, 8);
        var whole = fitted.Calculate(analysis, "m", ComputeOptions.Default).Rows.Where(r => r.Period == Period.Analysis && r.Chunk.Index == 1).ToList();
        var chunk = fitted.CalculateChunk(analysis.Slice(1000, 1000), whole[0].Chunk);
        Assert.Equal(whole, chunk);
    }

    [Fact]
    public void Fit_RejectsAnEmptyReference_WithOneLine()
    {
        var e = Assert.Throws<EstimatorDataException>(() => new DleCalculator(Options()).Fit(Synthetic(0, 1), ComputeOptions.Default));
        Assert.Contains("reference: no rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_RejectsNegativeValues_ForLogarithmicMetrics()
    {
        var reference = Synthetic(100, 1);
        reference.Targets![17] = -1;
        var e = Assert.Throws<EstimatorDataException>(() => new DleCalculator(Options(DleMetric.Msle)).Fit(reference, ComputeOptions.Default));
        Assert.Contains("y_true", e.Message, StringComparison.Ordinal);
        Assert.Contains("msle", e.Message, StringComparison.Ordinal);
        Assert.Equal(17, e.Row);
        _ = new DleCalculator(Options(DleMetric.Mae)).Fit(reference, ComputeOptions.Default);
    }

    [Fact]
    public void Calculate_NamesAFeatureMissingInTheAnalysis()
    {
        var fitted = new DleCalculator(Options(DleMetric.Mae)).Fit(Synthetic(2000, 1), ComputeOptions.Default);
        var analysis = Synthetic(1000, 2);
        var without = new ModelData(analysis.Count) { Predictions = analysis.Predictions, Features = [analysis.Feature("x")] };
        var e = Assert.Throws<EstimatorDataException>(() => fitted.Calculate(without, "m", ComputeOptions.Default));
        Assert.Contains("group", e.Message, StringComparison.Ordinal);
    }
}
