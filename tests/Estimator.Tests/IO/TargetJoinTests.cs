using Estimator.IO;
using Parquet.Schema;

namespace Estimator.Tests.IO;

public sealed class TargetJoinTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private PredictionData Analysis()
    {
        var path = _files.WriteParquet(
            "analysis.parquet",
            (new DataField<long>("id"), new[] { 10L, 11L, 12L, 13L }),
            (new DataField<double>("y_pred_proba"), new[] { 0.1, 0.6, 0.7, 0.2 }));
        return PredictionFileReader.Read(path, new ColumnMapping { YPred = null, Id = "id" }, requireTargets: false, requirePredictions: false);
    }

    [Fact]
    public void LeftJoin_KeepsEveryRowWithNaNForMissingTargets_WhenCsvStringIdsMeetInt64Ids()
    {
        var targets = _files.WriteText("targets.csv", "id,label\n12,1\n10,0\n99,1\n13,\n");

        var result = TargetJoin.LeftJoin(Analysis(), targets, "id", "label");

        Assert.Equal(4, result.Targets.Length);
        Assert.Equal(0.0, result.Targets[0]);
        Assert.True(double.IsNaN(result.Targets[1]));
        Assert.Equal(1.0, result.Targets[2]);
        Assert.True(double.IsNaN(result.Targets[3]));
        Assert.Equal(2, result.RowsWithoutTarget);
        Assert.Equal(1, result.UnmatchedTargetIds);
    }

    [Fact]
    public void LeftJoin_MatchesIds_WhenTargetIdsAreInt32()
    {
        var targets = _files.WriteParquet(
            "targets.parquet",
            (new DataField<int>("id"), new[] { 13, 12, 11, 10 }),
            (new DataField<bool>("label"), new[] { true, false, true, false }));

        var result = TargetJoin.LeftJoin(Analysis(), targets, "id", "label");

        Assert.Equal(new[] { 0.0, 1.0, 0.0, 1.0 }, result.Targets);
        Assert.Equal(0, result.RowsWithoutTarget);
        Assert.Equal(0, result.UnmatchedTargetIds);
    }

    [Fact]
    public void LeftJoin_ThrowsNamingIdAndFile_WhenTargetIdRepeats()
    {
        var targets = _files.WriteText("dupes.csv", "id,label\n10,1\n11,0\n10,0\n");

        var ex = Assert.Throws<EstimatorDataException>(() => TargetJoin.LeftJoin(Analysis(), targets, "id", "label"));

        Assert.Contains("dupes.csv", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'10'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("id", ex.Column);
        Assert.Equal(2, ex.Row);
    }

    [Fact]
    public void LeftJoin_Throws_WhenAnalysisHasNoIds()
    {
        var path = _files.WriteText("noid.csv", "y_pred_proba\n0.5\n");
        var analysis = PredictionFileReader.Read(path, new ColumnMapping { YPred = null }, requireTargets: false, requirePredictions: false);
        var targets = _files.WriteText("targets.csv", "id,label\n1,1\n");

        var ex = Assert.Throws<EstimatorDataException>(() => TargetJoin.LeftJoin(analysis, targets, "id", "label"));

        Assert.Contains("noid.csv", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no id column", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LeftJoin_ThrowsNamingRow_WhenTargetIsNotALabel()
    {
        var targets = _files.WriteText("bad.csv", "id,label\n10,1\n11,3\n");

        var ex = Assert.Throws<EstimatorDataException>(() => TargetJoin.LeftJoin(Analysis(), targets, "id", "label"));

        Assert.Equal("label", ex.Column);
        Assert.Equal(1, ex.Row);
        Assert.Contains("bad.csv", ex.Message, StringComparison.Ordinal);
    }
}
