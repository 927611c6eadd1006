using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Learning;
using Estimator.Scenarios;
using Microsoft.Data.Analysis;

namespace Estimator.Tests.IO;

/// <summary>The notebook entry for regression models: files and data frames in, the same rows as DLE on the columns directly.</summary>
public sealed class DleDataTests : IDisposable
{
    private static readonly DleOptions Options = new()
    {
        Metrics = [DleMetric.Mae, DleMetric.Rmse],
        Features = ["x1", "x2", "x3", "g"],
        Chunking = Chunking.BySize(400),
        Boosting = new BoostingSettings(Trees: 30),
    };

    private static readonly ColumnMapping Mapping = new() { YPred = "y_pred", YTrue = "y_true", Timestamp = "timestamp", Id = "id" };

    private readonly TestFiles files = new();
    private readonly RegressionScenarioData world;

    public DleDataTests()
    {
        world = RegressionScenarioGenerator.Generate(Scenario.RegressionCovariateShift, new ScenarioOptions { ReferenceRows = 3000, AnalysisRows = 2400, Seed = 4 });
        RegressionScenarioFileWriter.Write(world, files.Directory);
    }

    public void Dispose() => files.Dispose();

    [Fact]
    public void FitAndEstimate_FromFiles_GiveTheRowsOfDleOnTheColumns_WithTargetsJoinedById()
    {
        var fitted = DleData.Fit(files.PathOf("reference.parquet"), Mapping, Options);
        var result = fitted.Estimate(files.PathOf("analysis.parquet"), Mapping, "house", files.PathOf("analysis_targets.parquet"));

        var direct = new DleCalculator(Options).FitDle(world.Reference.ToModelData(withTargets: true), ComputeOptions.Serial)
            .Calculate(world.Analysis.ToModelData(withTargets: true), "house", ComputeOptions.Serial);
        AssertSameRows(direct, result);
        Assert.Equal(2 * (8 + 6), result.Rows.Count); // 2 metrics × (7 whole reference chunks and the 200 rows kept as an 8th, 6 analysis chunks)
    }

    [Fact]
    public void Estimate_FromAFileWithoutTargets_HasNoRealizedValues()
    {
        var fitted = DleData.Fit(files.PathOf("reference.parquet"), Mapping, Options);
        var result = fitted.Estimate(files.PathOf("analysis.parquet"), Mapping, "house");
        var analysis = result.Rows.Where(r => r.Period == Period.Analysis).ToList();
        Assert.Equal(12, analysis.Count);
        Assert.All(analysis, r => Assert.Null(r.Realized));
        Assert.All(analysis, r => Assert.True(double.IsFinite(r.Estimated) && r.Estimated > 0));
    }

    [Fact]
    public void Estimate_RealizedMae_IsTheMeanAbsoluteErrorOfEachChunk()
    {
        var result = DleData.Fit(files.PathOf("reference.parquet"), Mapping, Options)
            .Estimate(files.PathOf("analysis.parquet"), Mapping, "house", files.PathOf("analysis_targets.parquet"));
        var mae = result.Rows.Where(r => r.Period == Period.Analysis && r.Metric == "mae").ToList();
        var a = world.Analysis;
        for (var c = 0; c < 6; c++)
        {
            var expected = Enumerable.Range(c * 400, 400).Average(i => Math.Abs(a.Targets[i] - a.Predictions[i]));
            Assert.Equal(expected, mae[c].Realized!.Value, 12);
        }
    }

    [Fact]
    public void FitAndEstimate_FromDataFrames_GiveTheRowsOfDleOnTheColumns()
    {
        var fitted = DleData.Fit(Frame(world.Reference), Mapping, Options);
        var result = fitted.Estimate(Frame(world.Analysis), Mapping, "house");

        var direct = new DleCalculator(Options).FitDle(world.Reference.ToModelData(withTargets: true), ComputeOptions.Serial)
            .Calculate(world.Analysis.ToModelData(withTargets: true), "house", ComputeOptions.Serial);
        AssertSameRows(direct, result);

        // The long-format frame has a row per chunk × metric with the estimate file's columns.
        var frame = result.ToDataFrame();
        Assert.Equal(result.Rows.Count, frame.Rows.Count);
        Assert.Equal(result.Rows[^1].Estimated, (double)frame["estimated"][frame.Rows.Count - 1]!);
        Assert.Equal("rmse", (string)frame["metric"][frame.Rows.Count - 1]!);
    }

    [Fact]
    public void Estimate_Throws_WhenTargetsAreGivenWithoutAnIdColumn()
    {
        var fitted = DleData.Fit(files.PathOf("reference.parquet"), Mapping, Options);
        Assert.Throws<ArgumentException>(() => fitted.Estimate(files.PathOf("analysis.parquet"), Mapping with { Id = null }, "house", files.PathOf("analysis_targets.parquet")));
    }

    [Fact]
    public void Fit_NamesTheColumn_WhenAFeatureIsMissing()
    {
        var e = Assert.Throws<EstimatorDataException>(() => DleData.Fit(files.PathOf("reference.parquet"), Mapping, Options with { Features = ["x1", "x9"] }));
        Assert.Contains("x9", e.Message, StringComparison.Ordinal);
    }

    private static void AssertSameRows(CalculatorResult expected, CalculatorResult actual)
    {
        Assert.Equal(expected.Model, actual.Model);
        Assert.Equal(expected.Rows.Count, actual.Rows.Count);
        for (var i = 0; i < expected.Rows.Count; i++)
        {
            var (e, a) = (expected.Rows[i], actual.Rows[i]);
            Assert.Equal((e.Period, e.Metric, e.Chunk.Key), (a.Period, a.Metric, a.Chunk.Key));
            Assert.Equal(e.Estimated, a.Estimated, 12);
            Assert.Equal(e.SamplingError, a.SamplingError, 12);
            Assert.Equal(e.LowerThreshold, a.LowerThreshold);
            Assert.Equal(e.UpperThreshold, a.UpperThreshold);
            Assert.Equal(e.Alert, a.Alert);
            Assert.Equal(e.Realized, a.Realized);
        }
    }

    private static DataFrame Frame(RegressionScenarioPeriod period) => new(
        new PrimitiveDataFrameColumn<DateTime>("timestamp", period.Timestamps),
        new DoubleDataFrameColumn("x1", period.Features[0]),
        new DoubleDataFrameColumn("x2", period.Features[1]),
        new DoubleDataFrameColumn("x3", period.Features[2]),
        new StringDataFrameColumn("g", period.Groups),
        new DoubleDataFrameColumn("y_pred", period.Predictions),
        new DoubleDataFrameColumn("y_true", period.Targets));
}
