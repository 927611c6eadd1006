using Estimator.Drift;
using Estimator.Host.Configuration;
using Estimator.Monitoring;

namespace Estimator.Host.Tests.Configuration;

/// <summary>A model's <c>drift</c> and <c>quality</c> sections: the keys, the CLI's defaults, and every mistake at its line and column.</summary>
public sealed class InputSectionsConfigTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public InputSectionsConfigTests()
    {
        File.WriteAllText(Path.Combine(temp.Path, "ref.csv"), "y_true\n");
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
    }

    public void Dispose() => temp.Dispose();

    private EstimatorConfig Load(string modelLines) => TestData.LoadYaml(temp.Path, $"""
        models:
          - name: car_loan
            reference: ref.csv
            analysis: in
            schedule: "*/5 * * * *"
        {modelLines}
        """);

    [Fact]
    public void Load_ReadsDriftAndQuality_WithEveryKey()
    {
        var config = Load("""
                drift:
                  columns: [car_value, salary_range, y_pred]
                  categorical: [y_pred]
                  continuous_methods: [kolmogorov_smirnov, Wasserstein]
                  categorical_methods: [chi2, l_infinity]
                  multivariate: classifier
                quality:
                  missing_columns: [car_value]
                  unseen_columns: [salary_range]
                  range_columns: [car_value]
                  statistics_columns: [car_value, driver_tenure]
            """);

        var inputs = Assert.Single(config.Models).Definition.Inputs;
        Assert.Equal(["car_value", "salary_range", "y_pred"], inputs.Drift!.Columns);
        Assert.Equal(["y_pred"], inputs.Drift.TreatAsCategorical);
        Assert.Equal([DriftMethod.KolmogorovSmirnov, DriftMethod.Wasserstein], inputs.Drift.ContinuousMethods);
        Assert.Equal([DriftMethod.Chi2, DriftMethod.LInfinity], inputs.Drift.CategoricalMethods);
        Assert.Equal(MultivariateDrift.Classifier, inputs.Multivariate);
        Assert.Equal(["car_value"], inputs.MissingColumns);
        Assert.Equal(["salary_range"], inputs.UnseenColumns);
        Assert.Equal(["car_value"], inputs.RangeColumns);
        Assert.Equal(["car_value", "driver_tenure"], inputs.StatisticsColumns);
    }

    [Fact]
    public void Load_TakesNannyMlsDefaults_WhenOnlyColumnsAreGiven()
    {
        var config = Load("""
                drift: { columns: [car_value] }
            """);

        var inputs = Assert.Single(config.Models).Definition.Inputs;

        // NannyML's UnivariateDriftCalculator defaults (and estimator drift's): jensen_shannon for both kinds, no multivariate method.
        Assert.Equal([DriftMethod.JensenShannon], inputs.Drift!.ContinuousMethods);
        Assert.Equal([DriftMethod.JensenShannon], inputs.Drift.CategoricalMethods);
        Assert.Empty(inputs.Drift.TreatAsCategorical);
        Assert.Equal(MultivariateDrift.None, inputs.Multivariate);
        Assert.Empty(inputs.MissingColumns);
        Assert.True(Assert.Single(Load("").Models).Definition.Inputs.IsEmpty);
    }

    [Fact]
    public void Load_ReadsDriftForARegressionModel()
    {
        var config = Load("""
                problem: regression
                features: [x1, g]
                columns: { y_pred: predicted, y_true: actual }
                drift: { columns: [x1, g, x3], multivariate: reconstruction }
                quality: { missing_columns: [x3] }
            """);

        var model = Assert.Single(config.Models).Definition;
        Assert.Equal(["x1", "g", "x3"], model.Inputs.Columns);
        Assert.Equal(["x3"], model.StoredInputs());
    }

    [Fact]
    public void Load_ListsEveryProblem_WhenTheSectionsAreWrong()
    {
        var e = Assert.Throws<EstimatorConfigException>(() => Load("""
                drift:
                  categorical: [salary_range]
                  continuous_methods: [chi2]
                  categorical_methods: [jensen_shannon, bhattacharyya]
                  multivariate: pca
                  bins: 3
                quality: {}
            """));

        var file = Path.Combine(temp.Path, "estimator.yaml");
        Assert.Equal(
            [
                "7:7: models[0].drift.columns: missing",
                "8:28: models[0].drift.continuous_methods[0]: chi2 does not apply to continuous columns",
                "9:45: models[0].drift.categorical_methods[1]: unknown method 'bhattacharyya'; categorical columns take jensen_shannon, hellinger, chi2, l_infinity",
                "10:21: models[0].drift.multivariate: expected reconstruction or classifier, got 'pca'",
                "11:7: models[0].drift.bins: unknown key 'bins'; expected one of: columns, categorical, continuous_methods, categorical_methods, multivariate",
                "12:14: models[0].quality: give at least one of missing_columns, unseen_columns, range_columns and statistics_columns",
            ],
            e.Problems.Select(p => p.ToString().Replace(file + ":", "", StringComparison.Ordinal)).ToList());
    }

    [Theory]
    [InlineData("    drift: { columns: [] }", "6:23: models[0].drift.columns: the list is empty: give the model's input columns, e.g. [car_value, salary_range]")]
    [InlineData("    drift: { columns: [a, a] }", "6:27: models[0].drift.columns[1]: 'a' is listed twice")]
    [InlineData("    drift: { columns: [a], categorical: [b] }", "6:42: models[0].drift.categorical[0]: 'b' is not one of models[0].drift.columns")]
    [InlineData("    drift: { columns: a }", "6:23: models[0].drift.columns: expected a list of the model's input columns, e.g. [car_value, salary_range]")]
    [InlineData("    drift: [a]", "6:12: models[0].drift: expected a mapping with keys columns, categorical, continuous_methods, categorical_methods, multivariate; got a list")]
    [InlineData("    quality: { missing_columns: [a], unseen: [b] }", "6:38: models[0].quality.unseen: unknown key 'unseen'; expected one of: missing_columns, unseen_columns, range_columns, statistics_columns")]
    [InlineData("    drift: { columns: [a], continuous_methods: [wasserstein, wasserstein] }", "6:62: models[0].drift.continuous_methods[1]: 'wasserstein' is listed twice")]
    public void Load_Fails_WithTheKeyAndLine_WhenASectionIsWrong(string lines, string problem)
    {
        var e = Assert.Throws<EstimatorConfigException>(() => Load(lines));

        var file = Path.Combine(temp.Path, "estimator.yaml");
        Assert.True(e.Problems.Select(p => p.ToString()).Contains(file + ":" + problem), string.Join("\n", e.Problems));
    }
}
