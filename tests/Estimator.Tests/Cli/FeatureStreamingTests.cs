using Estimator.Calculators;
using Estimator.Drift;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Quality;
using Estimator.Tests.Drift;
using Estimator.Tests.IO;
using Parquet;
using Parquet.Schema;

namespace Estimator.Tests.Cli;

/// <summary>
/// <c>estimator drift</c> and <c>estimator quality</c> on a Parquet analysis file of many row groups: streamed, they
/// give the rows and the output bytes the in-memory path gives (the calculators run on the file read whole).
/// </summary>
public sealed class FeatureStreamingTests : IDisposable
{
    private static readonly string[] Reconstruction =
        ["car_value", "salary_range", "debt_to_income_ratio", "loan_length", "repaid_loan_on_prev_car", "size_of_downpayment", "driver_tenure"];

    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    public static TheoryData<string, int> Chunkings => new()
    {
        { "size", 3_333 },      // row groups that split chunks of 5000
        { "month", 7_000 },     // period chunks: a month is complete once a later one starts
        { "size", 50_000 },     // one row group
    };

    [Theory]
    [MemberData(nameof(Chunkings))]
    public async Task StreamedCalculation_EqualsInMemory_WhenTheAnalysisHasManyRowGroups(string chunking, int groupRows)
    {
        var chunks = chunking == "size" ? Chunking.BySize(5000) : Chunking.ByPeriod(ChunkPeriod.Month);
        var analysis = WriteGroups(DriftGoldenTests.CarLoanAnalysis, groupRows);
        var inMemory = FeatureFileReader.Read(analysis, DriftGoldenTests.Columns, "timestamp");
        var fitted = new IFittedCalculator[]
        {
            new UnivariateDriftCalculator(DriftGoldenTests.AllMethods with { Chunking = chunks }).Fit(DriftGoldenTests.CarLoanReference),
            new ReconstructionErrorCalculator(new ReconstructionErrorOptions { Columns = Reconstruction, Chunking = chunks }).Fit(DriftGoldenTests.CarLoanReference, ComputeOptions.Default),
            new MissingValuesCalculator(new DataQualityOptions { Columns = DriftGoldenTests.Columns, Chunking = chunks }).Fit(DriftGoldenTests.CarLoanReference, ComputeOptions.Default),
        };

        var streamed = await StreamingFeatureFile.CalculateAsync(analysis, DriftGoldenTests.Columns, "timestamp", fitted, "m");

        Assert.Equal(fitted.Length, streamed.Count);
        for (var c = 0; c < fitted.Length; c++)
        {
            var expected = fitted[c].Calculate(inMemory, "m", ComputeOptions.Default).Rows;
            Assert.Equal(expected, streamed[c].Rows);
            Assert.Contains(expected, r => r.Period == Period.Analysis);
        }

        // Not a vacuous match: the drifting car-loan columns alert in the streamed rows.
        Assert.Contains(streamed[0].Rows, r => r.Period == Period.Analysis && r.Alert);
    }

    [Fact]
    public void Drift_WritesTheInMemoryBytes_WhenTheAnalysisIsStreamed()
    {
        var analysis = WriteGroups(DriftGoldenTests.CarLoanAnalysis, 4_096);
        var output = _files.PathOf("streamed.csv");
        var (code, _, stderr) = CliRunner.Run(
            "drift", "--reference", TestFiles.CarLoan("reference.parquet"), "--analysis", analysis,
            "--columns", string.Join(',', DriftGoldenTests.Columns), "--categorical", "y_pred",
            "--continuous-methods", "kolmogorov_smirnov,jensen_shannon,wasserstein,hellinger",
            "--categorical-methods", "chi2,jensen_shannon,l_infinity,hellinger", "--multivariate", "reconstruction",
            "--timestamp", "timestamp", "--chunk-size", "5000", "--model", "car_loan", "--out", output);
        Assert.True(code == 0, stderr);
        Assert.Equal(string.Empty, stderr);

        // The in-memory path, by hand: the same calculators on the file read whole, written by the same writer.
        var data = FeatureFileReader.Read(analysis, DriftGoldenTests.Columns, "timestamp");
        var options = DriftGoldenTests.AllMethods with { Chunking = Chunking.BySize(5000) };
        var results = new List<CalculatorResult>
        {
            new UnivariateDriftCalculator(options).Fit(DriftGoldenTests.CarLoanReference).Calculate(data, "car_loan"),
            new ReconstructionErrorCalculator(new ReconstructionErrorOptions { Columns = DriftGoldenTests.Columns, Chunking = options.Chunking })
                .Fit(DriftGoldenTests.CarLoanReference, ComputeOptions.Default).Calculate(data, "car_loan", ComputeOptions.Default),
        };
        var expected = _files.PathOf("in-memory.csv");
        DriftFileWriter.Write(results, expected);

        Assert.Equal(File.ReadAllBytes(expected), File.ReadAllBytes(output));
    }

