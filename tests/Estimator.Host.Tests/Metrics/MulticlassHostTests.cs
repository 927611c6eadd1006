using System.Globalization;
using System.Net;
using Estimator.Estimation.Multiclass;
using Estimator.IO;
using Parquet;
using Parquet.Schema;

namespace Estimator.Host.Tests.Metrics;

/// <summary>
/// A multiclass model (NannyML's credit-card data) in the running host: its analysis arrives in three files over time,
/// the scheduled estimate job picks each up, and <c>/metrics</c> and the Models page show the macro metrics of the
/// latest final chunk, equal to one batch multiclass CBPE estimate over all rows.
/// </summary>
public sealed class MulticlassHostTests : IDisposable
{
    private static readonly string Dataset = Path.Combine(TestData.Datasets, "credit_card");

    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    private string Incoming => Path.Combine(temp.Path, "in");

    // The score columns in another order than the classes sort in: columns are matched to classes by name.
    private static ColumnMapping Columns => new()
    {
        ClassScores = ClassScoreColumns.Parse("upmarket_card=y_pred_proba_upmarket_card,prepaid_card=y_pred_proba_prepaid_card,highstreet_card=y_pred_proba_highstreet_card"),
        YPred = "y_pred",
        YTrue = "y_true",
        Timestamp = "timestamp",
    };

    [Fact]
    public async Task Host_EstimatesAMulticlassModel_AsFilesArrive_AndServesItsMacroMetrics()
    {
        Directory.CreateDirectory(Incoming);
        var config = TestData.LoadYaml(temp.Path, $"""
            store: {Path.Combine(temp.Path, "store")}
            models:
              - name: credit_card
                reference: {Path.Combine(Dataset, "reference.parquet")}
                analysis: {Incoming}
                id_column: id
                schedule: "* * * * * *"
                chunking: {"{"} size: 6000 {"}"}
                columns:
                  y_pred_proba:
                    upmarket_card: y_pred_proba_upmarket_card
                    prepaid_card: y_pred_proba_prepaid_card
                    highstreet_card: y_pred_proba_highstreet_card
                  y_pred: y_pred
                  y_true: y_true
                  timestamp: timestamp
            """);
        var expected = BatchAnalysisRows();
        await using var app = await TestHosts.StartAsync(config, null);

        string text = "";
        foreach (var (start, end) in ((int, int)[])[(0, 20_000), (20_000, 41_000), (41_000, 60_000)])
        {
            await WriteSliceAsync(Path.Combine(Incoming, FormattableString.Invariant($"part-{start:D5}.parquet")), start, end);
            var lastFinal = (end / 6000) - 1;
            await TestHosts.WaitUntilAsync(
                () =>
                {
                    (_, text) = app.GetAsLocalAsync("/metrics").GetAwaiter().GetResult();
                    return text.Contains(FormattableString.Invariant($"estimator_performance_chunk_index{{model=\"credit_card\",metric=\"roc_auc\"}} {lastFinal}\n"), StringComparison.Ordinal);
                },
                TimeSpan.FromSeconds(90),
                FormattableString.Invariant($"/metrics to show chunk {lastFinal} after rows {start}..{end}"));
        }

        foreach (var r in expected.Where(r => r.ChunkIndex == 9))
        {
            var labels = $"{{model=\"credit_card\",metric=\"{r.Metric}\"}}";
            Assert.Contains($"estimator_performance_estimated{labels} {Format(r.Estimated)}\n", text, StringComparison.Ordinal);
            Assert.Contains($"estimator_performance_lower_bound{labels} {Format(r.LowerConfidenceBound)}\n", text, StringComparison.Ordinal);
            Assert.Contains($"estimator_performance_upper_bound{labels} {Format(r.UpperConfidenceBound)}\n", text, StringComparison.Ordinal);
            Assert.Contains($"estimator_performance_lower_threshold{labels} {Format(r.LowerThreshold)}\n", text, StringComparison.Ordinal);
        }

        Assert.Equal(6, text.Split('\n').Count(l => l.StartsWith("estimator_performance_estimated{model=\"credit_card\"", StringComparison.Ordinal)));
        Assert.DoesNotContain("class=", text, StringComparison.Ordinal);
        var (exit, output) = await MetricsEndpointTests.PromtoolAsync(text);
        Assert.True(exit == 0, "promtool check metrics failed:\n" + output + "\n---\n" + text);

        var (status, page) = await app.GetAsLocalAsync(Estimator.Host.EstimatorServiceCollectionExtensions.ModelsPagePath);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("credit_card", page, StringComparison.Ordinal);
        Assert.Contains("specificity", page, StringComparison.Ordinal);
    }

    /// <summary>One multiclass CBPE fit on the reference and one estimate over the whole analysis file.</summary>
    private static List<EstimateRecord> BatchAnalysisRows()
    {
        var reference = MulticlassFileReader.Read(Path.Combine(Dataset, "reference.parquet"), Columns, requireTargets: true, requirePredictions: true);
        var fitted = new MulticlassCbpeCalculator(new MulticlassCbpeOptions { Chunking = Chunking.BySize(6000) }).Fit(reference.Data);
        var analysis = MulticlassFileReader.Read(Path.Combine(Dataset, "analysis.parquet"), Columns with { YTrue = null }, requireTargets: false, requirePredictions: true);
        return [.. EstimateRecord.FromResult(fitted.Estimate(analysis.Data, "credit_card")).Where(r => r.Period == "analysis")];
    }

    private static string Format(double? value) => value!.Value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Analysis rows [start, end) of the data set as one Parquet file, written under a temporary name and moved in.</summary>
    private static async Task WriteSliceAsync(string path, int start, int end)
    {
        var data = MulticlassFileReader.Read(Path.Combine(Dataset, "analysis.parquet"), Columns with { YTrue = null, Id = "id" }, requireTargets: false, requirePredictions: true);
        var n = end - start;
        var columns = new List<(DataField Field, Array Values)>
        {
            (new DataField<long>("id"), data.Ids!.Skip(start).Take(n).Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToArray()),
            (new DateTimeDataField("timestamp", DateTimeFormat.Timestamp), data.Data.Timestamps!.AsSpan(start, n).ToArray()),
        };
        for (var k = 0; k < data.Classes.Count; k++)
        {
            columns.Add((new DataField<double>(Columns.ClassScores!.Columns[k]), data.Data.ClassScores![k].AsSpan(start, n).ToArray()));
        }

        columns.Add((new DataField<string>("y_pred"), data.Data.Predictions!.Skip(start).Take(n).Select(p => data.Classes[(int)p]).ToArray()));
        var temporary = path + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray()), stream);
            using var group = writer.CreateRowGroup();
            foreach (var (field, values) in columns)
            {
                switch (values)
                {
                    case long[] a: await group.WriteAsync<long>(field, a); break;
                    case DateTime[] a: await group.WriteAsync<DateTime>(field, a); break;
                    case double[] a: await group.WriteAsync<double>(field, a); break;
                    default: await group.WriteAsync(field, (string[])values); break;
                }
            }
        }

        File.Move(temporary, path);
    }
}
