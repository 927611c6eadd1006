using Estimator.Calculators;
using Estimator.Estimation;

namespace Estimator.Learning.Tests;

public sealed class DleMissingPredictionTests
{
    private static ModelData Data(int count, int seed)
    {
        var random = new Random(seed);
        var x = new double[count];
        var predictions = new double[count];
        var targets = new double[count];
        for (var i = 0; i < count; i++)
        {
            x[i] = random.NextDouble();
            predictions[i] = 2 + x[i];
            targets[i] = predictions[i] + ((0.1 + x[i]) * ((random.NextDouble() * 2) - 1));
        }

        return new ModelData(count) { Predictions = predictions, Targets = targets, Features = [new NumericFeature("x", x)] };
    }

    [Fact]
    public void Calculate_LeavesRowsWithoutAPrediction_OutOfTheChunkMean()
    {
        var options = new DleOptions { Metrics = [DleMetric.Mae], Features = ["x"], Chunking = Chunking.BySize(1000), Boosting = new BoostingSettings(Trees: 20) };
        var fitted = new DleCalculator(options).FitDle(Data(4000, 1), ComputeOptions.Default);
        var analysis = Data(3000, 2);
        var complete = fitted.Calculate(analysis, "m", ComputeOptions.Default).Rows.Where(r => r.Period == Period.Analysis).ToList();

        // Each row's predicted loss from the error model itself; then chunk 1 loses rows 1000-1099 to NaN.
        var perRow = fitted.Models[DleMetric.Mae].Predict(fitted.Encoder.Encode(analysis, "analysis"), [.. Enumerable.Range(0, 3000)]);
        for (var i = 1000; i < 1100; i++)
        {
            analysis.Predictions![i] = double.NaN;
        }

        var missing = fitted.Calculate(analysis, "m", ComputeOptions.Default).Rows.Where(r => r.Period == Period.Analysis).ToList();
        Assert.Equal(complete[0].Estimated, missing[0].Estimated);
        Assert.Equal(complete[2].Estimated, missing[2].Estimated);
        Assert.Equal(perRow.Skip(1100).Take(900).Average(), missing[1].Estimated, 12);
        Assert.NotEqual(complete[1].Estimated, missing[1].Estimated);
    }
}
