using Estimator.Calculators;
using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.Estimation.Multiclass;
using Estimator.Metrics;

namespace Estimator.Tests.Multiclass;

public sealed class MulticlassCbpeTests
{
    private static readonly MulticlassCbpeOptions BySize6000 = new() { Chunking = Chunking.BySize(6000) };

    private static readonly Lazy<FittedMulticlassCbpe> LazyFitted = new(() => new MulticlassCbpeCalculator(BySize6000).Fit(CreditCardFixture.Reference));

    [Fact]
    public void ToJson_RoundTripsThroughTheRegistry_WithIdenticalEstimates()
    {
        var fitted = LazyFitted.Value;

        var json = fitted.ToJson();
        var read = CalculatorJson.FromJson(json);

        Assert.Equal(CalculatorKind.MulticlassCbpe, CalculatorJson.KindOf(json));
        var back = Assert.IsType<FittedMulticlassCbpe>(read);
        Assert.Equal(fitted.Classes, back.Classes);
        Assert.Equal(fitted.Calibration, back.Calibration);
        Assert.Equal(fitted.ReferenceRows, back.ReferenceRows);
        Assert.Equal(json, back.ToJson());
        var analysis = CreditCardFixture.Analysis;
        Assert.Equal(fitted.Estimate(analysis).Rows, back.Estimate(analysis).Rows);
    }

    [Fact]
    public void FromJson_Throws_WhenTheDocumentIsNotMulticlass()
    {
        Assert.Throws<EstimatorDataException>(() => FittedMulticlassCbpe.FromJson("{\"kind\":\"multiclass_cbpe\",\"format_version\":99}"));
        Assert.Throws<EstimatorDataException>(() => FittedMulticlassCbpe.FromJson("not json"));
    }

    [Fact]
    public void Estimate_IsTheSame_WhateverOrderTheScoreColumnsComeIn()
    {
        // NannyML #346 matched score columns to classes by sorted column name; here they are matched by class name.
        string[] sorted = ["highstreet_card", "prepaid_card", "upmarket_card"];
        string[] shuffled = ["upmarket_card", "prepaid_card", "highstreet_card"];
        var reference = CreditCardFixture.ReferenceTable;
        var analysis = CreditCardFixture.AnalysisTable;

        var a = new MulticlassCbpeCalculator(BySize6000).Fit(reference.ToModelData(sorted), ComputeOptions.Serial).Estimate(analysis.ToModelData(shuffled));
        var b = new MulticlassCbpeCalculator(BySize6000).Fit(reference.ToModelData(shuffled), ComputeOptions.Serial).Estimate(analysis.ToModelData(sorted));

        Assert.Equal(a.Rows, b.Rows);
        Assert.Equal(sorted, a.Classes);
    }

    [Fact]
    public void Estimate_IsIdentical_WhateverTheThreads()
    {
        var serial = new MulticlassCbpeCalculator(BySize6000).Fit(CreditCardFixture.Reference, ComputeOptions.Serial);
        var parallel = new MulticlassCbpeCalculator(BySize6000).Fit(CreditCardFixture.Reference, new ComputeOptions { MaxDegreeOfParallelism = 4 });

        Assert.Equal(serial.ReferenceRows, parallel.ReferenceRows);
        Assert.Equal(serial.Estimate(CreditCardFixture.Analysis, compute: ComputeOptions.Serial).Rows, parallel.Estimate(CreditCardFixture.Analysis, compute: new ComputeOptions { MaxDegreeOfParallelism = 4 }).Rows);
    }

    [Fact]
    public void EstimateChunk_EqualsTheBatchRows_ForTheSameChunk()
    {
        var fitted = LazyFitted.Value;
        var analysis = CreditCardFixture.Analysis;
        var batch = fitted.Estimate(analysis).Rows.Where(r => r.Period == Period.Analysis).ToList();
        var chunk = batch[0].Chunk;

        IFittedCalculator seam = fitted;
        var rows = seam.CalculateChunk(analysis.Slice((int)chunk.StartIndex, (int)chunk.Rows), chunk);

        Assert.Equal(batch.Where(r => r.Chunk == chunk), rows);
    }

    [Fact]
    public void Estimate_WithoutTargets_HasNoRealizedValues_AndTheSameEstimates()
    {
        var fitted = LazyFitted.Value;

        var with = fitted.Estimate(CreditCardFixture.Analysis);
        var without = fitted.Estimate(CreditCardFixture.Analysis.WithTargets(null));

        Assert.Equal(with.Rows.Select(r => r.Estimated), without.Rows.Select(r => r.Estimated));
        Assert.All(without.Rows.Where(r => r.Period == Period.Analysis), r => Assert.Null(r.Realized));
        Assert.Equal(0, with.RowsScoreSumOff);
    }

