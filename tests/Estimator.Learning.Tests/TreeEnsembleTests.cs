namespace Estimator.Learning.Tests;

public sealed class TreeEnsembleTests
{
    [Fact]
    public void DirectTreeWalk_EqualsMlNetScoring_IncludingMissingValues()
    {
        const int width = 3;
        const int rows = 3000;
        var random = new Random(9);
        var matrix = new float[rows * width];
        var loss = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < width; j++)
            {
                matrix[(i * width) + j] = random.NextDouble() < 0.05 ? float.NaN : (float)random.NextDouble();
            }

            loss[i] = Math.Abs((float.IsNaN(matrix[i * width]) ? 0.5 : matrix[i * width]) - 0.3) + (random.NextDouble() * 0.1);
        }

        var all = Enumerable.Range(0, rows).ToArray();
        var model = LossModel.Train(matrix, width, loss, all, new BoostingSettings(Trees: 40), seed: 1);
        var direct = model.Predict(matrix, all);
        var mlnet = model.PredictWithMlNet(matrix, all);
        Assert.Equal(mlnet, direct);
        Assert.True(direct.Distinct().Count() > 10, "the ensemble should not be constant");
    }
}
