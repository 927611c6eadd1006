using Estimator.Calibration;
using Estimator.Host.Configuration;
using Estimator.Metrics;
using Estimator.Thresholds;

namespace Estimator.Host.Tests.Configuration;

public sealed class EstimatorConfigTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Load_ResolvesRelativePathsAgainstTheConfigFile_ForTheBundledDemo()
    {
        var config = EstimatorConfig.Load(TestData.DemoConfig);

        var demo = Path.GetDirectoryName(TestData.DemoConfig)!;
        Assert.Equal(Path.Combine(demo, "store"), config.StoreDirectory);
        Assert.Equal(HangfireStorageKind.InMemory, config.Storage.Kind);
        var model = Assert.Single(config.Models);
        var d = model.Definition;
        Assert.Equal("car_loan", d.Name);
        Assert.Equal(TestData.CarLoanReference, d.Reference);
        Assert.Equal(Path.Combine(demo, "incoming", "car_loan", "analysis", "*.parquet"), d.Analysis);
        Assert.Equal(Path.Combine(demo, "incoming", "car_loan", "targets", "*.parquet"), d.Targets);
        Assert.True(Path.IsPathFullyQualified(d.Reference) && Path.IsPathFullyQualified(d.Analysis));
        Assert.Equal("id", d.IdColumn);
        Assert.Equal(("y_pred_proba", "y_pred", "repaid", "timestamp", "id"), (d.Columns.YPredProba, d.Columns.YPred, d.Columns.YTrue, d.Columns.Timestamp, d.Columns.Id));
        Assert.Equal(Chunking.BySize(5000), d.Options.Chunking);
        Assert.Equal([Metric.RocAuc, Metric.Precision, Metric.Recall, Metric.F1, Metric.Accuracy, Metric.Specificity], d.Options.Metrics);
        Assert.Equal(CalibrationMode.Auto, d.Options.Calibration);
        Assert.Equal("*/10 * * * * *", model.Schedule.Expression);
        Assert.True(model.Schedule.IncludesSeconds);
    }

    [Fact]
    public void Load_AcceptsEveryKeyAndValueForm_FromTheIssueAndNannyMl()
    {
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
        File.Copy(TestData.CarLoanReference, Path.Combine(temp.Path, "ref.parquet"));
        Environment.SetEnvironmentVariable("ESTIMATOR_TEST_TOKEN", "0123456789abcdef-token");
        var config = TestData.LoadYaml(temp.Path, """
            store: /tmp/estimator-store
            storage: { kind: postgres, connection: "Host=db;Database=hangfire;Password=secret" }
            dashboard:
              title: Ops
              allow_local: false
              authorization:
                basic: { username: ops, password: s3cret }
                token_env: ESTIMATOR_TEST_TOKEN
            models:
              - name: by_number
                reference: ref.parquet
                analysis: in
                chunking: { number: 10, incomplete: append }
                thresholds:
                  roc_auc: { type: standard_deviation, std_lower_multiplier: 2, std_upper_multiplier: null }
                  f1: { type: constant, lower: 0.8 }
                calibration: never
                schedule: "0 * * * *"
              - name: by-period.v2
                reference: ref.parquet
                analysis: in/*.csv
                columns: { y_pred: null, timestamp: ts }
                chunking: { period: month }
                metrics: [roc_auc, average_precision, business_value, confusion_matrix]
                business_value_matrix: [[0, -10], [-50, 50]]
                normalize_business_value: per_prediction
                normalize_confusion_matrix: all
                calibration: always
                schedule: "*/30 * * * * *"
            """);

        Assert.Equal("/tmp/estimator-store", config.StoreDirectory);
        Assert.Equal(HangfireStorageKind.Postgres, config.Storage.Kind);
        Assert.DoesNotContain("secret", config.Storage.ToString(), StringComparison.Ordinal);
        Assert.Equal(("Ops", false, "ops", "s3cret", "0123456789abcdef-token"), (config.Dashboard.Title, config.Dashboard.AllowLocal, config.Dashboard.Basic!.UserName, config.Dashboard.Basic.Password, config.Dashboard.Token));
        Assert.DoesNotContain("s3cret", config.Dashboard.ToString() + config.Dashboard.Basic, StringComparison.Ordinal);

        var first = config.Models[0].Definition;
        Assert.Equal(Chunking.ByNumber(10, IncompleteChunk.Append), first.Options.Chunking);
        Assert.Equal(Threshold.StandardDeviation(2, null), first.Options.Thresholds[Metric.RocAuc]);
        Assert.Equal(Threshold.Constant(0.8, null), first.Options.Thresholds[Metric.F1]);
        Assert.Equal(CalibrationMode.Never, first.Options.Calibration);
        Assert.Equal(Path.Combine(temp.Path, "in"), first.Analysis);
        Assert.Null(first.Targets);
        Assert.False(config.Models[0].Schedule.IncludesSeconds);

        var second = config.Models[1].Definition;
        Assert.Null(second.Columns.YPred);
        Assert.Equal("ts", second.Columns.Timestamp);
        Assert.Equal(Chunking.ByPeriod(ChunkPeriod.Month), second.Options.Chunking);
        Assert.Equal(new Estimation.BusinessValueMatrix(0, -10, -50, 50), second.Options.BusinessValueMatrix);
        Assert.True(second.Options.NormalizeBusinessValuePerPrediction);
        Assert.Equal(Estimation.ConfusionMatrixNormalization.All, second.Options.ConfusionMatrixNormalization);
        Assert.Equal(CalibrationMode.Always, second.Options.Calibration);
    }

    [Fact]
    public void Load_ListsEveryProblemAtOnce_WithKeyPathAndLine()
    {
        File.Copy(TestData.CarLoanReference, Path.Combine(temp.Path, "ref.parquet"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
        var path = Path.Combine(temp.Path, "bad.yaml");
        File.WriteAllText(path, """
            store: ./store
            colour: blue
            models:
              - name: ../escape
                reference: missing.parquet
                analysis: ./nowhere/*.parquet
                schedule: "61 * * * *"
                metrics: [roc_auc, accuracy_score]
              - name: a/b
                reference: ref.parquet
                analysis: in
                schedule: "* * *"
                chunking: { size: 0 }
                extra: 1
              - name: twin
                reference: ref.parquet
                analysis: in
                schedule: "*/5 * * * *"
                thresholds: { roc_auc: { type: constant, lower: 0.9, upper: 0.8 } }
              - name: twin
                reference: ref.parquet
                analysis: in
                schedule: "*/5 * * * *"
            """);

        var e = Assert.Throws<EstimatorConfigException>(() => EstimatorConfig.Load(path));

        string[] expected =
        [
            "2:1: colour: unknown key 'colour'",
            "4:11: models[0].name: unsafe model name '../escape'",
            "5:16: models[0].reference: file not found",
            "6:15: models[0].analysis: directory not found",
            "7:15: models[0].schedule: '61 * * * *' is not a valid cron expression",
            "8:24: models[0].metrics[1]: unknown metric 'accuracy_score'",
            "9:11: models[1].name: unsafe model name 'a/b'",
            "12:15: models[1].schedule: '* * *' is not a cron expression",
            "13:23: models[1].chunking.size: expected a positive whole number",
            "14:5: models[1].extra: unknown key 'extra'",
            "19:28: models[2].thresholds.roc_auc: The lower threshold (0.9) must be below the upper threshold (0.8).",
            "20:11: models[3].name: duplicate model name 'twin' (first used on line 15)",
        ];
        Assert.Equal(expected.Length, e.Problems.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.StartsWith(path + ":" + expected[i], e.Problems[i].ToString(), StringComparison.Ordinal);
        }

        Assert.All(e.Problems, p => Assert.Contains(p.ToString(), e.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("models: []", "models: the list is empty")]
    [InlineData("store: ./s", "models: missing")]
    [InlineData("models: [ {", "not valid YAML")]
    [InlineData("a: {\nc: x", ":2:5: not valid YAML: a '{' or '[' is not closed")]
    [InlineData("", "the file is empty")]
    [InlineData("storage: { kind: postgres }\nmodels: []", "storage.connection: missing")]
    [InlineData("storage: { kind: redis }\nmodels: []", "storage.kind: expected inmemory or postgres")]
    [InlineData("dashboard: { authorization: { token: short } }\nmodels: []", "dashboard.authorization.token: too short")]
    [InlineData("dashboard: { authorization: { basic: { username: ops } } }\nmodels: []", "dashboard.authorization.basic.password: missing")]
    [InlineData("dashboard: { allow_local: maybe }\nmodels: []", "dashboard.allow_local: expected true or false")]
    [InlineData("work_item_rows: -5\nmodels: []", "work_item_rows: expected a whole number, 0 or more")]
    [InlineData("work_item_rows: lots\nmodels: []", "work_item_rows: expected a whole number, 0 or more")]
    [InlineData("work_item_grace_seconds: -1\nmodels: []", "work_item_grace_seconds: expected a whole number, 0 or more")]
    [InlineData("worker_threads: 0\nmodels: []", "worker_threads:")]
    [InlineData("progress_log_seconds: -2\nmodels: []", "progress_log_seconds: expected a whole number, 0 or more")]
    [InlineData("models:\n  - name: " + "m123456789m123456789m123456789m123456789m123456789m123456789m123456789m123456789m123456789m123456789x", "models[0].name: model name 'm123456789m123456789…' has 101 characters; at most 100")]
    public void Load_Fails_WhenTheFileIsMalformed(string yaml, string problem)
    {
        var e = Assert.Throws<EstimatorConfigException>(() => TestData.LoadYaml(temp.Path, yaml));
        Assert.Contains(e.Problems, p => p.ToString().Contains(problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("chunking: { size: 10, number: 3 }", "chunking: give only one of size, number and period")]
    [InlineData("chunking: { period: fortnight }", "chunking.period: 'fortnight' is not a period; use day, week")]
    [InlineData("chunking: { period: month }", "chunking.period: period chunks need a timestamp column")]
    [InlineData("chunking: { period: month, incomplete: drop }\n    columns: { timestamp: t }", "chunking.incomplete: period chunks take no")]
    [InlineData("calibration: sometimes", "calibration: expected auto, always or never")]
    [InlineData("metrics: [roc_auc, roc_auc]", "metrics[1]: 'roc_auc' is listed twice")]
    [InlineData("metrics: [business_value]", "business_value_matrix: missing")]
    [InlineData("thresholds: { f1: { type: constant, lower: 0.5 } }\n    metrics: [roc_auc]", "thresholds.f1: a threshold for 'f1', which is not among")]
    [InlineData("thresholds: { roc_auc: { type: percentile } }", "thresholds.roc_auc.type: unknown threshold type 'percentile'")]
    [InlineData("thresholds: { roc_auc: { type: constant, lower: x } }", "thresholds.roc_auc.lower: expected a number")]
    [InlineData("thresholds: { roc_auc: { type: standard_deviation, std_lower_multiplier: -1 } }", "must not be negative")]
    [InlineData("thresholds: { roc_auc: { type: constant, offset: 1 } }", "thresholds.roc_auc.offset: unknown key")]
    [InlineData("targets: ./in", "id_column: missing")]
    [InlineData("columns: { score: p }", "columns.score: unknown key")]
    public void Load_Fails_WhenAModelOptionIsInvalid(string line, string problem)
    {
        File.Copy(TestData.CarLoanReference, Path.Combine(temp.Path, "ref.parquet"), overwrite: true);
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
        var yaml = $"""
            models:
              - name: m
                reference: ref.parquet
                analysis: in
                schedule: "*/5 * * * *"
                {line}
            """;
        var e = Assert.Throws<EstimatorConfigException>(() => TestData.LoadYaml(temp.Path, yaml));
        Assert.Contains(e.Problems, p => p.ToString().Contains("models[0]." + problem, StringComparison.Ordinal) || p.ToString().Contains(problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", EstimatorConfig.DefaultWorkItemRows)]
    [InlineData("work_item_rows: 0\n", 0)]
    [InlineData("work_item_rows: 20000\n", 20_000)]
    public void Load_ReadsWorkItemRows(string line, int expected)
    {
        File.Copy(TestData.CarLoanReference, Path.Combine(temp.Path, "ref.parquet"), overwrite: true);
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
        var config = TestData.LoadYaml(temp.Path, line + """
            models:
              - name: m
                reference: ref.parquet
                analysis: in/*.parquet
                schedule: "*/5 * * * *"
            """);
        Assert.Equal(expected, config.WorkItemRows);
        Assert.Equal(TimeSpan.Zero, config.WorkItemGrace);
        Assert.Null(config.WorkerThreads);
        Assert.Equal(TimeSpan.FromSeconds(5), config.ProgressLogInterval);
    }

    [Fact]
    public void Load_ReadsWorkItemGraceWorkerThreadsAndProgressLogInterval()
    {
        File.Copy(TestData.CarLoanReference, Path.Combine(temp.Path, "ref.parquet"), overwrite: true);
        Directory.CreateDirectory(Path.Combine(temp.Path, "in"));
        var config = TestData.LoadYaml(temp.Path, """
            work_item_grace_seconds: 5
            worker_threads: 3
            progress_log_seconds: 30
            models:
              - name: m
                reference: ref.parquet
                analysis: in/*.parquet
                schedule: "*/5 * * * *"
            """);
        Assert.Equal(TimeSpan.FromSeconds(5), config.WorkItemGrace);
        Assert.Equal(3, config.WorkerThreads);
        Assert.Equal(TimeSpan.FromSeconds(30), config.ProgressLogInterval);
    }

    [Fact]
    public void Load_Fails_WhenTheFileDoesNotExist()
    {
        var e = Assert.Throws<EstimatorConfigException>(() => EstimatorConfig.Load(Path.Combine(temp.Path, "none.yaml")));
        Assert.Contains("cannot read the configuration file", Assert.Single(e.Problems).Message, StringComparison.Ordinal);
    }
}
