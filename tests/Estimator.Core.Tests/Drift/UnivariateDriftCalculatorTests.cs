using System.Globalization;
using Estimator.Calculators;
using Estimator.Drift;
using Estimator.Estimation;
using Estimator.Thresholds;

namespace Estimator.Tests.Drift;

/// <summary>
/// The univariate drift calculator on generated data the golden fixtures do not cover: missing values, monthly
/// periods, many categories with unseen ones, small references, and the seam (JSON round trip, caller-formed chunks).
/// </summary>
public sealed class UnivariateDriftCalculatorTests
{
    private static readonly DateTime Start = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static ModelData Data(int n, int seed, double shift, double missingShare, int categories, bool shuffle = false)
    {
        var random = new Random(seed);
        var numbers = new double[n];
        var labels = new string?[n];
        var counts = new double[n];
        var times = new DateTime[n];
        for (var i = 0; i < n; i++)
        {
            numbers[i] = random.NextDouble() < missingShare ? double.NaN : (random.NextDouble() * 3) + shift;
            labels[i] = random.NextDouble() < missingShare ? null : "c" + Math.Min(categories - 1, (int)(Math.Pow(random.NextDouble(), 1 + shift) * categories)).ToString(CultureInfo.InvariantCulture);
            counts[i] = random.Next(0, 4);
            times[i] = Start.AddHours(shuffle ? random.Next(0, 24 * 200) : i * 24 * 200 / n);
        }

        return new ModelData(n, times)
        {
            Features = [new NumericFeature("x", numbers), new CategoricalFeature("colour", labels), new NumericFeature("kids", counts)],
        };
    }

    private static UnivariateDriftOptions AllMethods(Chunking chunking) => new()
    {
        Columns = ["x", "colour", "kids"],
        TreatAsCategorical = ["kids"],
        ContinuousMethods = [DriftMethod.KolmogorovSmirnov, DriftMethod.JensenShannon, DriftMethod.Wasserstein, DriftMethod.Hellinger],
        CategoricalMethods = [DriftMethod.Chi2, DriftMethod.JensenShannon, DriftMethod.LInfinity, DriftMethod.Hellinger],
        Chunking = chunking,
    };

    [Fact]
    public void Calculate_EqualsTheValueWithoutMissingRows_WhenValuesAreMissing()
    {
        var reference = Data(3000, 1, 0, 0.2, 5);
        var analysis = Data(2000, 2, 0.5, 0.3, 5);
        var fitted = new UnivariateDriftCalculator(AllMethods(Chunking.BySize(500))).Fit(reference);
        var rows = fitted.Calculate(analysis, "m").Rows.Where(r => r.Period == Period.Analysis).ToList();

        // Chunk 2 of x: the same rows without NaN, compared directly with the kernels on the NaN-free reference.
        var referenceX = ((NumericFeature)reference.Feature("x")).Values.Where(v => !double.IsNaN(v)).Order().ToArray();
        var chunkX = ((NumericFeature)analysis.Feature("x")).Values.Skip(1000).Take(500).Where(v => !double.IsNaN(v)).Order().ToArray();
        var ks = rows.Single(r => r.Chunk.Index == 2 && r.Column == "x" && r.Metric == "kolmogorov_smirnov");
        Assert.Equal(DistributionDistances.KolmogorovSmirnovExact(referenceX, chunkX), ks.Estimated, 15);
        Assert.All(rows, r => Assert.False(double.IsNaN(r.Estimated)));
        Assert.True(rows.Single(r => r.Chunk.Index == 2 && r.Column == "colour" && r.Metric == "chi2").PValue is > 0 and < 1);
    }

    [Fact]
    public void Calculate_GivesNaNWithoutAlert_WhenAChunkHasNoValues()
    {
        var reference = Data(1000, 3, 0, 0, 3);
        var n = 400;
        var analysis = new ModelData(n, [.. Enumerable.Range(0, n).Select(i => Start.AddHours(i))])
        {
            Features =
            [
                new NumericFeature("x", [.. Enumerable.Range(0, n).Select(i => i < 200 ? double.NaN : 1.0)]),
                new CategoricalFeature("colour", [.. Enumerable.Range(0, n).Select(i => i < 200 ? null : "c0")]),
                new NumericFeature("kids", [.. Enumerable.Range(0, n).Select(i => i < 200 ? double.NaN : 1.0)]),
            ],
        };
        var rows = new UnivariateDriftCalculator(AllMethods(Chunking.BySize(200))).Fit(reference).Calculate(analysis, "m").Rows;

        var empty = rows.Where(r => r.Period == Period.Analysis && r.Chunk.Index == 0).ToList();
        Assert.Equal(12, empty.Count);
        Assert.All(empty, r => Assert.True(double.IsNaN(r.Estimated) && !r.Alert));
        Assert.All(rows.Where(r => r.Period == Period.Analysis && r.Chunk.Index == 1), r => Assert.False(double.IsNaN(r.Estimated)));
    }

