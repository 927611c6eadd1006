using Estimator.Calculators;
using Estimator.Estimation;

namespace Estimator.Learning.Tests;

/// <summary>
/// The domain classifier's semantics (NannyML 0.13.1): scikit-learn's unshuffled stratified split, the AUROC of the
/// out-of-fold scores, 0.5 on indistinguishable data and near 1 on a strong shift, the edge cases NannyML handles, and
/// the same values from JSON, from any thread count and on every run.
/// </summary>
public sealed class DomainClassifierTests
{
    private static readonly string[] Columns = ["x", "c", "z"];

    [Fact]
    public void Folds_MatchScikitLearnsStratifiedKFold_WhenClassesAreUneven()
    {
        // Worked by hand from scikit-learn's _make_test_folds: the 13 zeros then 7 ones, sorted, are dealt to folds
        // j % 5, so zeros per fold are 3,3,3,2,2 (positions 0–12) and ones 1,1,1,2,2 (positions 13–19); each class's
        // rows fill the folds in order. The labels are interleaved to show the order is per class.
        bool[] labels = [false, true, false, false, true, false, false, true, false, false, true, false, false, true, false, false, true, false, true, false];
        int[] zeroFolds = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4];
        int[] oneFolds = [0, 1, 2, 3, 3, 4, 4];

        var folds = StratifiedFolds.Assign(labels, 5);

