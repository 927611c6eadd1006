using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.Metrics;
using Estimator.Tests.Golden;

namespace Estimator.Tests.Estimation;

public sealed class CbpeTests
{
    private static readonly Metric[] AllMetrics =
    [
        Metric.RocAuc, Metric.Precision, Metric.Recall, Metric.F1, Metric.Accuracy, Metric.Specificity,
        Metric.AveragePrecision, Metric.ConfusionMatrix, Metric.BusinessValue,
    ];

    /// <summary>Scores that are true probabilities: y ~ Bernoulli(s), ŷ = 1[s ≥ 0.5].</summary>
    private static PredictionSet Calibrated(int n, int seed, double shift = 0)
    {
        var random = new Random(seed);
        var s = new double[n];
        var yHat = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            // A Beta-like mix pushed towards confident scores; shift moves the mix (covariate shift, P(y|s) fixed).
            var u = random.NextDouble();
            s[i] = Math.Clamp((u * u * (3 - (2 * u))) + shift, 0, 1);
            y[i] = random.NextDouble() < s[i] ? 1 : 0;
            yHat[i] = s[i] >= 0.5 ? 1 : 0;
        }

        return new PredictionSet(s, yHat, y);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.15)]
    public void Estimate_TracksRealized_WhenScoresAreCalibrated(double shift)
    {
        var options = new CbpeOptions
        {
            Metrics = AllMetrics,
            Chunking = Chunking.BySize(5000),
            Calibration = CalibrationMode.Never,
            BusinessValueMatrix = new BusinessValueMatrix(0, -1, -5, 3),
            ConfusionMatrixNormalization = ConfusionMatrixNormalization.All,
        };
        var fitted = Cbpe.Fit(Calibrated(50_000, 1), options);

        var result = fitted.Estimate(Calibrated(50_000, 2, shift));

        var analysis = result.Rows.Where(r => r.Period == Period.Analysis).ToList();
        Assert.Equal(10 * 12, analysis.Count);
        var inside = analysis.Count(r => r.Realized >= r.LowerConfidenceBound && r.Realized <= r.UpperConfidenceBound);
        // ±3σ bands hold ~99.7 % of the time when CBPE's assumptions hold; allow a few misses for the band's approximations.
        Assert.True(inside >= analysis.Count - 4, $"only {inside} of {analysis.Count} realized values inside the band");
        Assert.All(analysis.Where(r => r.Metric is "roc_auc" or "accuracy" or "f1"), r => Assert.InRange(Math.Abs(r.Estimated - r.Realized!.Value), 0, 0.03));
    }

    [Fact]
    public void Estimate_ValuesStayInRange_ForBoundedMetrics()
    {
        var fitted = Cbpe.Fit(CarLoanFixture.Reference, new CbpeOptions { Metrics = AllMetrics[..7], Chunking = Chunking.ByNumber(7) });

        var result = fitted.Estimate(CarLoanFixture.Analysis);

        Assert.All(result.Rows, r =>
        {
            Assert.InRange(r.Estimated, 0, 1);
            Assert.InRange(r.LowerConfidenceBound, 0, r.Estimated);
            Assert.InRange(r.UpperConfidenceBound, r.Estimated, 1);
        });
    }

    [Fact]
    public void FittedCbpe_RoundTripsThroughJson_WithIdenticalEstimates()
    {
        var options = new CbpeOptions
        {
            Metrics = AllMetrics,
            Chunking = Chunking.BySize(5000, IncompleteChunk.Append),
            BusinessValueMatrix = new BusinessValueMatrix(2, -5, -10, 10),
            NormalizeBusinessValuePerPrediction = true,
            ConfusionMatrixNormalization = ConfusionMatrixNormalization.Pred,
            Thresholds = new Dictionary<Metric, Estimator.Thresholds.Threshold> { [Metric.RocAuc] = Estimator.Thresholds.Threshold.Constant(0.9, null) },
        };
        var fitted = Cbpe.Fit(CarLoanFixture.Reference, options);

        var json = fitted.ToJson();
        var reloaded = FittedCbpe.FromJson(json);

        var a = fitted.Estimate(CarLoanFixture.Analysis).Rows;
        var b = reloaded.Estimate(CarLoanFixture.Analysis).Rows;
        Assert.Equal(a, b);
        Assert.Equal(json, reloaded.ToJson());
        Assert.Equal(0.9, reloaded.Components.Single(c => c.Name == "roc_auc").LowerThreshold);
    }

    [Fact]
    public void FromJson_Throws_OnForeignText()
    {
        Assert.Throws<EstimatorDataException>(() => FittedCbpe.FromJson("{\"format_version\": 99}"));
        Assert.Throws<EstimatorDataException>(() => FittedCbpe.FromJson("not json"));
    }

    [Fact]
    public void Estimate_DropsMissingScores_AndCountsThem()
    {
        var fitted = Cbpe.Fit(Calibrated(10_000, 3), new CbpeOptions { Chunking = Chunking.BySize(1000), Calibration = CalibrationMode.Never });
        var analysis = Calibrated(2000, 4);
        var scores = (double[])analysis.Scores.Clone();
        for (var i = 0; i < 100; i++)
        {
            scores[i * 2] = double.NaN;
        }

        var result = fitted.Estimate(new PredictionSet(scores, analysis.Predictions, analysis.Targets));

        Assert.Equal(100, result.RowsMissingScore);
        var first = result.Rows.First(r => r.Period == Period.Analysis && r.Metric == "precision");
        var full = result.Rows.Last(r => r.Period == Period.Analysis && r.Metric == "precision");
        // Chunk 0 lost 100 rows, so its sampling error is √(1000/900) times chunk 1's.
        Assert.Equal(full.SamplingError * Math.Sqrt(1000.0 / 900), first.SamplingError, 12);
        Assert.False(double.IsNaN(first.Estimated));
    }

    [Fact]
    public void Estimate_ReportsTargetsMissingRate_ForPartialLabels()
    {
        var fitted = Cbpe.Fit(Calibrated(10_000, 3), new CbpeOptions { Chunking = Chunking.BySize(1000), Calibration = CalibrationMode.Never });
        var analysis = Calibrated(2000, 4);
        var targets = (double[])analysis.Targets!.Clone();
        for (var i = 0; i < 250; i++)
        {
            targets[i] = double.NaN;
        }

        var rows = fitted.Estimate(analysis.WithTargets(targets)).Rows.Where(r => r.Period == Period.Analysis).ToList();

        Assert.All(rows.Where(r => r.Chunk.Index == 0), r => Assert.Equal(0.25, r.TargetsMissingRate));
        Assert.All(rows.Where(r => r.Chunk.Index == 1), r => Assert.Equal(0, r.TargetsMissingRate));
    }

    [Fact]
    public void Fit_Throws_WhenReferenceHasOneClass()
    {
        var set = new PredictionSet([0.2, 0.7, 0.9], [0, 1, 1], [1, 1, 1]);

        var e = Assert.Throws<EstimatorDataException>(() => Cbpe.Fit(set));

        Assert.Contains("both classes", e.Message, StringComparison.Ordinal);
        Assert.Equal("y_true", e.Column);
    }

    [Fact]
    public void Fit_Throws_WhenReferenceIsEmpty()
    {
        var e = Assert.Throws<EstimatorDataException>(() => Cbpe.Fit(new PredictionSet([], [], [])));

        Assert.Contains("no rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_NamesRow_WhenScoreOutOfRange()
    {
        var set = new PredictionSet([0.2, 1.5, 0.9], [0, 1, 1], [0, 1, 1]);

        var e = Assert.Throws<EstimatorDataException>(() => Cbpe.Fit(set));

        Assert.Equal(1, e.Row);
        Assert.Equal("y_pred_proba", e.Column);
    }

    [Fact]
    public void Fit_NamesRow_WhenLabelIsNotBinary()
    {
        var set = new PredictionSet([0.2, 0.5, 0.9], [0, 2, 1], [0, 1, 1]);

        var e = Assert.Throws<EstimatorDataException>(() => Cbpe.Fit(set));

        Assert.Equal(1, e.Row);
        Assert.Equal("y_pred", e.Column);
    }

    [Fact]
    public void Fit_Throws_WhenMetricsNeedPredictionsAndNoneGiven()
    {
        var set = new PredictionSet([0.2, 0.5, 0.9], null, [0, 1, 1]);

        Assert.Throws<EstimatorDataException>(() => Cbpe.Fit(set, new CbpeOptions { Metrics = [Metric.Precision] }));
    }

    [Fact]
    public void Fit_WorksWithoutPredictions_ForScoreMetrics()
    {
        var reference = Calibrated(5000, 5);
        var set = new PredictionSet(reference.Scores, null, reference.Targets);

        var fitted = Cbpe.Fit(set, new CbpeOptions { Metrics = [Metric.RocAuc, Metric.AveragePrecision], Chunking = Chunking.BySize(1000) });

        Assert.Equal(10, fitted.ReferenceRows.Count);
    }

    [Fact]
    public void Estimate_Throws_WhenPeriodChunkingAndNoTimestamps()
    {
        var reference = CarLoanFixture.Reference;
        var fitted = Cbpe.Fit(reference, new CbpeOptions { Chunking = Chunking.ByPeriod(ChunkPeriod.Month) });
        var analysis = new PredictionSet(reference.Scores, reference.Predictions);

        Assert.Throws<EstimatorDataException>(() => fitted.Estimate(analysis));
    }

    [Fact]
    public void Fit_Throws_OnDuplicateMetricOrMissingBusinessMatrix()
    {
        var reference = Calibrated(1000, 6);

        Assert.Throws<ArgumentException>(() => Cbpe.Fit(reference, new CbpeOptions { Metrics = [Metric.F1, Metric.F1] }));
        Assert.Throws<ArgumentException>(() => Cbpe.Fit(reference, new CbpeOptions { Metrics = [Metric.BusinessValue] }));
    }

    [Fact]
    public void Estimate_SortsByTimestamp_BeforeChunking()
    {
        var reference = CarLoanFixture.Reference;
        var fitted = Cbpe.Fit(reference, new CbpeOptions { Chunking = Chunking.BySize(5000), Calibration = CalibrationMode.Never });
        var analysis = CarLoanFixture.Analysis;
        var reversed = new PredictionSet(
            analysis.Scores.Reverse().ToArray(),
            analysis.Predictions!.Reverse().ToArray(),
            analysis.Targets!.Reverse().ToArray(),
            analysis.Timestamps!.Reverse().ToArray());

        var a = fitted.Estimate(analysis).Rows;
        var b = fitted.Estimate(reversed).Rows;

        Assert.Equal(a.Select(r => (r.Chunk.Key, r.Estimated, r.Realized)), b.Select(r => (r.Chunk.Key, r.Estimated, r.Realized)));
    }

    [Fact]
    public void Estimate_ConfusionMatrix_EmitsFourComponents_WithCountLimits()
    {
        var fitted = Cbpe.Fit(CarLoanFixture.Reference, new CbpeOptions { Metrics = [Metric.ConfusionMatrix], Chunking = Chunking.BySize(5000) });

        var rows = fitted.Estimate(CarLoanFixture.Analysis).Rows.Where(r => r.Chunk.Index == 0 && r.Period == Period.Analysis).ToList();

        Assert.Equal(MetricNames.ConfusionMatrixComponents, rows.Select(r => r.Metric));
        Assert.Equal(5000, rows.Sum(r => r.Estimated), 6);
        Assert.Equal(5000, rows.Sum(r => r.Realized!.Value), 6);
        Assert.All(rows, r => Assert.True(r.UpperConfidenceBound > r.Estimated));
    }
}
