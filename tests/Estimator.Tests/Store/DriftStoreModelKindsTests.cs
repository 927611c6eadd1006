using Estimator.Drift;
using Estimator.Estimation;
using Estimator.Estimation.Multiclass;
using Estimator.IO;
using Estimator.Monitoring;
using Estimator.Tests.Cli;
using Estimator.Tests.IO;

namespace Estimator.Tests.Store;

/// <summary>
/// Drift and quality in the store for the other model kinds: a multiclass model (credit-card CSV files, drift of a class
/// score and the predicted class) and a regression model (drift of two of its features and of its prediction, which the
/// rows then keep besides the features). Files arriving over several runs give what the batch calculators give.
/// </summary>
public sealed class DriftStoreModelKindsTests : IDisposable
{
    private readonly TestFiles files = new();

    public DriftStoreModelKindsTests() => Directory.CreateDirectory(files.PathOf("incoming"));

    public void Dispose() => files.Dispose();

    private ModelRunner Runner() => new(files.PathOf("store")) { FileSettleTime = TimeSpan.Zero };

    [Fact]
    public void Estimate_StoresBatchDrift_ForAMulticlassModel_WhenFilesArriveOverThreeRuns()
    {
        var inputs = new InputMonitoring
        {
            Drift = new UnivariateDriftOptions { Columns = ["y_pred_proba_prepaid_card", "y_pred"], ContinuousMethods = [DriftMethod.KolmogorovSmirnov, DriftMethod.JensenShannon], CategoricalMethods = [DriftMethod.Chi2] },
            MissingColumns = ["y_pred"],
            UnseenColumns = ["y_pred"],
        };
        var reference = CreditCardFiles.Reference.WriteCsv(files, "reference.csv");
        var model = new ModelDefinition(
            "credit_card",
            reference,
            Path.Combine(files.PathOf("incoming"), "*.csv"),
            null,
            "id",
            new ColumnMapping { ClassScores = ClassScoreColumns.Parse(CreditCardFiles.ShuffledScoreArgument), YPred = "y_pred", YTrue = "y_true", Timestamp = "timestamp" },
            new CbpeOptions { Metrics = new MulticlassCbpeOptions().Metrics, Chunking = Chunking.BySize(6000) })
        { Inputs = inputs };
        var runner = Runner();
        int[] cuts = [0, 13_000, 37_500, 60_000];
        for (var f = 0; f + 1 < cuts.Length; f++)
        {
            CreditCardFiles.Analysis.WriteCsv(files, Path.Combine("incoming", $"analysis-{f}.csv"), withId: true, drop: ["y_true"], rows: cuts[f]..cuts[f + 1]);
            runner.Estimate(model);
        }

        var all = CreditCardFiles.Analysis.WriteCsv(files, "analysis-all.csv", withId: true, drop: ["y_true"]);
        var expected = DriftStoreTests.Batch(inputs, Chunking.BySize(6000), FeatureFileReader.Read(reference, inputs.Columns, "timestamp"), FeatureFileReader.Read(all, inputs.Columns, "timestamp"));

        Assert.Equal(expected, runner.ReadDrift("credit_card"));
        Assert.Contains(expected, r => r.Metric == "chi2" && r.Period == Period.Analysis && r.Alert);
    }

    [Fact]
    public void Estimate_StoresBatchDrift_ForARegressionModel_KeepingItsPredictionAsADriftColumn()
    {
        var inputs = new InputMonitoring
        {
            Drift = new UnivariateDriftOptions { Columns = ["x1", "g", "y_pred"] },
            Multivariate = MultivariateDrift.Reconstruction,
            MissingColumns = ["x3"],
            UnseenColumns = ["g"],
        };
        var model = RegressionStoreFixture.Definition(files.PathOf("incoming"), files.PathOf("labels")) with { Inputs = inputs };
        var runner = Runner();
        int[] cuts = [0, 21_000, 60_000];
        for (var f = 0; f + 1 < cuts.Length; f++)
        {
            RegressionWorldFiles.CutAnalysis(files.PathOf(Path.Combine("incoming", $"analysis-{f}.parquet")), cuts[f], cuts[f + 1]);
            runner.Estimate(model);
        }

        var expected = DriftStoreTests.Batch(
            inputs,
            Chunking.BySize(RegressionStoreFixture.ChunkSize),
            FeatureFileReader.Read(RegressionWorldFiles.Reference, inputs.Columns, "timestamp"),
            FeatureFileReader.Read(RegressionWorldFiles.Analysis, inputs.Columns, "timestamp"));

        Assert.Equal(["y_pred"], model.StoredInputs());
        Assert.Equal(expected, runner.ReadDrift("reg"));
        Assert.Contains(expected, r => r.Calculator == Calculators.CalculatorKind.ReconstructionError && r.Period == Period.Analysis && r.Alert);
        Assert.Equal(12, runner.ReadEstimates("reg").Where(r => r.Period == "analysis").Select(r => r.ChunkIndex).Distinct().Count());
    }
}
