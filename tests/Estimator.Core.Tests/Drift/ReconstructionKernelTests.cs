using Estimator.Calculators;
using Estimator.Drift;

namespace Estimator.Tests.Drift;

/// <summary>The vector reconstruction kernel against the row-by-row loop: equal bit for bit.</summary>
public sealed class ReconstructionKernelTests
{
    [Theory]
    [InlineData(1, 1000, 5)]     // several blocks of 256 and a short last one
    [InlineData(2, 256, 9)]      // exactly one block
    [InlineData(3, 7, 3)]        // fewer rows than a block
    public void Vector_EqualsPlainBitForBit(int seed, int rows, int columns)
    {
        var random = new Random(seed);
        var names = Enumerable.Range(0, columns).Select(j => "c" + j).ToArray();

        // Correlated columns (so several components are kept), one of them categorical, some values missing.
        ModelData Data(int n)
        {
            var latent = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
            var features = new List<FeatureColumn>();
            for (var j = 0; j < columns - 1; j++)
            {
                var weight = random.NextDouble();
                features.Add(new NumericFeature(names[j], [.. latent.Select(v => random.NextDouble() < 0.02 ? double.NaN : (weight * v) + (random.NextDouble() * 0.3))]));
            }

            features.Add(new CategoricalFeature(names[^1], [.. latent.Select(v => v < 0.3 ? "a" : v < 0.8 ? "b" : random.NextDouble() < 0.1 ? null : "c")]));
            return new ModelData(n) { Features = features };
        }

        var model = ReconstructionModel.Fit(Data(2000), names, 0.65);
        var analysis = Data(rows);
        var x = new double[rows * columns];
        model.Encode(analysis, 0, rows, x);
        var plain = new double[rows];
        var vector = new double[rows];

        ReconstructionKernel.Plain(x, rows, model, plain);
        ReconstructionKernel.Vector(x, rows, model, vector);

        Assert.True(model.Components.Length >= 1 && model.Components.Length < columns);
        Assert.Equal(plain.Select(BitConverter.DoubleToInt64Bits), vector.Select(BitConverter.DoubleToInt64Bits));
        Assert.All(plain, e => Assert.True(e > 0));
    }
}
