using Estimator.Estimation.Multiclass;
using Estimator.IO;
using Microsoft.Data.Analysis;
using Parquet.Schema;

namespace Estimator.Tests.IO;

/// <summary>Reading a multiclass model's prediction files: classes by mapping, labels as class indices, counts.</summary>
public sealed class MulticlassFileReaderTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static ColumnMapping Mapping(string scores) => new() { ClassScores = ClassScoreColumns.Parse(scores), YTrue = "y_true" };

    [Fact]
    public void Read_MapsScoreColumnsByClassAndEncodesLabels_WhenCsvHasStringLabels()
    {
        var path = _files.WriteText("p.csv", "pb,pa,y_pred,y_true\n0.3,0.7,a,a\n0.9,0.1,b,a\n0.5,0.5, b ,\n");

        var data = MulticlassFileReader.Read(path, Mapping("a=pa,b=pb"), requireTargets: true, requirePredictions: true);

        Assert.Equal(["a", "b"], data.Classes);
        Assert.Equal([0.7, 0.1, 0.5], data.Data.ClassScores![0]);
        Assert.Equal([0.3, 0.9, 0.5], data.Data.ClassScores![1]);
        Assert.Equal([0.0, 1.0, 1.0], data.Data.Predictions!);
        Assert.Equal([0.0, 0.0, double.NaN], data.Data.Targets!);
        Assert.Equal(1, data.RowsMissingTarget);
        Assert.Equal(0, data.RowsScoreSumOff);
    }

    [Fact]
    public void Read_MatchesIntegerClasses_WhenParquetLabelsAreIntegersAndFloats()
    {
        var path = _files.WriteParquet(
            "p.parquet",
            (new DataField<double>("p0"), new[] { 0.6, 0.2, 0.1 }),
            (new DataField<double>("p1"), new[] { 0.3, 0.7, 0.1 }),
            (new DataField<double>("p2"), new[] { 0.1, 0.1, 0.8 }),
            (new DataField<long>("y_pred"), new[] { 0L, 1L, 2L }),
            (new DataField<double?>("y_true"), new double?[] { 2.0, null, 0.0 }));

        var data = MulticlassFileReader.Read(path, Mapping("2=p2,0=p0,1=p1"), requireTargets: true, requirePredictions: true);

        Assert.Equal(["2", "0", "1"], data.Classes);
        Assert.Equal([1.0, 2.0, 0.0], data.Data.Predictions!);
        Assert.Equal([0.0, double.NaN, 1.0], data.Data.Targets!);
    }

    [Fact]
    public void Read_MatchesIntegerClasses_WhenCsvLabelsAreWrittenAsFloats()
    {
        var path = _files.WriteText("p.csv", "p0,p1,y_pred,y_true\n0.6,0.4,1,1.0\n0.2,0.8,0,0.0\n0.5,0.5,1,nan\n");

        var data = MulticlassFileReader.Read(path, Mapping("0=p0,1=p1"), requireTargets: true, requirePredictions: true);

        Assert.Equal([1.0, 0.0, 1.0], data.Data.Predictions!);
        Assert.Equal([1.0, 0.0, double.NaN], data.Data.Targets!);
    }

    [Fact]
    public void Read_CountsMissingScoresAndSumsOffOne_WithoutRejectingThem()
    {
        // Row 1 misses a score; rows 2 (1.1) and 3 (0.9) are off; row 4 (1.0005) is within the tolerance.
        var path = _files.WriteText("p.csv", "pa,pb,y_pred\n0.5,0.5,a\n,0.5,a\n0.6,0.5,b\n0.4,0.5,b\n0.5005,0.5,a\n");

        var data = MulticlassFileReader.Read(path, Mapping("a=pa,b=pb") with { YTrue = null }, requireTargets: false, requirePredictions: true);

        Assert.Equal(1, data.RowsMissingScore);
        Assert.Equal(2, data.RowsScoreSumOff);
        Assert.Null(data.Data.Targets!);
    }

    [Fact]
    public void Read_ThrowsNamingFileColumnAndRow_WhenALabelIsNotAClass()
    {
        var path = _files.WriteText("p.csv", "pa,pb,y_pred\n0.5,0.5,a\n0.5,0.5,c\n");

        var ex = Assert.Throws<EstimatorDataException>(() => MulticlassFileReader.Read(path, Mapping("a=pa,b=pb"), requireTargets: false, requirePredictions: true));

        Assert.Equal((path, "y_pred", 1L), (ex.File, ex.Column, ex.Row));
        Assert.Contains("'c'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThrowsNamingTheColumn_WhenLabelsAreBooleans()
    {
        var path = _files.WriteParquet(
            "p.parquet",
            (new DataField<double>("pa"), new[] { 0.5 }),
            (new DataField<double>("pb"), new[] { 0.5 }),
            (new DataField<bool>("y_pred"), new[] { true }));

        var ex = Assert.Throws<EstimatorDataException>(() => MulticlassFileReader.Read(path, Mapping("a=pa,b=pb"), requireTargets: false, requirePredictions: true));

        Assert.Equal("y_pred", ex.Column);
        Assert.Contains("strings or integers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EncodesStringLabels_WhenReadingADataFrame()
    {
        var frame = new DataFrame(
            new PrimitiveDataFrameColumn<double>("pb", new[] { 0.3, 0.9 }),
            new PrimitiveDataFrameColumn<double>("pa", new[] { 0.7, 0.1 }),
            new StringDataFrameColumn("y_pred", new[] { "a", "b" }),
            new StringDataFrameColumn("y_true", new[] { "b", null }));

        var data = MulticlassFileReader.Read(frame, Mapping("a=pa,b=pb"), requireTargets: true, requirePredictions: true, name: "frame");

        Assert.Equal([0.7, 0.1], data.Data.ClassScores![0]);
        Assert.Equal([0.0, 1.0], data.Data.Predictions!);
        Assert.Equal([1.0, double.NaN], data.Data.Targets!);
        Assert.Equal("frame", data.Source);
    }
}
