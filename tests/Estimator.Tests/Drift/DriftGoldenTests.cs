using System.Text.Json;
using Estimator.Calculators;
using Estimator.Drift;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Tests.IO;

namespace Estimator.Tests.Drift;

/// <summary>
/// Univariate drift against NannyML 0.13.1's own output on the car-loan data (Fixtures/nannyml, see its NOTICE):
/// values and thresholds |Δ| ≤ 1e-9 on exact paths, ≤ 1e-6 on the binned KS/Wasserstein paths; alerts identical.
/// </summary>
public sealed class DriftGoldenTests
{
    internal static readonly string[] Columns =
    [
        "car_value", "salary_range", "debt_to_income_ratio", "loan_length", "repaid_loan_on_prev_car",
        "size_of_downpayment", "driver_tenure", "y_pred_proba", "y_pred",
    ];

    internal static readonly UnivariateDriftOptions AllMethods = new()
    {
        Columns = Columns,
        TreatAsCategorical = ["y_pred"],
        ContinuousMethods = [DriftMethod.KolmogorovSmirnov, DriftMethod.JensenShannon, DriftMethod.Wasserstein, DriftMethod.Hellinger],
        CategoricalMethods = [DriftMethod.Chi2, DriftMethod.JensenShannon, DriftMethod.LInfinity, DriftMethod.Hellinger],
    };

    private static readonly Lazy<ModelData> Reference = new(() => FeatureFileReader.Read(TestFiles.CarLoan("reference.parquet"), Columns, "timestamp"));
    private static readonly Lazy<ModelData> Analysis = new(() => FeatureFileReader.Read(TestFiles.CarLoan("analysis.parquet"), Columns, "timestamp"));

    internal static ModelData CarLoanReference => Reference.Value;

    internal static ModelData CarLoanAnalysis => Analysis.Value;

    [Fact]
    public void Calculate_MatchesNannyMl_WhenReferenceIsLargeAndChunksAre5000()
    {
        var options = AllMethods with { Chunking = Chunking.BySize(5000) };
        var result = new UnivariateDriftCalculator(options).Fit(Reference.Value).Calculate(Analysis.Value, "car_loan");

        AssertMatches("drift_chunk_size_5000", result.Rows, binnedTolerance: 1e-6);
    }

    [Fact]
    public void Calculate_MatchesNannyMl_WhenReferenceIsSmallSoKsAndWassersteinAreExact()
    {
        var options = AllMethods with { Chunking = Chunking.BySize(2000) };
        var reference = Reference.Value.Slice(0, 8000);
        var analysis = Analysis.Value.Slice(0, 20_000);
        var result = new UnivariateDriftCalculator(options).Fit(reference).Calculate(analysis, "car_loan");

        AssertMatches("drift_small_reference_chunk_size_2000", result.Rows, binnedTolerance: 1e-9);
    }

    [Fact]
    public void Fit_InfersKindsAsNannyMl_WhenColumnsAreNumbersTextAndBooleans()
    {
        var fitted = new UnivariateDriftCalculator(AllMethods with { Chunking = Chunking.BySize(5000) }).Fit(Reference.Value);
        using var expected = Expected("drift_chunk_size_5000");

        foreach (var column in expected.RootElement.GetProperty("continuous_columns").EnumerateArray())
        {
            Assert.Equal(FeatureKind.Continuous, fitted.ColumnKinds[column.GetString()!]);
        }

        foreach (var column in expected.RootElement.GetProperty("categorical_columns").EnumerateArray())
        {
            Assert.Equal(FeatureKind.Categorical, fitted.ColumnKinds[column.GetString()!]);
        }
    }

    internal static JsonDocument Expected(string name) =>
        JsonDocument.Parse(File.ReadAllText(TestFiles.RepositoryFile(Path.Combine("tests", "Estimator.Tests", "Fixtures", "nannyml", name + ".json"))));

    internal static void AssertMatches(string fixture, IReadOnlyList<ChunkEstimate> rows, double binnedTolerance)
    {
        using var expected = Expected(fixture);
        var chunks = expected.RootElement.GetProperty("chunks").EnumerateArray().ToList();
        var byKey = rows.ToLookup(r => (r.Period, r.Chunk.Key, r.Column, r.Metric));
        var compared = 0;
        foreach (var chunk in chunks)
        {
            var period = chunk.GetProperty("period").GetString() == "reference" ? Period.Reference : Period.Analysis;
            var key = chunk.GetProperty("key").GetString()!;
            foreach (var column in chunk.GetProperty("columns").EnumerateObject())
            {
                foreach (var method in column.Value.EnumerateObject())
                {
                    var row = Assert.Single(byKey[(period, key, column.Name, method.Name)]);
                    var binned = method.Name is "kolmogorov_smirnov" or "wasserstein";
                    var tolerance = binned ? binnedTolerance : 1e-9;
                    var where = $"{period} {key} {column.Name} {method.Name}";
                    AssertClose(method.Value.GetProperty("value"), row.Estimated, tolerance, where + " value");
                    AssertClose(method.Value.GetProperty("upper_threshold"), row.UpperThreshold, tolerance, where + " upper");
                    AssertClose(method.Value.GetProperty("lower_threshold"), row.LowerThreshold, tolerance, where + " lower");
                    Assert.True(method.Value.GetProperty("alert").GetBoolean() == row.Alert, where + " alert");
                    if (method.Name == "chi2")
                    {
                        AssertClose(method.Value.GetProperty("p_value"), row.PValue, 1e-9, where + " p");
                    }

                    Assert.Equal(chunk.GetProperty("start_index").GetInt64(), row.Chunk.StartIndex);
                    Assert.Equal(chunk.GetProperty("end_index").GetInt64(), row.Chunk.EndIndex);
                    compared++;
                }
            }
        }

        Assert.Equal(compared, rows.Count);
    }

    internal static void AssertClose(JsonElement expected, double? actual, double tolerance, string where)
    {
        if (expected.ValueKind == JsonValueKind.Null)
        {
            Assert.True(actual is null || double.IsNaN(actual.Value), $"{where}: expected none, got {actual}");
            return;
        }

        Assert.True(actual is double a && Math.Abs(a - expected.GetDouble()) <= tolerance, $"{where}: expected {expected.GetDouble():R}, got {actual:R}");
    }
}