    [Fact]
    public void Quality_ReadsTheFileWhole_WhenTimestampsAreOutOfOrder()
    {
        var data = DriftGoldenTests.CarLoanAnalysis;
        var reversed = Enumerable.Range(0, data.Count).Reverse().ToArray();
        var analysis = WriteGroups(Permute(data, reversed), 10_000);
        var streamedOut = _files.PathOf("q.csv");
        var (code, _, stderr) = CliRunner.Run(
            "quality", "--reference", TestFiles.CarLoan("reference.parquet"), "--analysis", analysis,
            "--missing-columns", "car_value,salary_range", "--unseen-columns", "salary_range", "--timestamp", "timestamp",
            "--chunk-size", "5000", "--out", streamedOut);
        Assert.True(code == 0, stderr);
        Assert.Contains("not in timestamp order", stderr, StringComparison.Ordinal);

        var (code2, _, stderr2) = CliRunner.Run(
            "quality", "--reference", TestFiles.CarLoan("reference.parquet"), "--analysis", TestFiles.CarLoan("analysis.parquet"),
            "--missing-columns", "car_value,salary_range", "--unseen-columns", "salary_range", "--timestamp", "timestamp",
            "--chunk-size", "5000", "--out", _files.PathOf("sorted.csv"));
        Assert.True(code2 == 0, stderr2);
        Assert.Equal(File.ReadAllBytes(_files.PathOf("sorted.csv")), File.ReadAllBytes(streamedOut));
    }

    private static ModelData Permute(ModelData data, int[] order) => new(data.Count, [.. order.Select(i => data.Timestamps![i])])
    {
        Features = [.. data.Features.Select(f => f switch
        {
            NumericFeature n => (FeatureColumn)new NumericFeature(n.Name, [.. order.Select(i => n.Values[i])]),
            CategoricalFeature c => new CategoricalFeature(c.Name, [.. order.Select(i => c.Values[i])]),
            _ => throw new NotSupportedException(),
        })],
    };

    // The rows as Parquet in row groups of groupRows: numbers as nullable doubles, categories as strings, the timestamp.
    private string WriteGroups(ModelData data, int groupRows)
    {
        var path = _files.PathOf($"analysis-{Guid.NewGuid():N}.parquet");
        var fields = new List<DataField> { new DataField<DateTime>("timestamp") };
        fields.AddRange(data.Features.Select(f => f is NumericFeature ? (DataField)new DataField<double?>(f.Name) : new DataField<string>(f.Name)));
        WriteAsync().GetAwaiter().GetResult();
        return path;

        async Task WriteAsync()
        {
            await using var stream = File.Create(path);
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields.ToArray<Field>()), stream);
            for (var start = 0; start < data.Count; start += groupRows)
            {
                var n = Math.Min(groupRows, data.Count - start);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<DateTime>(fields[0], data.Timestamps.AsMemory(start, n));
                for (var f = 0; f < data.Features.Count; f++)
                {
                    switch (data.Features[f])
                    {
                        case NumericFeature x:
                            await group.WriteAsync<double>(fields[f + 1], x.Values.AsSpan(start, n).ToArray().Select(v => double.IsNaN(v) ? (double?)null : v).ToArray());
                            break;
                        case CategoricalFeature c:
                            await group.WriteAsync(fields[f + 1], c.Values.AsSpan(start, n).ToArray());
                            break;
                    }
                }
            }
        }
    }
}
