using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.Estimation.Shift;
using Estimator.Metrics;
using Estimator.Scenarios.Shift;

namespace Estimator.Learning.Tests;

/// <summary>
/// A fitted shift-aware CBPE written to JSON and read back estimates bit for bit as the one fitted: every estimate,
/// sampling error, band, estimator name and effective sample size of every chunk, for each estimator and both domain
/// classifiers. A plain CBPE document still reads as plain CBPE.
/// </summary>
public sealed class ShiftAwareJsonTests
{
    private static readonly ShiftWorld SubgroupWorld = ShiftWorldGenerator.Generate(ShiftWorldFamily.CovariateShiftSubgroup, seed: 7, referenceRows: 10_000);

    private static readonly CbpeOptions Cbpe = new() { Metrics = [Metric.RocAuc, Metric.Precision, Metric.Recall, Metric.F1, Metric.Accuracy], Chunking = Chunking.BySize(5000) };

    [Theory]
    [InlineData(ShiftEstimator.Auto, DomainLearner.LogisticRegression)]
    [InlineData(ShiftEstimator.Weighted, DomainLearner.LogisticRegression)]
    [InlineData(ShiftEstimator.Prior, DomainLearner.LogisticRegression)]
    [InlineData(ShiftEstimator.Cbpe, DomainLearner.LogisticRegression)]
    [InlineData(ShiftEstimator.Auto, DomainLearner.GradientBoosting)]
    public void FromJson_EstimatesBitForBitAsTheFit_ForEveryEstimator(ShiftEstimator estimator, DomainLearner learner)
    {
        var options = new ShiftAwareCbpeOptions { Cbpe = Cbpe, Estimator = estimator, Features = ClassificationWorld.Features, Learner = learner };
        var fitted = new ShiftAwareCbpeCalculator(options).Fit(SubgroupWorld.Reference.ToModelData(withTargets: true), ComputeOptions.Default);

        var json = fitted.ToJson();
        var read = Assert.IsType<FittedShiftAwareCbpe>(CalculatorJson.FromJson(json));

        var analysis = SubgroupWorld.Analysis.ToModelData(withTargets: true);
        var before = fitted.Estimate(analysis, "m", ComputeOptions.Default);
        var after = read.Estimate(analysis, "m", ComputeOptions.Default);
        Assert.Equal(before.Rows.Count, after.Rows.Count);
        for (var i = 0; i < before.Rows.Count; i++)
        {
            // Records compare every member: bitwise-equal doubles (NaN equals NaN), the estimator and the ESS.
            Assert.Equal(before.Rows[i], after.Rows[i]);
        }

        Assert.Equal(before.Evidence.Select(e => e.Reason), after.Evidence.Select(e => e.Reason));
        Assert.Equal(options.Features, read.Options.Features);
        Assert.Equal((options.Estimator, options.Learner, options.WeightClip, options.Seed, options.Boosting), (read.Options.Estimator, read.Options.Learner, read.Options.WeightClip, read.Options.Seed, read.Options.Boosting));
        Assert.Equal(json, read.ToJson());
        if (estimator == ShiftEstimator.Auto)
        {
            // The world shifts toward the subgroup from chunk 4: the round trip is tested on chunks that left plain CBPE.
            Assert.Contains(after.Evidence, e => e.Estimator == ShiftEstimator.Weighted);
        }
    }

    [Fact]
    public void CalculateChunk_GivesTheRowsOfTheWholeEstimate_ForAChunkFormedByTheCaller()
    {
        var options = new ShiftAwareCbpeOptions { Cbpe = Cbpe, Estimator = ShiftEstimator.Auto, Features = ClassificationWorld.Features };
        var fitted = new ShiftAwareCbpeCalculator(options).Fit(SubgroupWorld.Reference.ToModelData(withTargets: true), ComputeOptions.Default);
        var analysis = SubgroupWorld.Analysis.ToModelData(withTargets: true);
        var whole = fitted.Estimate(analysis, "m", ComputeOptions.Default).Rows.Where(r => r.Period == Period.Analysis && r.Chunk.Index == 7).ToList();

        var chunk = whole[0].Chunk;
        var rows = new ModelData(5000, analysis.Timestamps!.AsSpan(35_000, 5000).ToArray())
        {
            Scores = analysis.Scores!.AsSpan(35_000, 5000).ToArray(),
            Predictions = analysis.Predictions!.AsSpan(35_000, 5000).ToArray(),
            Targets = analysis.Targets!.AsSpan(35_000, 5000).ToArray(),
            Features = [.. analysis.Features.Select(f => f.Slice(35_000, 5000))],
        };
        var alone = ((IFittedCalculator)fitted).CalculateChunk(rows, chunk);

        Assert.Equal(whole, alone);
        Assert.All(alone, r => Assert.Equal("weighted", r.Estimator));
    }

    [Fact]
    public void FromJson_ReadsAPlainCbpeDocumentAsPlainCbpe()
    {
        var plain = Estimator.Estimation.Cbpe.Fit(SubgroupWorld.Reference.ToModelData(withTargets: true).ToPredictionSet(), Cbpe);

        var read = CalculatorJson.FromJson(plain.ToJson());

        Assert.IsType<FittedCbpe>(read);
        Assert.Equal(plain.ToJson(), read.ToJson());
    }

    [Fact]
    public void FromJson_RefusesADamagedReference_AsBadData()
    {
        var options = new ShiftAwareCbpeOptions { Cbpe = Cbpe, Estimator = ShiftEstimator.Prior, Features = ClassificationWorld.Features };
        var json = new ShiftAwareCbpeCalculator(options).Fit(SubgroupWorld.Reference.ToModelData(withTargets: true), ComputeOptions.Default).ToJson();

        var damaged = json.Replace("\"estimator\": \"prior\"", "\"estimator\": \"oracle\"", StringComparison.Ordinal);

        Assert.NotEqual(json, damaged);
        var e = Assert.Throws<EstimatorDataException>(() => CalculatorJson.FromJson(damaged));
        Assert.Contains("oracle", e.Message, StringComparison.Ordinal);
    }
}
