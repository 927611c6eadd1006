using Estimator.IO;
using Microsoft.Data.Analysis;

namespace Estimator.Tests.IO;

public sealed class DataFrameReadTests
{
    [Fact]
    public void Read_ConvertsTypedColumns_WhenReadingDataFrame()
    {
        var frame = new DataFrame(
            new PrimitiveDataFrameColumn<int>("id", new[] { 1, 2, 3 }),
            new PrimitiveDataFrameColumn<float>("y_pred_proba", new float?[] { 0.5f, null, 0.25f }),
            new PrimitiveDataFrameColumn<bool>("y_pred", new[] { true, false, true }),
            new PrimitiveDataFrameColumn<double>("y_true", new double?[] { 1, null, 0 }),
            new StringDataFrameColumn("ts", new[] { "2018-01-01 00:00:00.000", "2018-01-01 00:08:43.152", "2018-01-02" }));
        var mapping = new ColumnMapping { YTrue = "y_true", Timestamp = "ts", Id = "id" };

        var data = PredictionFileReader.Read(frame, mapping, requireTargets: true, requirePredictions: true, name: "frame");

        Assert.Equal(new[] { "1", "2", "3" }, data.Ids!);
        Assert.Equal(0.5, data.Set.Scores[0]);
        Assert.True(double.IsNaN(data.Set.Scores[1]));
        Assert.Equal(1, data.RowsMissingScore);
        Assert.Equal(new[] { 1.0, 0.0, 1.0 }, data.Set.Predictions!);
        Assert.Equal(1, data.RowsMissingTarget);
        Assert.Equal(new DateTime(2018, 1, 2, 0, 0, 0, DateTimeKind.Utc), data.Set.Timestamps![2]);
    }

    [Fact]
    public void Read_ThrowsNamingFrameColumnAndRow_WhenDataFrameScoreIsOutOfRange()
    {
        var frame = new DataFrame(new PrimitiveDataFrameColumn<double>("y_pred_proba", new[] { 0.5, 2.0 }));

        var ex = Assert.Throws<EstimatorDataException>(
            () => PredictionFileReader.Read(frame, new ColumnMapping { YPred = null }, requireTargets: false, requirePredictions: false, name: "frame"));

        Assert.Equal("file 'frame', column 'y_pred_proba', row 1: score 2 is outside [0, 1]", ex.Message);
    }
}