    [Fact]
    public void Calculate_ChunksByMonth_WhenRowsAreShuffledInTime()
    {
        var reference = Data(4000, 4, 0, 0.05, 8, shuffle: true);
        var analysis = Data(3000, 5, 0.8, 0.05, 8, shuffle: true);
        var fitted = new UnivariateDriftCalculator(AllMethods(Chunking.ByPeriod(ChunkPeriod.Month))).Fit(reference);
        var rows = fitted.Calculate(analysis, "m").Rows;

        // 200 days from 2020-01-01 reach into July: seven months per period.
        Assert.Equal(["2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06", "2020-07"], rows.Where(r => r.Period == Period.Analysis).Select(r => r.Chunk.Key).Distinct());

        // The March chunk's colour L∞ from its own rows, counted here: max |p_ref − p_chunk| over the categories.
        var march = rows.First(r => r.Period == Period.Analysis && r.Chunk.Key == "2020-03");
        var order = Enumerable.Range(0, analysis.Count).OrderBy(i => analysis.Timestamps![i]).ToArray();
        var colours = ((CategoricalFeature)analysis.Feature("colour")).Values;
        var chunk = order.Skip((int)march.Chunk.StartIndex).Take((int)march.Chunk.Rows).Select(i => colours[i]).Where(c => c is not null).ToList();
        var referenceColours = ((CategoricalFeature)reference.Feature("colour")).Values.Where(c => c is not null).ToList();
        var expected = referenceColours.Concat(chunk).Distinct().Max(c =>
            Math.Abs((referenceColours.Count(x => x == c) / (double)referenceColours.Count) - (chunk.Count(x => x == c) / (double)chunk.Count)));
        Assert.Equal(expected, rows.Single(r => r.Period == Period.Analysis && r.Chunk.Key == "2020-03" && r.Column == "colour" && r.Metric == "l_infinity").Estimated, 15);
        Assert.Contains(rows, r => r.Period == Period.Analysis && r.Alert);
    }

    [Fact]
    public void Calculate_MatchesHandChi2_WhenThereAreManyCategoriesAndUnseenOnes()
    {
        var reference = Data(20_000, 6, 0, 0, 300);
        var analysisRandom = new Random(7);
        var analysisLabels = Enumerable.Range(0, 2000).Select(_ => "c" + analysisRandom.Next(0, 330).ToString(CultureInfo.InvariantCulture)).ToArray();
        var analysis = new ModelData(2000) { Features = [new CategoricalFeature("colour", analysisLabels)] };
        var options = new UnivariateDriftOptions { Columns = ["colour"], CategoricalMethods = [DriftMethod.Chi2], Chunking = Chunking.BySize(2000) };
        var row = new UnivariateDriftCalculator(options).Fit(reference).Calculate(analysis, "m").Rows.Single(r => r.Period == Period.Analysis);

        var referenceLabels = ((CategoricalFeature)reference.Feature("colour")).Values.Select(v => v!).ToArray();
        var categories = referenceLabels.Concat(analysisLabels).Distinct().ToList();
        double referenceTotal = referenceLabels.Length, chunkTotal = analysisLabels.Length, total = referenceTotal + chunkTotal;
        var statistic = 0.0;
        foreach (var c in categories)
        {
            double r = referenceLabels.Count(x => x == c), a = analysisLabels.Count(x => x == c);
            double er = (r + a) * referenceTotal / total, ea = (r + a) * chunkTotal / total;
            statistic += (((r - er) * (r - er)) / er) + (((a - ea) * (a - ea)) / ea);
        }

        Assert.True(categories.Count > 300);
        Assert.Equal(statistic, row.Estimated, 8);
        Assert.Equal(MathNet.Numerics.Distributions.ChiSquared.CDF(categories.Count - 1, statistic), 1 - row.PValue!.Value, 10);
        Assert.Equal(row.PValue < 0.05, row.Alert);
        Assert.Null(row.UpperThreshold);
    }

