using System.Text.Json;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Tests.IO;

namespace Estimator.Tests.Cli;

/// <summary>The README's C# quickstart, line for line, gives NannyML's numbers.</summary>
public sealed class ReadmeQuickstartTests
{
    [Fact]
    public void Quickstart_ProducesTheEstimateFrame()
    {
        var columns = new ColumnMapping { YTrue = "repaid", Timestamp = "timestamp" };
        var reference = PredictionFileReader.Read(TestFiles.CarLoan("reference.parquet"), columns, requireTargets: true, requirePredictions: true);
        var analysis = PredictionFileReader.Read(TestFiles.CarLoan("analysis.parquet"), columns, requireTargets: false, requirePredictions: true);
        var result = Cbpe.Fit(reference.Set, new CbpeOptions { Chunking = Chunking.BySize(5000) }).Estimate(analysis.Set, "car_loan");
        var frame = result.ToDataFrame();

        using var expected = JsonDocument.Parse(File.ReadAllText(TestFiles.Expected("chunk_size_5000")));
        var firstAnalysis = expected.RootElement.GetProperty("chunks")[10].GetProperty("metrics").GetProperty("roc_auc").GetProperty("estimated").GetDouble();
        Assert.Equal(20 * 6, frame.Rows.Count);
        Assert.Equal("analysis", frame["period"][60]);
        Assert.Equal("roc_auc", frame["metric"][60]);
        Assert.Equal(firstAnalysis, (double)frame["estimated"][60]!, 9);
    }
}
