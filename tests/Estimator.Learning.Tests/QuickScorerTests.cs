namespace Estimator.Learning.Tests;

public sealed class QuickScorerTests
{
    // Rows of three numeric columns (5 % NaN, a coarse one with many tied values) and a one-hot pair.
    private static (float[] Matrix, double[] Loss, int[] All) Data(int rows, int seed)
    {
        const int width = 5;
        var random = new Random(seed);
        var matrix = new float[rows * width];
        var loss = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var row = matrix.AsSpan(i * width, width);
            row[0] = random.NextDouble() < 0.05 ? float.NaN : (float)random.NextDouble();
            row[1] = random.NextDouble() < 0.05 ? float.NaN : (float)(random.NextDouble() * 4) - 2;
            row[2] = MathF.Round((float)random.NextDouble() * 10);
            var hot = random.Next(2);
            row[3 + hot] = 1f;
            var x = float.IsNaN(row[0]) ? 0.5 : row[0];
            loss[i] = Math.Abs(x - 0.3) + (hot * 0.4 * Math.Abs(float.IsNaN(row[1]) ? 1 : row[1])) + (row[2] * 0.02) + (random.NextDouble() * 0.1);
        }

        return (matrix, loss, Enumerable.Range(0, rows).ToArray());
    }

    [Theory]
    [InlineData(40, 31)]
    [InlineData(25, 63)]
    [InlineData(30, 2)]
    public void Score_EqualsTheTreeWalkAndMlNet_BitForBit(int trees, int leaves)
    {
        var (matrix, loss, all) = Data(4000, 11);
        var model = LossModel.Train(matrix, 5, loss, all, new BoostingSettings(Trees: trees, Leaves: leaves, MinimumRowsPerLeaf: 5), seed: 3);
        Assert.True(model.Trees.UsesQuickScorer);

        // An odd row count and a scrambled order, so partial groups and arbitrary rows are covered.
        var rows = all.Where(i => i % 7 != 3).Reverse().ToArray();
        var quick = new double[rows.Length];
        var walked = new double[rows.Length];
        model.Trees.Score(matrix, 5, rows, quick);
        model.Trees.ScoreByWalking(matrix, 5, rows, walked);
        var mlnet = model.PredictWithMlNet(matrix, rows);

        Assert.Equal(walked.Select(BitConverter.DoubleToInt64Bits), quick.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(mlnet, quick);
        Assert.True(quick.Distinct().Count() > 10, "the ensemble should not be constant");
    }

    [Fact]
    public void Scorer_FallsBackToTheWalk_WhenATreeHasMoreThan64Leaves()
    {
        var (matrix, loss, all) = Data(3000, 12);
        var model = LossModel.Train(matrix, 5, loss, all, new BoostingSettings(Trees: 5, Leaves: 100, MinimumRowsPerLeaf: 2), seed: 4);

        Assert.False(model.Trees.UsesQuickScorer);
        Assert.Equal(model.PredictWithMlNet(matrix, all), model.Predict(matrix, all));
    }

    [Fact]
    public void Position_CountsTheThresholdsBelowTheValue_AsABruteForceCount()
    {
        var random = new Random(5);
        for (var n = 0; n < 700; n += 1 + (n / 10))
        {
            var thresholds = Enumerable.Range(0, n).Select(_ => MathF.Round((float)random.NextDouble() * 2000) / 200).Distinct().Order().ToArray();
            var sorted = new SortedThresholds(thresholds);
            foreach (var value in new[] { -1f, 0f, -0f, 0.5f, 3f, 3.2525f, 9.999f, 10f, 11f, float.PositiveInfinity, float.NegativeInfinity }.Concat(thresholds.Where((_, i) => i % 37 == 0)))
            {
                var expected = thresholds.Count(t => !(value <= t));
                Assert.Equal(expected, SortedThresholds.PositionBySearch(thresholds, value));
                Assert.Equal(expected, sorted.Position(value));
            }

            Assert.Equal(thresholds.Length, SortedThresholds.PositionBySearch(thresholds, float.NaN));
            Assert.Equal(thresholds.Length, sorted.Position(float.NaN));
        }
    }
}
