using Estimator.IO;

namespace Estimator.Tests.IO;

/// <summary>
/// Reads the bundled NannyML car-loan Parquet files. Expected numbers come from NannyML's CSV export of the same data
/// (/work/shared/reference/nannyml-0.13.1/synthetic_car_loan/*.csv), counted with awk.
/// </summary>
public sealed class CarLoanReadTests
{
    private static readonly ColumnMapping Mapping = new() { YTrue = "repaid", Timestamp = "timestamp", Id = "id" };

    [Fact]
    public void Read_ReturnsAllRowsAndLabels_WhenReadingReferenceParquet()
    {
        var data = PredictionFileReader.Read(TestFiles.CarLoan("reference.parquet"), Mapping, requireTargets: true, requirePredictions: true);

        Assert.Equal(50_000, data.Count);
        Assert.Equal("0", data.Ids![0]);
        Assert.Equal("49999", data.Ids[^1]);
        Assert.Equal(24_979, data.Set.Targets!.Count(t => t == 1.0));
        Assert.Equal(50_000 - 24_979, data.Set.Targets!.Count(t => t == 0.0));
        Assert.Equal(24_253, data.Set.Predictions!.Count(p => p == 1.0));
        Assert.Equal(24_944.91, data.Set.Scores.Sum(), 6);
        Assert.Equal(0.99, data.Set.Scores[0]);
        Assert.Equal(0.07, data.Set.Scores[1]);
        Assert.Equal(0, data.RowsMissingScore);
        Assert.Equal(0, data.RowsMissingTarget);
    }

    [Fact]
    public void Read_ReturnsUtcTimestamps_WhenParquetTimestampIsNaive()
    {
        var data = PredictionFileReader.Read(TestFiles.CarLoan("reference.parquet"), Mapping, requireTargets: true, requirePredictions: true);

        var first = data.Set.Timestamps![0];
        Assert.Equal(new DateTime(2018, 1, 1, 0, 0, 0, DateTimeKind.Utc), first);
        Assert.Equal(DateTimeKind.Utc, first.Kind);
        Assert.Equal(new DateTime(2018, 10, 30, 17, 51, 16, 848, DateTimeKind.Utc), data.Set.Timestamps[^1]);
    }

    [Fact]
    public void Read_ReturnsNoTargets_WhenTargetColumnIsAbsentAndNotRequired()
    {
        var data = PredictionFileReader.Read(TestFiles.CarLoan("analysis.parquet"), Mapping, requireTargets: false, requirePredictions: true);

        Assert.Equal(50_000, data.Count);
        Assert.Null(data.Set.Targets);
        Assert.Equal("50000", data.Ids![0]);
        Assert.Equal("99999", data.Ids[^1]);
        Assert.Equal(24_348, data.Set.Predictions!.Count(p => p == 1.0));
        Assert.Equal(new DateTime(2019, 8, 29, 11, 51, 16, 848, DateTimeKind.Utc), data.Set.Timestamps![^1]);
    }

    [Fact]
    public void Read_Throws_WhenTargetColumnIsAbsentAndRequired()
    {
        var path = TestFiles.CarLoan("analysis.parquet");

        var ex = Assert.Throws<EstimatorDataException>(() => PredictionFileReader.Read(path, Mapping, requireTargets: true, requirePredictions: true));

        Assert.Equal("repaid", ex.Column);
        Assert.Contains("analysis.parquet", ex.Message, StringComparison.Ordinal);
        Assert.Contains("available columns: id, car_value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LeftJoin_FillsEveryAnalysisRow_WhenJoiningCarLoanTargets()
    {
        var analysis = PredictionFileReader.Read(TestFiles.CarLoan("analysis.parquet"), Mapping, requireTargets: false, requirePredictions: true);

        var joined = TargetJoin.LeftJoin(analysis, TestFiles.CarLoan("analysis_targets.parquet"), "id", "repaid");

        Assert.Equal(0, joined.RowsWithoutTarget);
        Assert.Equal(0, joined.UnmatchedTargetIds);
        Assert.Equal(25_034, joined.Targets.Count(t => t == 1.0));
        Assert.Equal(1.0, joined.Targets[0]);
        Assert.Equal(0.0, joined.Targets[^1]);
        var withTargets = analysis.WithTargets(joined.Targets);
        Assert.Same(joined.Targets, withTargets.Set.Targets);
    }
}