    [Fact]
    public void Fit_Throws_WhenALabelIsNotAmongTheMappedClasses()
    {
        var e = Assert.Throws<EstimatorDataException>(() => ClassLabels.Encode(["a", "b", "c"], ["a", "gold_card", "c"], "y_true"));
        Assert.Contains("gold_card", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.Row);

        var data = Small(targets: [0, 1, 3, 2]);
        var index = Assert.Throws<EstimatorDataException>(() => new MulticlassCbpeCalculator().Fit(data));
        Assert.Equal("y_true", index.Column);
        Assert.Equal(2, index.Row);
    }

    [Fact]
    public void Fit_Throws_WhenTheReferenceHoldsFewerThanTwoClasses()
    {
        var e = Assert.Throws<EstimatorDataException>(() => new MulticlassCbpeCalculator().Fit(Small(targets: [1, 1, 1, 1])));
        Assert.Contains("at least two classes", e.Message, StringComparison.Ordinal);

        var single = new ModelData(2) { Classes = ["a"], ClassScores = [[1.0, 1.0]], Predictions = [0, 0], Targets = [0, 0] };
        Assert.Throws<EstimatorDataException>(() => new MulticlassCbpeCalculator().Fit(single));
    }

    [Fact]
    public void Fit_Throws_WhenAClassNeverOccursInTheReferenceTargets()
    {
        var e = Assert.Throws<EstimatorDataException>(() => new MulticlassCbpeCalculator().Fit(Small(targets: [0, 1, 0, 1])));
        Assert.Contains("'c'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_Throws_WhenLengthsOrColumnsDoNotMatch()
    {
        Assert.Throws<ArgumentException>(() => new ModelData(3) { ClassScores = [[0.5, 0.5]] });
        Assert.Throws<ArgumentException>(() => new ModelData(3) { Targets = [0, 1] });
        var twoNamesThreeColumns = new ModelData(1) { Classes = ["a", "b"], ClassScores = [[0.2], [0.3], [0.5]], Predictions = [0], Targets = [0] };
        Assert.Throws<ArgumentException>(() => new MulticlassCbpeCalculator().Fit(twoNamesThreeColumns));

        var fitted = LazyFitted.Value;
        var missingClass = new ModelData(1) { Classes = ["prepaid_card", "highstreet_card"], ClassScores = [[0.5], [0.5]], Predictions = [0] };
        var e = Assert.Throws<EstimatorDataException>(() => fitted.Estimate(missingClass));
        Assert.Contains("upmarket_card", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_Throws_OnAScoreOutsideTheUnitInterval_OrAnUnsupportedMetric()
    {
        var data = Small(targets: [0, 1, 2, 0]);
        var bad = new ModelData(4) { Classes = data.Classes, ClassScores = [data.ClassScores![0], [0.2, 1.5, 0.1, 0.3], data.ClassScores[2]], Predictions = data.Predictions, Targets = data.Targets };
        Assert.Equal(1, Assert.Throws<EstimatorDataException>(() => new MulticlassCbpeCalculator().Fit(bad)).Row);
        Assert.Throws<ArgumentException>(() => new MulticlassCbpeCalculator(new MulticlassCbpeOptions { Metrics = [Metric.BusinessValue] }).Fit(data));
    }

    [Fact]
    public void Estimate_ConfusionMatrix_IsTheExpectedCountPerCell_ComputedByHand()
    {
        // Three classes, probabilities used as they are (no calibration; rows already sum to 1), one chunk.
        double[][] p = [[0.7, 0.1, 0.2, 0.3, 0.5, 0.1], [0.2, 0.8, 0.1, 0.3, 0.25, 0.6], [0.1, 0.1, 0.7, 0.4, 0.25, 0.3]];
        double[] predicted = [0, 1, 2, 2, 0, 1];
        double[] actual = [0, 1, 2, 1, 2, 0];
        var data = new ModelData(6) { Classes = ["a", "b", "c"], ClassScores = p, Predictions = predicted, Targets = actual };
        var options = new MulticlassCbpeOptions { Metrics = [Metric.ConfusionMatrix, Metric.Accuracy], Calibration = CalibrationMode.Never, Chunking = Chunking.ByNumber(1) };

        var rows = new MulticlassCbpeCalculator(options).Fit(data, ComputeOptions.Serial).ReferenceRows;

        Assert.Equal(10, rows.Count);
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                var row = rows[(i * 3) + j];
                Assert.Equal($"true_{"abc"[i]}_pred_{"abc"[j]}", row.Metric);
                double expected = 0, count = 0;
                for (var r = 0; r < 6; r++)
                {
                    expected += predicted[r] == j ? p[i][r] : 0;
                    count += actual[r] == i && predicted[r] == j ? 1 : 0;
                }

                Assert.Equal(expected, row.Estimated, 12);
                Assert.Equal(count, row.Realized);

                // Counts: σ·√n with σ the std of the cell's indicator over the reference rows.
                var q = count / 6;
                Assert.Equal(Math.Sqrt(q * (1 - q)) * Math.Sqrt(6), row.SamplingError, 12);

                // One reference chunk: no spread to set thresholds from, so none (NannyML collapses both onto the count).
                Assert.Null(row.LowerThreshold);
                Assert.Null(row.UpperThreshold);
            }
        }

        // Accuracy: the mean probability of the predicted class; realized 3 of 6.
        Assert.Equal("accuracy", rows[9].Metric);
        Assert.Equal((0.7 + 0.8 + 0.7 + 0.4 + 0.5 + 0.6) / 6, rows[9].Estimated, 12);
        Assert.Equal(0.5, rows[9].Realized);
    }

    [Fact]
    public void PerClassRows_AreOneVsRest_AndAverageToTheMacroRow()
    {
        var options = BySize6000 with { PerClassRows = true };
        var fitted = new MulticlassCbpeCalculator(options).Fit(CreditCardFixture.Reference);
        var result = fitted.Estimate(CreditCardFixture.Analysis);
        var chunk = result.Rows.First(r => r.Period == Period.Analysis).Chunk;

        foreach (var metric in new[] { "roc_auc", "f1", "precision", "recall", "specificity" })
        {
            var macro = result.Rows.Single(r => r.Chunk == chunk && r.Metric == metric && r.Class is null);
            var perClass = result.Rows.Where(r => r.Chunk == chunk && r.Metric == metric && r.Class is not null).ToList();
            Assert.Equal(fitted.Classes, perClass.Select(r => r.Class));
            Assert.Equal(macro.Estimated, perClass.Average(r => r.Estimated), 12);
            Assert.Equal(macro.Realized!.Value, perClass.Average(r => r.Realized!.Value), 12);
        }

        // A class's realized ROC AUC is the Mann–Whitney statistic of its raw scores against the rest, counted pair by pair.
        var analysis = CreditCardFixture.AnalysisTable;
        var start = (int)chunk.StartIndex;
        var rocAuc = result.Rows.Single(r => r.Chunk == chunk && r.Metric == "roc_auc" && r.Class == "prepaid_card");
        var scores = analysis.Scores["prepaid_card"].AsSpan(start, (int)chunk.Rows).ToArray();
        var positive = analysis.Targets.Skip(start).Take((int)chunk.Rows).Select(t => t == "prepaid_card").ToArray();
        Assert.Equal(BruteForceRocAuc(scores, positive), rocAuc.Realized!.Value, 12);
        Assert.Equal(CalculatorKind.MulticlassCbpe, rocAuc.Calculator);
    }

    [Fact]
    public void Estimate_WithTwoClasses_AgreesWithBinaryCbpe()
    {
        // K = 2 (where NannyML's multiclass path fails): one-vs-rest for class 0 mirrors class 1, so macro recall and
        // macro specificity are both (binary recall + binary specificity) / 2, and accuracy is binary accuracy.
        var random = new Random(7);
        const int n = 3000;
        var p1 = new double[n];
        var p0 = new double[n];
        var predicted = new double[n];
        var actual = new double[n];
        for (var i = 0; i < n; i++)
        {
            p1[i] = Math.Round(random.NextDouble(), 3);
            p0[i] = 1 - p1[i];
            predicted[i] = p1[i] >= 0.5 ? 1 : 0;
            actual[i] = random.NextDouble() < p1[i] ? 1 : 0;
        }

        Metric[] metrics = [Metric.Accuracy, Metric.Recall, Metric.Specificity];
        var binary = Cbpe.Fit(new PredictionSet(p1, predicted, actual), new CbpeOptions { Metrics = metrics, Calibration = CalibrationMode.Never, Chunking = Chunking.ByNumber(3) });
        var data = new ModelData(n) { Classes = ["0", "1"], ClassScores = [p0, p1], Predictions = predicted, Targets = actual };
        var multiclass = new MulticlassCbpeCalculator(new MulticlassCbpeOptions { Metrics = metrics, Calibration = CalibrationMode.Never, Chunking = Chunking.ByNumber(3) }).Fit(data);

        for (var chunk = 0; chunk < 3; chunk++)
        {
            double Binary(string metric) => binary.ReferenceRows.Single(r => r.Chunk.Index == chunk && r.Metric == metric).Estimated;
            double Multi(string metric) => multiclass.ReferenceRows.Single(r => r.Chunk.Index == chunk && r.Metric == metric).Estimated;
            Assert.Equal(Binary("accuracy"), Multi("accuracy"), 12);
            Assert.Equal((Binary("recall") + Binary("specificity")) / 2, Multi("recall"), 12);
            Assert.Equal((Binary("recall") + Binary("specificity")) / 2, Multi("specificity"), 12);
        }
    }

    private static double BruteForceRocAuc(double[] scores, bool[] positive)
    {
        double wins = 0, pairs = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (!positive[i])
            {
                continue;
            }

            for (var j = 0; j < scores.Length; j++)
            {
                if (positive[j])
                {
                    continue;
                }

                pairs++;
                wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
            }
        }

        return wins / pairs;
    }

    private static ModelData Small(double[] targets) => new(4)
    {
        Classes = ["a", "b", "c"],
        ClassScores = [[0.6, 0.2, 0.1, 0.5], [0.3, 0.7, 0.2, 0.2], [0.1, 0.1, 0.7, 0.3]],
        Predictions = [0, 1, 2, 0],
        Targets = targets,
    };
}
