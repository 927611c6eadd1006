using Estimator.Calculators;
using Estimator.Drift;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Monitoring;
using Estimator.Tests.Drift;
using Estimator.Tests.IO;

namespace Estimator.Tests.Store;

/// <summary>
/// Drift and data quality in the store: a model with <see cref="ModelDefinition.Inputs"/> keeps its input columns with
/// its rows and writes each chunk's drift file; the stored rows are NannyML's (the car-loan fixtures, chunks of 5000,
/// which the store's size chunks reproduce) whether the analysis arrives in one file or in parts, through work items
/// too; a changed drift option refits drift alone.
/// </summary>
public sealed class DriftStoreTests : IDisposable
{
    private static readonly string[] MissingColumns = ["car_value", "salary_range", "debt_to_income_ratio", "loan_length", "repaid_loan_on_prev_car", "size_of_downpayment", "driver_tenure"];
    private static readonly string[] UnseenColumns = ["salary_range", "repaid_loan_on_prev_car", "size_of_downpayment"];

    private readonly StoreFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    internal static InputMonitoring AllMethods => new()
    {
        Drift = DriftGoldenTests.AllMethods,
        MissingColumns = MissingColumns,
        UnseenColumns = UnseenColumns,
    };

    private ModelDefinition Model(InputMonitoring inputs) => StoreFixture.CarLoan(fixture.Incoming, Chunking.BySize(5000)) with { Inputs = inputs };

    /// <summary>Copies the demo's five time-ordered parts of the car-loan analysis (all 50,000 rows with every column).</summary>
    private void DropPart(int part) => File.Copy(
        TestFiles.RepositoryFile(Path.Combine("datasets", "demo", "incoming", "car_loan", "analysis", $"part-0{part}.parquet")),
        Path.Combine(fixture.Incoming, $"part-0{part}.parquet"));

    [Fact]
    public void Estimate_StoresNannyMlDriftAndQuality_WhenAnalysisArrivesInFiveParts()
    {
        var model = Model(AllMethods);
        var runner = fixture.Runner();
        for (var part = 1; part <= 5; part++)
        {
            DropPart(part);
            runner.Estimate(model);
        }

        var rows = runner.ReadDrift("car_loan");

        DriftGoldenTests.AssertMatches("drift_chunk_size_5000", [.. rows.Where(r => r.Calculator == CalculatorKind.UnivariateDrift)], binnedTolerance: 1e-6);
        using var quality = DriftGoldenTests.Expected("data_quality_chunk_size_5000");
        DataQualityGoldenTests.AssertMatches(quality, [.. rows.Where(r => r.Calculator is CalculatorKind.MissingValues or CalculatorKind.UnseenValues)]);
        Assert.Equal(10, Directory.GetFiles(Path.Combine(fixture.Store, "car_loan", "drift"), "chunk-*.parquet").Length);
    }

    [Fact]
    public void Estimate_GivesOneBatchesDrift_WhenFilesArriveOneRunAtATimeOrThroughWorkItems()
    {
        var model = Model(AllMethods with
        {
            Multivariate = MultivariateDrift.Reconstruction,
            RangeColumns = ["car_value", "debt_to_income_ratio"],
            StatisticsColumns = ["car_value", "driver_tenure"],
        });
        for (var part = 1; part <= 5; part++)
        {
            DropPart(part);
        }

        var batch = new ModelRunner(fixture.Store + "-batch") { FileSettleTime = TimeSpan.Zero };
        batch.Estimate(model);
        var split = new ModelRunner(fixture.Store + "-split") { FileSettleTime = TimeSpan.Zero, WorkItemRows = 10_000 };
        var outcome = split.Estimate(model, _ => { });

        // The batch calculators over the whole analysis file: what estimator drift writes.
        var reference = FeatureFileReader.Read(TestFiles.CarLoan("reference.parquet"), AllMethods.Columns, "timestamp");
        var analysis = FeatureFileReader.Read(TestFiles.CarLoan("analysis.parquet"), AllMethods.Columns, "timestamp");
        var expectedRows = Batch(model.Inputs, Chunking.BySize(5000), reference, analysis);

        Assert.True(outcome.WorkItems > 1);
        Assert.Equal(expectedRows, batch.ReadDrift("car_loan"));
        Assert.Equal(expectedRows, split.ReadDrift("car_loan"));
        Assert.Contains(expectedRows, r => r.Calculator == CalculatorKind.ReconstructionError && r.Period == Period.Analysis && r.Alert);
        Assert.Equal(2 * 10, expectedRows.Count(r => r.Calculator == CalculatorKind.RangeViolations && r.Period == Period.Analysis));
        Assert.Contains(expectedRows, r => r.Calculator == CalculatorKind.SummaryStatistics && r.Column == "driver_tenure" && r.Period == Period.Analysis);
    }

