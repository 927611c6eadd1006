using Estimator.IO;
using Parquet.Schema;

namespace Estimator.Tests.IO;

/// <summary>Value types, missing values and CSV quoting, on hand-written fixtures.</summary>
public sealed class PredictionFileReaderTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Read_ParsesQuotedFields_WhenCsvFieldsHoldCommasQuotesAndNewlines()
    {
        var path = _files.WriteText(
            "quoted.csv",
            "id,comment,y_pred_proba,y_pred,ts\r\n"
            + "1,\"hello, world\",0.25,0,2018-01-01 00:00:00.000\r\n"
            + "2,\"line1\nline2, with comma\",0.75,1,2018-01-02T12:30:00Z\r\n"
            + "3,\"she said \"\"hi\"\"\",,true,2018-01-03\r\n"
            + "\"4,5\",x,1,1.0,2018-01-04 06:00:00+02:00\r\n");
        var mapping = new ColumnMapping { Timestamp = "ts", Id = "id" };

        var data = PredictionFileReader.Read(path, mapping, requireTargets: false, requirePredictions: true);

        Assert.Equal(4, data.Count);
        Assert.Equal(new[] { "1", "2", "3", "4,5" }, data.Ids!);
        Assert.Equal(0.25, data.Set.Scores[0]);
        Assert.Equal(0.75, data.Set.Scores[1]);
        Assert.True(double.IsNaN(data.Set.Scores[2]));
        Assert.Equal(1.0, data.Set.Scores[3]);
        Assert.Equal(new[] { 0.0, 1.0, 1.0, 1.0 }, data.Set.Predictions!);
        Assert.Equal(1, data.RowsMissingScore);
        Assert.Equal(
            [
                new DateTime(2018, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                new DateTime(2018, 1, 2, 12, 30, 0, DateTimeKind.Utc),
                new DateTime(2018, 1, 3, 0, 0, 0, DateTimeKind.Utc),
                new DateTime(2018, 1, 4, 4, 0, 0, DateTimeKind.Utc),
            ],
            data.Set.Timestamps!);
        Assert.All(data.Set.Timestamps!, t => Assert.Equal(DateTimeKind.Utc, t.Kind));
    }

    [Fact]
    public void Read_CountsMissingScoresAndKeepsNaN_WhenParquetScoresAreNullOrNaN()
    {
        var path = _files.WriteParquet(
            "missing.parquet",
            (new DataField<double?>("y_pred_proba"), new double?[] { 0.1, null, double.NaN, 0.9 }),
            (new DataField<double?>("y_pred"), new double?[] { 0, 1, null, double.NaN }));

        var data = PredictionFileReader.Read(path, new ColumnMapping(), requireTargets: false, requirePredictions: true);

        Assert.Equal(2, data.RowsMissingScore);
        Assert.Equal(2, data.RowsMissingPrediction);
        Assert.Equal(0.1, data.Set.Scores[0]);
        Assert.True(double.IsNaN(data.Set.Scores[1]));
        Assert.True(double.IsNaN(data.Set.Scores[2]));
        Assert.Equal(0.9, data.Set.Scores[3]);
        Assert.True(double.IsNaN(data.Set.Predictions![2]));
    }

    [Fact]
    public void Read_CountsMissingScores_WhenCsvScoresAreEmptyOrNan()
    {
        var path = _files.WriteText("missing.csv", "y_pred_proba,y_pred\n0.5,1\n,0\nNaN,\n0.25,0\n");

        var data = PredictionFileReader.Read(path, new ColumnMapping(), requireTargets: false, requirePredictions: true);

        Assert.Equal(2, data.RowsMissingScore);
        Assert.Equal(1, data.RowsMissingPrediction);
        Assert.Equal(4, data.Count);
    }

    [Fact]
    public void Read_AcceptsNarrowAndBooleanTypes_WhenParquetUsesThem()
    {
        var path = _files.WriteParquet(
            "types.parquet",
            (new DataField<int>("id"), new[] { 7, 8, 9 }),
            (new DataField<float>("y_pred_proba"), new[] { 0.5f, 0.25f, 1f }),
            (new DataField<short>("y_pred"), new short[] { 1, 0, 1 }),
            (new DataField<bool?>("y_true"), new bool?[] { true, null, false }),
            (new DateTimeDataField("ts", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis), new[]
            {
                new DateTime(2020, 5, 1, 10, 0, 0, DateTimeKind.Utc),
                new DateTime(2020, 5, 1, 11, 0, 0, DateTimeKind.Utc),
                new DateTime(2020, 5, 1, 12, 0, 0, DateTimeKind.Utc),
            }));
        var mapping = new ColumnMapping { YTrue = "y_true", Timestamp = "ts", Id = "id" };

        var data = PredictionFileReader.Read(path, mapping, requireTargets: true, requirePredictions: true);

        Assert.Equal(new[] { "7", "8", "9" }, data.Ids!);
        Assert.Equal(new[] { 0.5, 0.25, 1.0 }, data.Set.Scores);
        Assert.Equal(new[] { 1.0, 0.0, 1.0 }, data.Set.Predictions!);
        Assert.Equal(1.0, data.Set.Targets![0]);
        Assert.True(double.IsNaN(data.Set.Targets[1]));
        Assert.Equal(0.0, data.Set.Targets[2]);
        Assert.Equal(1, data.RowsMissingTarget);
        Assert.Equal(new DateTime(2020, 5, 1, 12, 0, 0, DateTimeKind.Utc), data.Set.Timestamps![2]);
    }

    [Fact]
    public void Read_AcceptsDecimalScoresAndStringTimestamps_WhenParquetUsesThem()
    {
        var path = _files.WriteParquet(
            "decimal.parquet",
            (new DataField<decimal>("y_pred_proba"), new[] { 0.125m, 0.875m }),
            (new DataField<string>("ts"), new[] { "2018-01-01 00:00:00.000", "2018-01-01 00:08:43.152" }));
        var mapping = new ColumnMapping { YPred = null, Timestamp = "ts" };

        var data = PredictionFileReader.Read(path, mapping, requireTargets: false, requirePredictions: false);

        Assert.Equal(new[] { 0.125, 0.875 }, data.Set.Scores);
        Assert.Null(data.Set.Predictions);
        Assert.Equal(new DateTime(2018, 1, 1, 0, 8, 43, 152, DateTimeKind.Utc), data.Set.Timestamps![1]);
    }

    [Fact]
    public void Read_ReturnsNoPredictions_WhenPredictionColumnIsAbsentAndNotRequired()
    {
        var path = _files.WriteText("scores-only.csv", "y_pred_proba\n0.5\n");

        var data = PredictionFileReader.Read(path, new ColumnMapping(), requireTargets: false, requirePredictions: false);

        Assert.Null(data.Set.Predictions);
        Assert.Null(data.Ids);
    }

    [Fact]
    public void Read_Throws_WhenTargetsRequiredButNotMapped()
    {
        var path = _files.WriteText("scores-only.csv", "y_pred_proba\n0.5\n");

        Assert.Throws<ArgumentException>(() => PredictionFileReader.Read(path, new ColumnMapping(), requireTargets: true, requirePredictions: false));
    }
}
