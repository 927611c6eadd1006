using System.Globalization;
using System.Net;
using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Learning;
using Parquet;
using Parquet.Schema;

namespace Estimator.Host.Tests.Metrics;

/// <summary>
/// A regression model (the shared world <c>regression_covariate_shift</c>) in the running host: its analysis arrives in
/// two files, the scheduled estimate job estimates it with the fitted DLE, the labels land, and <c>/metrics</c> and the
/// Models page show its losses, the realized MAE and an MAE ceiling firing (direction inferred: above).
/// </summary>
public sealed class RegressionHostTests : IDisposable
{
    private static readonly string[] Features = ["x1", "x2", "x3", "g"];
    private static readonly ColumnMapping Columns = new() { YPred = "y_pred", YTrue = "y_true", Timestamp = "timestamp", Id = "id" };

    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    private string Incoming => Path.Combine(temp.Path, "in");

    private string Labels => Path.Combine(temp.Path, "labels");

    private static string World => Path.Combine(Path.GetDirectoryName(TestData.RepositoryRoot)!, "shared", "scenarios", "regression_covariate_shift");

    [Fact]
    public async Task Host_EstimatesARegressionModel_AndServesItsLossesRealizedMaeAndCeilingAlert()
    {
        Directory.CreateDirectory(Incoming);
        Directory.CreateDirectory(Labels);
        var config = TestData.LoadYaml(temp.Path, $$"""
            store: {{Path.Combine(temp.Path, "store")}}
            models:
              - name: house
                problem: regression
                reference: {{Path.Combine(World, "reference.parquet")}}
                analysis: {{Incoming}}
                targets: {{Labels}}
                id_column: id
                features: [x1, x2, x3, g]
                metrics: [mae, mape, mse, rmse]
                columns: { y_pred: y_pred, y_true: y_true, timestamp: timestamp }
                chunking: { size: 5000 }
                schedule: "* * * * * *"
                slos: [{ metric: mae, objective: 2.3 }]
            """);
        var analysis = RegressionFileReader.Read(Path.Combine(World, "analysis.parquet"), Columns with { YTrue = null }, Features, requireTargets: false);
        var expected = BatchLastChunk(analysis);
        await using var app = await TestHosts.StartAsync(config, null);

        await WriteSliceAsync(analysis, Path.Combine(Incoming, "part-0.parquet"), 0, 32_000);
        await WriteSliceAsync(analysis, Path.Combine(Incoming, "part-1.parquet"), 32_000, 60_000);
        var text = await WaitForMetricsAsync(app, "estimator_performance_chunk_index{model=\"house\",metric=\"mae\"} 11\n", "the last chunk");

        foreach (var r in expected)
        {
            var labels = $"{{model=\"house\",metric=\"{r.Metric}\"}}";
            Assert.Equal(r.Estimated, Sample(text, "estimator_performance_estimated" + labels), 1e-12);
            Assert.Equal(r.LowerConfidenceBound, Sample(text, "estimator_performance_lower_bound" + labels), 1e-12);
            Assert.Equal(r.UpperConfidenceBound, Sample(text, "estimator_performance_upper_bound" + labels), 1e-12);
        }

        Assert.Equal(4, text.Split('\n').Count(l => l.StartsWith("estimator_performance_estimated{model=\"house\"", StringComparison.Ordinal)));

        // The labels land: realized MAE of the last chunk (rows 55,000–59,999 in timestamp order), by brute force.
        File.Copy(Path.Combine(World, "analysis_targets.parquet"), Path.Combine(Labels, "labels.parquet"));
        text = await WaitForMetricsAsync(app, "estimator_performance_realized{model=\"house\",metric=\"mae\"}", "the realized MAE");
        Assert.Equal(RealizedMaeOfLastChunk(analysis), Sample(text, "estimator_performance_realized{model=\"house\",metric=\"mae\"}"), 1e-10);

        // Realized MAE ≈ 2.9 at the end, the band well above 2.3: the ceiling fires as a page.
        Assert.True(expected.Single(r => r.Metric == "mae").LowerConfidenceBound > 2.3);
        Assert.Contains("estimator_alert_firing{model=\"house\",metric=\"mae\",rule=\"objective\",severity=\"P1\"} 1\n", text, StringComparison.Ordinal);
        var (exit, output) = await MetricsEndpointTests.PromtoolAsync(text);
        Assert.True(exit == 0, "promtool check metrics failed:\n" + output + "\n---\n" + text);

        var (status, page) = await app.GetAsLocalAsync(Estimator.Host.EstimatorServiceCollectionExtensions.ModelsPagePath);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-problem=\"regression\"", page, StringComparison.Ordinal);
        Assert.Contains("<code>x3</code>", page, StringComparison.Ordinal);
        Assert.Contains("data-loss=\"mse\"><strong>mse</strong> loss (mse, rmse): 100 trees", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-fit=\"calibration\"", page, StringComparison.Ordinal);
        Assert.Contains("<strong>mae</strong> above objective 2.3", page, StringComparison.Ordinal);
    }

    private static async Task<string> WaitForMetricsAsync(Microsoft.AspNetCore.Builder.WebApplication app, string line, string what)
    {
        var text = "";
        await TestHosts.WaitUntilAsync(
            () =>
            {
                (_, text) = app.GetAsLocalAsync("/metrics").GetAwaiter().GetResult();
                return text.Contains(line, StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(120),
            "/metrics to show " + what);
        return text;
    }

    private static double Sample(string text, string series)
    {
        var line = text.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>One DLE fit on the reference and one estimate over every analysis row: the last chunk's rows.</summary>
    private static List<ChunkEstimate> BatchLastChunk(RegressionPredictionData analysis)
    {
        var reference = RegressionFileReader.Read(Path.Combine(World, "reference.parquet"), Columns with { Id = null }, Features, requireTargets: true);
        var options = new DleOptions { Metrics = [DleMetric.Mae, DleMetric.Mape, DleMetric.Mse, DleMetric.Rmse], Features = Features, Chunking = Chunking.BySize(5000) };
        var result = new DleCalculator(options).FitDle(reference.Data.SortedByTimestamp(), ComputeOptions.Default).Calculate(analysis.Data.SortedByTimestamp(), "house", ComputeOptions.Default);
        return [.. result.Rows.Where(r => r.Period == Period.Analysis && r.Chunk.Index == 11)];
    }

    /// <summary>Mean |y_true − y_pred| over the last 5,000 rows in timestamp order, joined by id.</summary>
    private static double RealizedMaeOfLastChunk(RegressionPredictionData analysis)
    {
        var targets = TargetJoin.LeftJoinValuesAsync(analysis, Path.Combine(World, "analysis_targets.parquet"), "id", "y_true").GetAwaiter().GetResult().Targets;
        var order = Enumerable.Range(0, analysis.Count).OrderBy(i => analysis.Data.Timestamps![i]).ThenBy(i => i).Skip(55_000).ToList();
        return order.Average(i => Math.Abs(targets[i] - analysis.Data.Predictions![i]));
    }

    /// <summary>Analysis rows [start, end) as one Parquet file (id, timestamp, features, y_pred), written under a temporary name and moved in.</summary>
    private static async Task WriteSliceAsync(RegressionPredictionData data, string path, int start, int end)
    {
        var n = end - start;
        var temporary = path + ".tmp";
        var fields = new List<Field> { new DataField<long>("id"), new DateTimeDataField("timestamp", DateTimeFormat.Timestamp) };
        fields.AddRange(data.Data.Features.Select(f => f is CategoricalFeature ? (Field)new DataField<string>(f.Name, true) : new DataField<double>(f.Name)));
        fields.Add(new DataField<double>("y_pred"));
        await using (var stream = File.Create(temporary))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>((DataField)fields[0], data.Ids!.Skip(start).Take(n).Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToArray());
            await group.WriteAsync<DateTime>((DataField)fields[1], data.Data.Timestamps!.AsSpan(start, n).ToArray());
            for (var k = 0; k < data.Data.Features.Count; k++)
            {
                var field = (DataField)fields[2 + k];
                if (data.Data.Features[k] is CategoricalFeature c)
                {
                    await group.WriteAsync(field, c.Values.AsSpan(start, n).ToArray());
                }
                else
                {
                    await group.WriteAsync<double>(field, ((NumericFeature)data.Data.Features[k]).Values.AsSpan(start, n).ToArray());
                }
            }

            await group.WriteAsync<double>((DataField)fields[^1], data.Data.Predictions!.AsSpan(start, n).ToArray());
        }

        File.Move(temporary, path);
    }
}
