using Estimator.Metrics;

namespace Estimator.Core.Tests.Metrics;

/// <summary>
/// The soft-label DeLong error against a brute-force pairwise computation of the same definitions, and against the
/// spread of realized AUCs over many samples drawn from a known world.
/// </summary>
public sealed class RocAucStandardErrorTests
{
    [Theory]
    [InlineData(1, 300, false)]
    [InlineData(2, 300, true)]
    [InlineData(3, 57, true)]
    public void Soft_EqualsThePairwiseDefinition(int seed, int n, bool hardLabels)
    {
        var random = new Random(seed);
        var scores = new double[n];
        var probabilities = new double[n];
        for (var i = 0; i < n; i++)
        {
            // Rounded scores make tie groups; NaN rows are left out by both.
            scores[i] = Math.Round(random.NextDouble(), 1);
            var p = 1 / (1 + Math.Exp(-4 * (scores[i] - 0.5)));
            probabilities[i] = hardLabels ? (random.NextDouble() < p ? 1 : 0) : p;
        }

        scores[5] = double.NaN;
        probabilities[9] = double.NaN;

        Assert.Equal(PairwiseStandardError(probabilities, scores), RocAucStandardError.Soft(probabilities, scores), 12);
    }

    [Fact]
    public void Soft_MatchesTheSpreadOfRealizedAucOverRepeatedSamples()
    {
        // Binormal world: x | y ~ N(1.2·y, 1), P(y = 1) = 0.3; the score is x and p its true posterior.
        const int rows = 2000;
        const int samples = 400;
        var random = new Random(7);
        var realized = new double[samples];
        var predicted = new double[samples];
        for (var s = 0; s < samples; s++)
        {
            var scores = new double[rows];
            var probabilities = new double[rows];
            var labels = new bool[rows];
            for (var i = 0; i < rows; i++)
            {
                labels[i] = random.NextDouble() < 0.3;
                scores[i] = Normal(random) + (labels[i] ? 1.2 : 0);
                var logOdds = Math.Log(0.3 / 0.7) + (1.2 * scores[i]) - 0.72;
                probabilities[i] = 1 / (1 + Math.Exp(-logOdds));
            }

            realized[s] = Auc(scores, labels);
            predicted[s] = RocAucStandardError.Soft(probabilities, scores);
        }

        var mean = realized.Average();
        var spread = Math.Sqrt(realized.Sum(a => (a - mean) * (a - mean)) / (samples - 1));

        // 400 samples know a standard deviation to about ±3.5 %.
        Assert.InRange(predicted.Average() / spread, 0.9, 1.1);
    }

    [Fact]
    public void Soft_IsNaN_WhenAClassHasNoMass() =>
        Assert.True(double.IsNaN(RocAucStandardError.Soft([1, 1, 1], [0.1, 0.2, 0.3])));

    private static double PairwiseStandardError(double[] probabilities, double[] scores)
    {
        var rows = Enumerable.Range(0, scores.Length).Where(i => !double.IsNaN(scores[i]) && !double.IsNaN(probabilities[i])).ToArray();
        double positives = rows.Sum(i => probabilities[i]), negatives = rows.Sum(i => 1 - probabilities[i]);
        double Below(int i, bool positive) => rows.Sum(j => (positive ? probabilities[j] : 1 - probabilities[j])
            * (scores[j] < scores[i] ? 1 : scores[j] == scores[i] ? 0.5 : 0));
        var v10 = rows.ToDictionary(i => i, i => Below(i, positive: false) / negatives);
        var v01 = rows.ToDictionary(i => i, i => (positives - Below(i, positive: true)) / positives);
        var auc = rows.Sum(i => probabilities[i] * v10[i]) / positives;
        var mean01 = rows.Sum(i => (1 - probabilities[i]) * v01[i]) / negatives;
        var variance10 = rows.Sum(i => probabilities[i] * (v10[i] - auc) * (v10[i] - auc)) / positives;
        var variance01 = rows.Sum(i => (1 - probabilities[i]) * (v01[i] - mean01) * (v01[i] - mean01)) / negatives;
        return Math.Sqrt((variance10 / positives) + (variance01 / negatives));
    }

    private static double Auc(double[] scores, bool[] labels)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double negativesBelow = 0, sum = 0, positives = 0;
        foreach (var i in order)
        {
            if (labels[i])
            {
                sum += negativesBelow;
                positives++;
            }
            else
            {
                negativesBelow++;
            }
        }

        return sum / (positives * negativesBelow);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
