using Estimator.Calculators;
using Estimator.Drift;
using Estimator.Estimation;

namespace Estimator.Tests.Drift;

/// <summary>Reconstruction error on data whose principal components are known in closed form.</summary>
public sealed class ReconstructionErrorTests
{
    [Fact]
    public void Calculate_IsTheDistanceFromTheDiagonal_WhenTheReferenceColumnsAreProportional()
    {
        // Reference: y = 2x exactly, so after scaling z_x = z_y and one component (1, 1)/√2 explains all variance;
        // a row's error is |z_x − z_y| / √2.
        var random = new Random(3);
        var x = Enumerable.Range(0, 1000).Select(_ => random.NextDouble()).ToArray();
        var reference = new ModelData(1000) { Features = [new NumericFeature("x", x), new NumericFeature("y", [.. x.Select(v => 2 * v)])] };
        var ax = Enumerable.Range(0, 400).Select(_ => random.NextDouble()).ToArray();
        var ay = Enumerable.Range(0, 400).Select(_ => random.NextDouble() * 2).ToArray();
        var analysis = new ModelData(400) { Features = [new NumericFeature("x", ax), new NumericFeature("y", ay)] };
        var fitted = new ReconstructionErrorCalculator(new ReconstructionErrorOptions { Columns = ["x", "y"], Chunking = Chunking.BySize(200) }).Fit(reference, ComputeOptions.Serial);
        var rows = fitted.Calculate(analysis, "m", ComputeOptions.Serial).Rows;

        Assert.Equal(1, fitted.Components);
        Assert.All(rows.Where(r => r.Period == Period.Reference), r => Assert.Equal(0, r.Estimated, 9));
        var mean = x.Average();
        var std = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length);
        var errors = ax.Zip(ay, (a, b) => Math.Abs(((a - mean) / std) - ((b - (2 * mean)) / (2 * std))) / Math.Sqrt(2)).ToArray();
        var first = errors.Take(200).ToArray();
        var firstMean = first.Average();
        var row = rows.First(r => r.Period == Period.Analysis);
        Assert.Equal(firstMean, row.Estimated, 9);
        Assert.Equal(Math.Sqrt(first.Sum(e => (e - firstMean) * (e - firstMean)) / 199) / Math.Sqrt(200), row.SamplingError, 9);
        Assert.True(row.Alert);
    }

    [Fact]
    public void Calculate_ImputesMissingAndEncodesUnseenCategoriesAsZero()
    {
        var reference = new ModelData(6)
        {
            Features = [new NumericFeature("x", [1, 2, double.NaN, 4, 5, 6]), new CategoricalFeature("c", ["a", "a", "b", null, "a", "b"])],
        };
        var analysis = new ModelData(2) { Features = [new NumericFeature("x", [double.NaN, 3]), new CategoricalFeature("c", [null, "z"])] };
        var fitted = new ReconstructionErrorCalculator(new ReconstructionErrorOptions { Columns = ["x", "c"], Chunking = Chunking.BySize(2), VarianceShare = 0.99 }).Fit(reference, ComputeOptions.Serial);

        // Mean 3.6 fills x; "a" (most frequent) fills c and then holds 4/6 of the rows; "z" encodes as 0.
        Assert.Equal(3.6, fitted.Model.ContinuousFill[0], 12);
        Assert.Equal("a", fitted.Model.CategoricalFill[1]);
        Assert.Equal(4.0 / 6, fitted.Model.Frequencies[1]["a"], 12);
        var row = fitted.Calculate(analysis, "m", ComputeOptions.Serial).Rows.Single(r => r.Period == Period.Analysis);
        Assert.False(double.IsNaN(row.Estimated));
        Assert.Equal(CalculatorKind.ReconstructionError, CalculatorJson.FromJson(fitted.ToJson()).Kind);
    }
}