    [Fact]
    public void Calibrate_RefitsDriftAlone_WhenDriftOptionsChange()
    {
        DropPart(1);
        DropPart(2);
        var runner = fixture.Runner();
        var jensenShannon = Model(AllMethods with { Drift = DriftGoldenTests.AllMethods with { ContinuousMethods = [DriftMethod.JensenShannon], CategoricalMethods = [DriftMethod.JensenShannon] } });
        runner.Estimate(jensenShannon);
        Assert.DoesNotContain(runner.ReadDrift("car_loan"), r => r.Metric == "kolmogorov_smirnov");
        var fitted = Directory.GetFiles(Path.Combine(fixture.Store, "car_loan", "fitted"));

        var again = runner.Calibrate(jensenShannon);
        var changed = runner.Calibrate(Model(AllMethods));
        for (var part = 3; part <= 5; part++)
        {
            DropPart(part);
        }

        runner.Estimate(Model(AllMethods));

        Assert.False(again.Refitted);
        Assert.False(changed.Refitted);
        Assert.Equal(fitted.Length + 1, Directory.GetFiles(Path.Combine(fixture.Store, "car_loan", "fitted")).Length);
        DriftGoldenTests.AssertMatches("drift_chunk_size_5000", [.. runner.ReadDrift("car_loan").Where(r => r.Calculator == CalculatorKind.UnivariateDrift)], binnedTolerance: 1e-6);
    }

    [Fact]
    public void ReadDrift_ReturnsTheGivenChunks_AndTheSummaryKeepsTheLatestFinalChunk()
    {
        for (var part = 1; part <= 3; part++)
        {
            DropPart(part);
        }

        var model = Model(AllMethods);
        var runner = fixture.Runner();
        runner.Estimate(model);
        runner.EvaluateAlerts(model);

        var some = runner.ReadDrift("car_loan", [3, 1]);
        var latestFinal = runner.ReadEstimates("car_loan").Where(r => r.Period == "analysis" && !r.Provisional).Max(r => r.ChunkIndex);
        var latest = runner.ReadLatestDrift("car_loan");

        Assert.Equal([1, 3], some.Select(r => r.Chunk.Index).Distinct());
        Assert.All(some, r => Assert.Equal(Period.Analysis, r.Period));
        Assert.Equal(runner.ReadDrift("car_loan").Where(r => r.Period == Period.Analysis && r.Chunk.Index == latestFinal).Select(DriftValue.From), latest);
        Assert.Contains("\"drift\"", File.ReadAllText(Path.Combine(fixture.Store, "car_loan", "summary.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_FinishesTheDrift_AfterACrashBeforeCommit()
    {
        var model = Model(AllMethods);
        DropPart(1);
        DropPart(2);
        var clean = new ModelRunner(fixture.Store + "-clean") { FileSettleTime = TimeSpan.Zero };
        clean.Estimate(model);
        DropPart(3);
        clean.Estimate(model);

        var store = new ModelRunner(fixture.Store) { FileSettleTime = TimeSpan.Zero };
        File.Delete(Path.Combine(fixture.Incoming, "part-03.parquet"));
        store.Estimate(model);
        DropPart(3);
        var crashing = new ModelRunner(fixture.Store) { FileSettleTime = TimeSpan.Zero, BeforeCommit = _ => throw new IOException("killed") };
        Assert.Throws<IOException>(() => crashing.Estimate(model));
        store.Estimate(model);

        // The crashed run wrote drift files for chunks its state never committed; the next run writes them again from the
        // committed rows, so the store ends as the undisturbed one.
        Assert.Equal(clean.ReadDrift("car_loan"), store.ReadDrift("car_loan"));
        Assert.Equal(
            Directory.GetFiles(Path.Combine(fixture.Store + "-clean", "car_loan", "drift")).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Directory.GetFiles(Path.Combine(fixture.Store, "car_loan", "drift")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Calibrate_FailsNamingTheWayOut_WhenDriftColumnsAreAddedToStoredRows()
    {
        DropPart(1);
        var runner = fixture.Runner();
        runner.Estimate(Model(new InputMonitoring()));

        var error = Assert.Throws<EstimatorDataException>(() => runner.Calibrate(Model(AllMethods)));

        Assert.Contains("the store's rows hold none; remove the model's store directory", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// What <c>estimator drift</c> and <c>estimator quality</c> compute over whole files, in the store's order: every
    /// calculator's reference rows, then per analysis chunk every calculator's rows.
    /// </summary>
    internal static List<ChunkEstimate> Batch(InputMonitoring inputs, Chunking chunking, ModelData reference, ModelData analysis)
    {
        var results = inputs.Calculators(chunking).Select(c => c.Fit(reference, ComputeOptions.Default).Calculate(analysis, "m", ComputeOptions.Default).Rows).ToList();
        var analysisRows = results.SelectMany((rows, k) => rows.Where(x => x.Period == Period.Analysis).Select(x => (Row: x, Calculator: k)))
            .OrderBy(x => x.Row.Chunk.Index).ThenBy(x => x.Calculator).Select(x => x.Row);
        return [.. results.SelectMany(rows => rows.Where(x => x.Period == Period.Reference)), .. analysisRows];
    }
}
