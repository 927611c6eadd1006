using Estimator.Estimation.Multiclass;
using Estimator.IO;
using Estimator.Tests.Cli;

namespace Estimator.Tests.IO;

public sealed class MulticlassDataFrameTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void ToDataFrame_AddsTheClassColumn_WhenAResultHasPerClassRows()
    {
        var columns = new ColumnMapping { ClassScores = ClassScoreColumns.Parse(CreditCardFiles.ShuffledScoreArgument), YPred = "y_pred", YTrue = "y_true", Timestamp = "timestamp" };
        var reference = MulticlassFileReader.Read(CreditCardFiles.Reference.WriteCsv(files, "reference.csv"), columns, requireTargets: true, requirePredictions: true);
        var fitted = new MulticlassCbpeCalculator(new MulticlassCbpeOptions { Chunking = Chunking.BySize(6000), PerClassRows = true }).Fit(reference.Data);
        var result = fitted.Estimate(reference.Data, "credit_card");

        var frame = result.ToDataFrame();

        // The estimate file's columns, then class (the last), null on the macro rows.
        Assert.Equal("targets_missing_rate", frame.Columns[^2].Name);
        Assert.Equal("class", frame.Columns[^1].Name);
        Assert.Equal(result.Rows.Count, frame.Rows.Count);
        var perClass = 0;
        for (var i = 0; i < result.Rows.Count; i++)
        {
            Assert.Equal(result.Rows[i].Class, (string?)frame["class"][i]);
            Assert.Equal(result.Rows[i].Metric, (string)frame["metric"][i]);
            perClass += result.Rows[i].Class is null ? 0 : 1;
        }

        Assert.True(perClass > 0 && perClass < result.Rows.Count, $"{perClass} of {result.Rows.Count} rows are per class");
        Assert.Equal(CreditCardFiles.Classes.Order(StringComparer.Ordinal), result.Rows.Select(r => r.Class).OfType<string>().Distinct().Order(StringComparer.Ordinal));
    }
}
