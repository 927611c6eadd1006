using Estimator.Calculators;
using Estimator.IO;
using Parquet.Schema;

namespace Estimator.Tests.IO;

/// <summary>Reading a regression model's files: predicted and actual values as finite numbers, features, ids, counts.</summary>
public sealed class RegressionFileReaderTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static readonly ColumnMapping Mapping = new() { YPred = "y_pred", YTrue = "y_true" };

    [Fact]
    public void Read_TakesNumbersOfAnyWidth_AndCountsMissingValues_WhenParquet()
    {
        var path = _files.WriteParquet(
            "p.parquet",
            (new DataField<long>("id"), new[] { 7L, 8L, 9L }),
            (new DataField<double?>("y_pred"), new double?[] { 1.5, null, -2.25 }),
            (new DataField<int?>("y_true"), new int?[] { 2, 3, null }),
            (new DataField<double>("x1"), new[] { 0.1, 0.2, 0.3 }),
            (new DataField<string>("g"), new[] { "A", null!, "B" }));

        var data = RegressionFileReader.Read(path, Mapping with { Id = "id" }, ["x1", "g"], requireTargets: true);

        Assert.Equal([1.5, double.NaN, -2.25], data.Data.Predictions!);
        Assert.Equal([2.0, 3.0, double.NaN], data.Data.Targets!);
        Assert.Equal(1, data.RowsMissingPrediction);
        Assert.Equal(1, data.RowsMissingTarget);
        Assert.Equal(["7", "8", "9"], data.Ids!);
        Assert.Equal([0.1, 0.2, 0.3], Assert.IsType<NumericFeature>(data.Data.Feature("x1")).Values);
        Assert.Equal<string?>(["A", null, "B"], Assert.IsType<CategoricalFeature>(data.Data.Feature("g")).Values.AsEnumerable());
    }

    [Fact]
    public void Read_ParsesNumericText_AndCountsEmptyCellsAsMissing_WhenCsv()
    {
        var path = _files.WriteText("p.csv", "x1,g,y_pred,y_true\n0.5,A,1e3,12\n0.25,B,,-4.5\n1,A,3, \n1.5,B,-0.5,nan\n");

        var data = RegressionFileReader.Read(path, Mapping, ["x1", "g"], requireTargets: true);

        Assert.Equal([1000.0, double.NaN, 3.0, -0.5], data.Data.Predictions!);
        Assert.Equal([12.0, -4.5, double.NaN, double.NaN], data.Data.Targets!);
        Assert.Equal(1, data.RowsMissingPrediction);
        Assert.Equal(2, data.RowsMissingTarget);
        Assert.Equal([0.5, 0.25, 1.0, 1.5], Assert.IsType<NumericFeature>(data.Data.Feature("x1")).Values);
        Assert.Null(data.Ids);
    }

    [Fact]
    public void Read_RejectsAnInfiniteValue_NamingFileColumnAndRow_WhenParquet()
    {
        var path = _files.WriteParquet(
            "p.parquet",
            (new DataField<double>("y_pred"), new[] { 1.0, 2.0, double.PositiveInfinity }),
            (new DataField<double>("x1"), new[] { 0.1, 0.2, 0.3 }));

        var e = Assert.Throws<EstimatorDataException>(() => RegressionFileReader.Read(path, Mapping, ["x1"], requireTargets: false));

        Assert.Equal(path, e.File);
        Assert.Equal("y_pred", e.Column);
        Assert.Equal(2, e.Row);
        Assert.Contains("is not finite", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RejectsInfinityText_NamingFileColumnAndRow_WhenCsv()
    {
        var path = _files.WriteText("p.csv", "x1,y_pred,y_true\n0.1,1,2\n0.2,2,-Infinity\n");

        var e = Assert.Throws<EstimatorDataException>(() => RegressionFileReader.Read(path, Mapping, ["x1"], requireTargets: true));

        Assert.Equal(("y_true", 1L), (e.Column, e.Row));
        Assert.StartsWith($"file '{path}', column 'y_true', row 1: value ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("is not finite", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RejectsText_NamingFileColumnAndRow()
    {
        var path = _files.WriteText("p.csv", "x1,y_pred\n0.1,1\n0.2,2\n0.3,three\n");

        var e = Assert.Throws<EstimatorDataException>(() => RegressionFileReader.Read(path, Mapping, ["x1"], requireTargets: false));

        Assert.Equal($"file '{path}', column 'y_pred', row 2: value 'three' is not a number", e.Message);
    }

    [Fact]
    public void Read_NamesTheMissingFeature()
    {
        var path = _files.WriteText("p.csv", "x1,y_pred\n0.1,1\n");

        var e = Assert.Throws<EstimatorDataException>(() => RegressionFileReader.Read(path, Mapping, ["x1", "x2"], requireTargets: false));

        Assert.Equal(("x2", path), (e.Column, e.File));
    }

    [Fact]
    public async Task LeftJoinValues_JoinsActualValuesById_NaNWhereNoneArrived()
    {
        var analysisPath = _files.WriteText("a.csv", "id,x1,y_pred\n1,0.1,10\n2,0.2,20\n3,0.3,30\n");
        var targets = _files.WriteText("t.csv", "id,y_true\n3,33.5\n1,-11\n99,5\n");
        var analysis = RegressionFileReader.Read(analysisPath, new ColumnMapping { YPred = "y_pred", Id = "id" }, ["x1"], requireTargets: false);

        var join = await TargetJoin.LeftJoinValuesAsync(analysis, targets, "id", "y_true");

        Assert.Equal([-11.0, double.NaN, 33.5], join.Targets);
        Assert.Equal(1, join.RowsWithoutTarget);
        Assert.Equal(1, join.UnmatchedTargetIds);
        Assert.Equal(1, analysis.WithTargets(join.Targets).RowsMissingTarget);
    }
}