    [Fact]
    public void Fit_ClipsThresholdsAndInfersKinds_WhenOptionsAreDefault()
    {
        var reference = Data(2000, 8, 0, 0, 4);
        var fitted = new UnivariateDriftCalculator(AllMethods(Chunking.BySize(200)) with { Thresholds = new Dictionary<DriftMethod, Threshold> { [DriftMethod.KolmogorovSmirnov] = Threshold.StandardDeviation(100, 100) } }).Fit(reference);

        Assert.Equal(FeatureKind.Continuous, fitted.ColumnKinds["x"]);
        Assert.Equal(FeatureKind.Categorical, fitted.ColumnKinds["colour"]);
        Assert.Equal(FeatureKind.Categorical, fitted.ColumnKinds["kids"]);
        var ks = fitted.ReferenceRows.First(r => r.Column == "x" && r.Metric == "kolmogorov_smirnov");
        Assert.Equal(0, ks.LowerThreshold);
        Assert.Equal(1, ks.UpperThreshold);

        // Default: mean + 3 population std of the reference chunks' values, no lower threshold.
        var js = fitted.ReferenceRows.Where(r => r.Column == "x" && r.Metric == "jensen_shannon").Select(r => r.Estimated).ToArray();
        var mean = js.Average();
        var std = Math.Sqrt(js.Sum(v => (v - mean) * (v - mean)) / js.Length);
        Assert.Equal(mean + (3 * std), fitted.ReferenceRows.First(r => r.Column == "x" && r.Metric == "jensen_shannon").UpperThreshold!.Value, 14);
        Assert.Null(fitted.ReferenceRows.First(r => r.Column == "x" && r.Metric == "jensen_shannon").LowerThreshold);
    }

    [Theory]
    [InlineData(ReferenceBinning.Auto)]
    [InlineData(ReferenceBinning.Estimated)]
    public void FromJson_CalculatesTheSameRows_WhenRoundTripped(ReferenceBinning binning)
    {
        var reference = Data(3000, 9, 0, 0.1, 6);
        var analysis = Data(1500, 10, 0.3, 0.1, 7);
        var fitted = new UnivariateDriftCalculator(AllMethods(Chunking.BySize(500)) with { Binning = binning, Bins = 500 }).Fit(reference, ComputeOptions.Serial);

        var json = fitted.ToJson();
        var back = Assert.IsType<FittedUnivariateDrift>(CalculatorJson.FromJson(json));

        Assert.Equal(CalculatorKind.UnivariateDrift, CalculatorJson.KindOf(json));
        Assert.Equal(fitted.Calculate(analysis, "m", ComputeOptions.Serial).Rows, back.Calculate(analysis, "m", ComputeOptions.Default).Rows);
        Assert.Equal(json, back.ToJson());
    }

    [Fact]
    public void CalculateChunk_EqualsTheChunkOfCalculate_WhenTheCallerFormsIt()
    {
        var reference = Data(3000, 11, 0, 0.1, 6);
        var analysis = Data(1500, 12, 0.3, 0.1, 6);
        var fitted = new UnivariateDriftCalculator(AllMethods(Chunking.BySize(500))).Fit(reference);
        var all = fitted.Calculate(analysis, "m").Rows.Where(r => r.Period == Period.Analysis && r.Chunk.Index == 1).ToList();

        var chunk = all[0].Chunk;
        var rows = ((IFittedCalculator)fitted).CalculateChunk(analysis.Slice((int)chunk.StartIndex, (int)chunk.Rows), chunk);

        Assert.Equal(all, rows);
    }

    [Fact]
    public void Fit_NamesTheColumn_WhenTextIsTreatedAsContinuous()
    {
        var options = AllMethods(Chunking.BySize(500)) with { TreatAsContinuous = ["colour"], TreatAsCategorical = [] };

        var e = Assert.Throws<EstimatorDataException>(() => new UnivariateDriftCalculator(options).Fit(Data(1000, 13, 0, 0, 3)));

        Assert.Contains("colour", e.Message, StringComparison.Ordinal);
        Assert.Contains("not a number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RejectsAMethodOfTheWrongKind()
    {
        var options = AllMethods(Chunking.Default) with { ContinuousMethods = [DriftMethod.Chi2] };

        Assert.Throws<ArgumentException>(() => new UnivariateDriftCalculator(options));
    }
}