        Assert.Equal(zeroFolds, labels.Select((l, r) => (l, r)).Where(p => !p.l).Select(p => folds[p.r]));
        Assert.Equal(oneFolds, labels.Select((l, r) => (l, r)).Where(p => p.l).Select(p => folds[p.r]));
    }

    [Theory]
    [InlineData(55_000, 5_000, 5)]
    [InlineData(1_003, 7, 5)]
    [InlineData(20, 3, 5)]
    [InlineData(999, 1, 3)]
    public void Folds_CoverEveryRowOnceAndStratify_WhateverTheSizes(int rows, int ones, int count)
    {
        var labels = new bool[rows];
        var random = new Random(rows);
        foreach (var r in Enumerable.Range(0, rows).OrderBy(_ => random.Next()).Take(ones))
        {
            labels[r] = true;
        }

        var folds = StratifiedFolds.Assign(labels, count);

        Assert.All(folds, f => Assert.InRange(f, 0, count - 1));
        foreach (var label in new[] { false, true })
        {
            var perFold = Enumerable.Range(0, count).Select(f => folds.Where((x, r) => x == f && labels[r] == label).Count()).ToList();
            Assert.Equal(labels.Count(l => l == label), perFold.Sum());
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {label}: {string.Join(',', perFold)}");
        }
    }

    [Fact]
    public void Value_IsTheBruteForceAurocOfItsOutOfFoldScores()
    {
        var (reference, analysis) = Synthetic(1_200, 600, shift: 0.4, seed: 1);
        var fitted = Fit(reference, 300);

        var values = Auroc(fitted.Calculate(analysis, "m", ComputeOptions.Default).Rows).Where(r => r.Period == Period.Analysis).ToList();

        var problem = fitted.AnalysisProblem(analysis.Slice(0, 300));
        var folds = StratifiedFolds.Assign(problem.Labels, 5);
        var scores = new double[problem.Labels.Length];
        for (var f = 0; f < 5; f++)
        {
            fitted.OutOfFold(problem, folds, f, scores, new double[3]);
        }

        // Every positive–negative pair: 1 when the chunk row scores higher, ½ on a tie.
        double wins = 0;
        var positives = Enumerable.Range(0, scores.Length).Where(r => problem.Labels[r]).ToList();
        var negatives = Enumerable.Range(0, scores.Length).Where(r => !problem.Labels[r]).ToList();
        foreach (var p in positives)
        {
            foreach (var n in negatives)
            {
                wins += scores[p] > scores[n] ? 1 : scores[p] == scores[n] ? 0.5 : 0;
            }
        }

        Assert.Equal(wins / (positives.Count * (double)negatives.Count), values[0].Estimated, 12);
    }

    [Fact]
    public void Value_IsNearHalfWithoutDriftAndNearOneWithAStrongShift()
    {
        var (reference, same) = Synthetic(4_000, 2_000, shift: 0, seed: 2);
        var (_, shifted) = Synthetic(4_000, 2_000, shift: 3, seed: 3);
        var fitted = Fit(reference, 1_000);

        var quiet = Auroc(fitted.Calculate(same, "m", ComputeOptions.Default).Rows).ToList();
        var loudRows = fitted.Calculate(shifted, "m", ComputeOptions.Default).Rows.Where(r => r.Period == Period.Analysis).ToList();
        var loud = Auroc(loudRows).ToList();

        // Null: the Mann–Whitney statistic's standard deviation √((n0 + n1 + 1) / (12 n0 n1)) with n1 = 1000 chunk rows
        // and n0 = 4000 reference rows (3000 for a reference chunk, the larger) is ≤ 0.0105; allow 5 of them.
        Assert.All(quiet, r => Assert.InRange(r.Estimated, 0.5 - 0.053, 0.5 + 0.053));
        Assert.All(quiet, r => Assert.False(r.Alert));

        // x shifted by 3 standard deviations: the Bayes classifier's AUROC is Φ(3/√2) ≈ 0.983.
        Assert.All(loud, r => Assert.InRange(r.Estimated, 0.95, 0.99));
        Assert.All(loud, r => Assert.True(r.Alert));
        Assert.All(quiet.Concat(loud), r => Assert.Equal((0.45, 0.65, "auroc"), (r.LowerThreshold!.Value, r.UpperThreshold!.Value, r.Metric)));

        // Only x moved: the trees that told the chunks from the reference split mostly on x. Each chunk's shares sum to 1.
        foreach (var chunk in loudRows.Where(r => r.Metric == FittedDomainClassifier.ImportanceMethod).GroupBy(r => r.Chunk.Index))
        {
            Assert.Equal(["c", "x", "z"], chunk.Select(r => r.Column!).Order());
            Assert.Equal(1, chunk.Sum(r => r.Estimated), 9);
            Assert.True(chunk.Single(r => r.Column == "x").Estimated > 0.8, string.Join(", ", chunk.Select(r => $"{r.Column} {r.Estimated}")));
            Assert.All(chunk, r => Assert.Equal((null, null, false), (r.LowerThreshold, r.UpperThreshold, r.Alert)));
        }
    }

    [Fact]
    public void Values_AreIdentical_AcrossRunsThreadCountsAndJson()
    {
        var (reference, analysis) = Synthetic(1_500, 900, shift: 0.3, seed: 4);
        var serial = Fit(reference, 300, ComputeOptions.Serial);
        var parallel = Fit(reference, 300, new ComputeOptions { MaxDegreeOfParallelism = 4 });

        var rows = serial.Calculate(analysis, "m", ComputeOptions.Serial).Rows;
        var back = CalculatorJson.FromJson(serial.ToJson());

        Assert.Equal(CalculatorKind.DomainClassifier, back.Kind);
        Assert.Equal(rows, parallel.Calculate(analysis, "m", new ComputeOptions { MaxDegreeOfParallelism = 4 }).Rows);
        Assert.Equal(rows, back.Calculate(analysis, "m", ComputeOptions.Default).Rows);
        Assert.Equal(rows, serial.Calculate(analysis, "m", ComputeOptions.Default).Rows);
        Assert.Equal(back.ToJson(), serial.ToJson());
    }

    [Fact]
    public void CalculateChunk_EqualsTheChunkOfCalculate()
    {
        var (reference, analysis) = Synthetic(1_000, 600, shift: 0.5, seed: 5);
        var fitted = Fit(reference, 300);
        var rows = fitted.Calculate(analysis, "m", ComputeOptions.Default).Rows.Where(r => r.Period == Period.Analysis).ToList();
        var chunk = rows.First(r => r.Chunk.Index == 1).Chunk;

        var second = fitted.CalculateChunk(analysis.Slice(300, 300), chunk);

        Assert.Equal(rows.Where(r => r.Chunk.Index == 1), second);
    }

    [Fact]
    public void Value_IsHalf_WhenOneReferenceChunkHoldsTheWholeReference()
    {
        // Every row is labelled "chunk": one class, which scikit-learn cannot score and NannyML reports as 0.5.
        var (reference, _) = Synthetic(200, 1, shift: 0, seed: 6);
        var fitted = Fit(reference, 200);

        Assert.Equal(0.5, Assert.Single(Auroc(fitted.ReferenceRows)).Estimated);
    }

    [Fact]
    public void Value_IsComputed_WhenAChunkHasFewerRowsThanFolds()
    {
        // Three chunk rows: two folds test none of them and one fold trains on none (LightGBM then predicts class 0).
        var (reference, analysis) = Synthetic(500, 3, shift: 0, seed: 7);
        var fitted = Fit(reference, 250);

        var row = Auroc(fitted.Calculate(analysis, "m", ComputeOptions.Default).Rows).Last();

        Assert.Equal(3, row.Chunk.Rows);
        Assert.InRange(row.Estimated, 0, 1);
    }

    [Fact]
    public void Fit_Refuses_WhenTheReferenceHasFewerRowsThanFolds()
    {
        var (reference, _) = Synthetic(4, 1, shift: 0, seed: 8);

        var e = Assert.Throws<EstimatorDataException>(() => Fit(reference, 2));

        Assert.Contains("at least 5 reference rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calculate_CodesACategoryUnseenInTheReference()
    {
        // The chunk's category "new" sorts between the reference's: NannyML's ordinal encoder, fitted on both, shifts
        // the codes after it. A chunk made only of the new category is perfectly separable.
        var (reference, _) = Synthetic(1_000, 1, shift: 0, seed: 9);
        var analysis = new ModelData(400)
        {
            Features =
            [
                new NumericFeature("x", [.. Enumerable.Range(0, 400).Select(i => (double)(i % 7) / 7)]),
                new CategoricalFeature("c", [.. Enumerable.Repeat<string?>("new", 400)]),
                new NumericFeature("z", [.. Enumerable.Range(0, 400).Select(i => (double)(i % 5) / 5)]),
            ],
        };
        var fitted = Fit(reference, 500);

        var row = Auroc(fitted.Calculate(analysis, "m", ComputeOptions.Default).Rows).Last();

        Assert.True(row.Estimated > 0.99, $"{row.Estimated}");
    }

    [Fact]
    public void Calculate_SetsMissingNumbersApart()
    {
        // The reference misses x in every 20th row (5 %); a chunk missing x everywhere differs from it in that alone (z
        // and c drawn as in the reference). The best AUROC is 0.95 + 0.05 · A, where A, the AUROC of the chunk's rows
        // against the reference's missing-x rows, is 0.5 up to noise (their other columns share a distribution): 0.975,
        // with a null standard deviation of 0.05 · √((400 + 50 + 1) / (12 · 400 · 50)) ≈ 0.0022; allow 7 of them.
        var (reference, analysis) = Synthetic(1_000, 400, shift: 0, seed: 10);
        var x = ((NumericFeature)reference.Features[0]).Values;
        for (var r = 0; r < x.Length; r += 20)
        {
            x[r] = double.NaN;
        }

        Array.Fill(((NumericFeature)analysis.Features[0]).Values, double.NaN);
        var fitted = Fit(reference, 500);

        var row = Auroc(fitted.Calculate(analysis, "m", ComputeOptions.Default).Rows).Last();

        Assert.InRange(row.Estimated, 0.975 - 0.015, 0.975 + 0.015);
    }

    private static IEnumerable<ChunkEstimate> Auroc(IEnumerable<ChunkEstimate> rows) => rows.Where(r => r.Metric == "auroc");

    private static FittedDomainClassifier Fit(ModelData reference, int chunkSize, ComputeOptions? compute = null) =>
        new DomainClassifierCalculator(new DomainClassifierOptions { Columns = Columns, Chunking = Chunking.BySize(chunkSize) })
            .Fit(reference, compute ?? ComputeOptions.Default);

    // x ~ N(shift, 1) in the analysis, N(0, 1) in the reference; c ∈ {a, b, d} (missing 5 %); z ~ U(0, 1).
    private static (ModelData Reference, ModelData Analysis) Synthetic(int referenceRows, int analysisRows, double shift, int seed)
    {
        var random = new Random(seed);
        ModelData Draw(int n, double s) => new(n)
        {
            Features =
            [
                new NumericFeature("x", [.. Enumerable.Range(0, n).Select(_ => s + (Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))]),
                new CategoricalFeature("c", [.. Enumerable.Range(0, n).Select(_ => random.NextDouble() switch { < 0.05 => null, < 0.4 => "a", < 0.8 => "b", _ => "d" })]),
                new NumericFeature("z", [.. Enumerable.Range(0, n).Select(_ => random.NextDouble())]),
            ],
        };
        return (Draw(referenceRows, 0), Draw(analysisRows, shift));
    }
}
