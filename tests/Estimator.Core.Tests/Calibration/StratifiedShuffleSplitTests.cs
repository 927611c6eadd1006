using Estimator.Calibration;

namespace Estimator.Tests.Calibration;

public class StratifiedShuffleSplitTests
{
    private static double[] SpecLabels()
    {
        var y = new double[50];
        for (var i = 0; i < y.Length; i++)
        {
            y[i] = (i * 7) % 3 == 0 ? 1 : 0;
        }

        return y;
    }

    [Fact]
    public void TestParts_MatchScikitLearnTestIndices_WhenSpecVector()
    {
        var tests = StratifiedShuffleSplit.TestParts(SpecLabels(), 10, 0.1, 42);

        Assert.Equal(10, tests.Length);
        Assert.Equal(new[] { 22, 43, 16, 27, 45 }, tests[0]);
        Assert.Equal(new[] { 19, 6, 22, 12, 43 }, tests[1]);
        Assert.Equal(new[] { 13, 12, 40, 3, 44 }, tests[2]);
    }

    [Fact]
    public void ReferenceSplit_PartitionsWithStratifiedSizes_WhenSpecVector()
    {
        var y = SpecLabels();
        foreach (var (train, test) in ReferenceStratifiedShuffleSplit.Split(y))
        {
            // n_test = ceil(0.1 * 50) = 5, n_train = 45; 17 positives: 45 * 17 / 50 = 15.3 -> 15 or 16 in train.
            Assert.Equal(45, train.Length);
            Assert.Equal(5, test.Length);
            Assert.Empty(train.Intersect(test));
            Assert.Equal(50, train.Concat(test).Distinct().Count());
            var trainPositives = train.Count(r => y[r] == 1);
            Assert.InRange(trainPositives, 15, 16);
        }
    }

    [Fact]
    public void TestParts_Throws_WhenAClassHasOneMember()
    {
        var y = new double[20];
        y[3] = 1;
        Assert.Throws<ArgumentException>(() => StratifiedShuffleSplit.TestParts(y, 10, 0.1, 42));
    }

    [Fact]
    public void ApproximateMode_GivesFloorPlusLargestRemainder_WhenRemaindersDiffer()
    {
        // counts 17/33, 10 draws: continuous 3.4 and 6.6 -> floors 3, 6; one extra to the larger remainder (class 1).
        var result = StratifiedShuffleSplit.ApproximateMode([17, 33], 10, new NumpyRandomState(42));
        Assert.Equal(new[] { 3, 7 }, result);
    }

    [Theory]
    [InlineData(50, 2, 0.34, 1)]
    [InlineData(1_001, 2, 0.5, 2)]
    [InlineData(20_000, 3, 0.2, 3)]
    [InlineData(150_000, 2, 0.03, 4)]
    public void TestParts_EqualScikitLearnTestParts_WhenLabelsVary(int rows, int classes, double minority, int seed)
    {
        var random = new Random(seed);
        var y = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            y[i] = random.NextDouble() < minority ? random.Next(1, classes) : 0;
        }

        y[0] = 0;
        y[1] = 0;
        for (var c = 1; c < classes; c++)
        {
            y[2 * c] = c;
            y[(2 * c) + 1] = c;
        }

        var full = ReferenceStratifiedShuffleSplit.Split(y);
        var tests = StratifiedShuffleSplit.TestParts(y, 10, 0.1, 42);

        Assert.Equal(full.Count, tests.Length);
        for (var s = 0; s < full.Count; s++)
        {
            Assert.Equal(full[s].Test, tests[s]);
        }
    }
}
