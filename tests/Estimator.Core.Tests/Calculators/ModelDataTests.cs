using Estimator.Calculators;

namespace Estimator.Tests.Calculators;

public sealed class ModelDataTests
{
    private static ModelData Sample(int n, int seed)
    {
        var random = new Random(seed);
        var start = new DateTime(2021, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var t = new DateTime[n];
        var s = new double[n];
        var x = new double[n];
        var c = new string?[n];
        for (var i = 0; i < n; i++)
        {
            t[i] = start.AddDays(random.Next(0, 20));
            s[i] = i;
            x[i] = i % 5 == 0 ? double.NaN : i * 10;
            c[i] = i % 7 == 0 ? null : "c" + (i % 3);
        }

        return new ModelData(n, t)
        {
            Scores = s,
            Predictions = s.Select(v => v % 2).ToArray(),
            Targets = s.Select(v => (v + 1) % 2).ToArray(),
            Classes = ["a", "b"],
            ClassScores = [s.Select(v => v / n).ToArray(), s.Select(v => 1 - (v / n)).ToArray()],
            Features = [new NumericFeature("x", x), new CategoricalFeature("c", c)],
        };
    }

    [Fact]
    public void SortedByTimestamp_IsAStableSort_OfEveryColumn()
    {
        var data = Sample(500, 1);

        var sorted = data.SortedByTimestamp();

        // Oracle: LINQ's OrderBy is a stable sort; Scores hold the original row numbers.
        var order = Enumerable.Range(0, data.Count).OrderBy(i => data.Timestamps![i]).ToArray();
        Assert.Equal(order.Select(i => (double)i), sorted.Scores!);
        Assert.Equal(order.Select(i => data.Timestamps![i]), sorted.Timestamps!);
        Assert.Equal(order.Select(i => data.Predictions![i]), sorted.Predictions!);
        Assert.Equal(order.Select(i => data.Targets![i]), sorted.Targets!);
        Assert.Equal(order.Select(i => data.ClassScores![1][i]), sorted.ClassScores![1]);
        Assert.Equal(order.Select(i => ((NumericFeature)data.Features[0]).Values[i]), ((NumericFeature)sorted.Feature("x")).Values);
        Assert.Equal(order.Select(i => ((CategoricalFeature)data.Features[1]).Values[i]), ((CategoricalFeature)sorted.Feature("c")).Values);
    }

    [Fact]
    public void SortedByTimestamp_ReturnsTheSameInstance_WhenAlreadySorted()
    {
        var data = new ModelData(3, [new DateTime(1, DateTimeKind.Utc), new DateTime(1, DateTimeKind.Utc), new DateTime(2, DateTimeKind.Utc)]) { Scores = [0.1, 0.2, 0.3] };
        Assert.Same(data, data.SortedByTimestamp());
    }

    [Fact]
    public void Slice_CopiesTheRowsOfEveryColumn()
    {
        var data = Sample(50, 2);

        var slice = data.Slice(10, 5);

        Assert.Equal(5, slice.Count);
        Assert.Equal([10.0, 11, 12, 13, 14], slice.Scores!);
        Assert.Equal(data.Timestamps![10..15], slice.Timestamps!);
        Assert.Equal(((CategoricalFeature)data.Features[1]).Values[10..15], ((CategoricalFeature)slice.Feature("c")).Values);
        slice.Scores![0] = -1;
        Assert.Equal(10.0, data.Scores![10]);
    }

    [Fact]
    public void Feature_NamesTheMissingColumnAndTheOnesThereAre()
    {
        var e = Assert.Throws<EstimatorDataException>(() => Sample(10, 3).Feature("salary"));
        Assert.Equal("salary", e.Column);
        Assert.Contains("x, c", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Roles_MustHaveOneValuePerRow()
    {
        Assert.Throws<ArgumentException>(() => new ModelData(3) { Scores = [0.1, 0.2] });
        Assert.Throws<ArgumentException>(() => new ModelData(3) { Features = [new NumericFeature("x", [1.0])] });
        Assert.Throws<ArgumentException>(() => new ModelData(3) { ClassScores = [new double[3], new double[4]] });
        Assert.Throws<ArgumentException>(() => new ModelData(2, [DateTime.UnixEpoch]));
    }

    [Fact]
    public void PredictionSetView_SharesTheArrays()
    {
        var set = new PredictionSet([0.2, 0.9], [0, 1], [0, 1]);

        var data = ModelData.FromPredictions(set);

        Assert.Same(set.Scores, data.Scores);
        Assert.Same(set.Targets, data.ToPredictionSet().Targets);
        Assert.Throws<EstimatorDataException>(() => new ModelData(1).ToPredictionSet());
    }
}
