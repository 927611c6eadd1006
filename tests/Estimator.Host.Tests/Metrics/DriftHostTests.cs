using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Estimator.Host.Tests.Metrics;

/// <summary>
/// A model with <c>drift</c> and <c>quality</c> sections in the running host: the demo's five car-loan parts land, the
/// estimate job stores drift next to the estimates, <c>/metrics</c> serves the latest final chunk's drift values and
/// thresholds as NannyML computes them (its car-loan fixture, chunks of 5000), and the Models page draws a small chart
/// per column and method with the alerting columns first.
/// </summary>
public sealed partial class DriftHostTests : IDisposable
{
    // Two columns that never drift listed first: the page must move the drifting ones ahead of them.
    private static readonly string[] DriftColumns = ["driver_tenure", "size_of_downpayment", "car_value", "salary_range", "debt_to_income_ratio", "loan_length", "repaid_loan_on_prev_car"];

    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [GeneratedRegex("data-section=\"drift\"(.*?)data-section=\"quality\"", RegexOptions.Singleline)]
    private static partial Regex DriftSectionPattern();

    [GeneratedRegex("class=\"estimator-drift-column\" data-column=\"([^\"]*)\" data-alerting=\"(true|false)\"")]
    private static partial Regex ColumnPattern();

    [Fact]
    public async Task Host_StoresAndServesDrift_AndDrawsAlertingColumnsFirst()
    {
        var incoming = Path.Combine(temp.Path, "in");
        Directory.CreateDirectory(incoming);
        var config = TestData.LoadYaml(temp.Path, $"""
            store: {Path.Combine(temp.Path, "store")}
            models:
              - name: car_loan
                reference: {TestData.CarLoanReference}
                analysis: {incoming}
                id_column: id
                columns: {"{"} y_pred_proba: y_pred_proba, y_pred: y_pred, y_true: repaid, timestamp: timestamp {"}"}
                chunking: {"{"} size: 5000 {"}"}
                schedule: "* * * * * *"
                drift:
                  columns: [{string.Join(", ", DriftColumns)}]
                  multivariate: reconstruction
                quality:
                  missing_columns: [car_value, driver_tenure]
                  unseen_columns: [salary_range]
            """);
        await using var app = await TestHosts.StartAsync(config, null);
        foreach (var file in Directory.GetFiles(TestData.SeedDirectory, "*.parquet"))
        {
            File.Copy(file, Path.Combine(incoming, Path.GetFileName(file)));
        }

        var text = "";
        await TestHosts.WaitUntilAsync(
            () =>
            {
                (_, text) = app.GetAsLocalAsync("/metrics").GetAwaiter().GetResult();
                return text.Contains("estimator_performance_chunk_index{model=\"car_loan\",metric=\"roc_auc\"} 9\n", StringComparison.Ordinal)
                    && text.Contains("estimator_drift_value{", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(120),
            "/metrics to show the drift of chunk 9");

        // The latest final chunk is the last, [45000:49999] (complete at 5,000 rows): NannyML's values there.
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "tests", "Estimator.Tests", "Fixtures", "nannyml", "drift_chunk_size_5000.json")));
        var chunk = fixture.RootElement.GetProperty("chunks").EnumerateArray().Single(c => c.GetProperty("period").GetString() == "analysis" && c.GetProperty("chunk_index").GetInt32() == 9);
        foreach (var column in DriftColumns)
        {
            var expected = chunk.GetProperty("columns").GetProperty(column).GetProperty("jensen_shannon");
            var labels = $"{{model=\"car_loan\",calculator=\"univariate_drift\",column=\"{column}\",method=\"jensen_shannon\"}}";
            Assert.Equal(expected.GetProperty("value").GetDouble(), Sample(text, "estimator_drift_value" + labels), 1e-9);
            Assert.Equal(expected.GetProperty("upper_threshold").GetDouble(), Sample(text, "estimator_drift_upper_threshold" + labels), 1e-9);
            Assert.Equal(expected.GetProperty("alert").GetBoolean() ? 1 : 0, Sample(text, "estimator_drift_alert" + labels));
            Assert.DoesNotContain("estimator_drift_lower_threshold" + labels, text, StringComparison.Ordinal);
        }

        Assert.Contains("estimator_drift_value{model=\"car_loan\",calculator=\"reconstruction_error\",column=\"\",method=\"reconstruction_error\"} ", text, StringComparison.Ordinal);
        Assert.Contains("estimator_drift_value{model=\"car_loan\",calculator=\"unseen_values\",column=\"salary_range\",method=\"unseen_values_rate\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE estimator_drift_alert gauge\n", text, StringComparison.Ordinal);
        var (exit, output) = await MetricsEndpointTests.PromtoolAsync(text);
        Assert.True(exit == 0, "promtool check metrics failed:\n" + output + "\n---\n" + text);
        Assert.Equal(10, Directory.GetFiles(Path.Combine(temp.Path, "store", "car_loan", "drift"), "chunk-*.parquet").Length);

        var (status, page) = await app.GetAsLocalAsync(EstimatorServiceCollectionExtensions.ModelsPagePath);
        Assert.Equal(HttpStatusCode.OK, status);
        var drift = DriftSectionPattern().Match(page);
        Assert.True(drift.Success, "the page has a drift section followed by a quality section");
        var columns = ColumnPattern().Matches(drift.Groups[1].Value).Select(m => (m.Groups[1].Value, m.Groups[2].Value == "true")).ToList();

        // Columns NannyML flags in any analysis chunk (jensen_shannon) come first, in the configured order; then the others; then the multivariate method.
        Assert.Equal(
            [
                ("car_value", true), ("salary_range", true), ("debt_to_income_ratio", true), ("loan_length", true), ("repaid_loan_on_prev_car", true),
                ("", true), ("driver_tenure", false), ("size_of_downpayment", false),
            ],
            columns);
        Assert.Contains("<figure data-method=\"jensen_shannon\" data-calculator=\"univariate_drift\"", page, StringComparison.Ordinal);
        Assert.Contains("<circle class=\"alert\"", drift.Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains("data-section=\"quality\"", page, StringComparison.Ordinal);
    }

    private static double Sample(string text, string series)
    {
        var line = text.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
