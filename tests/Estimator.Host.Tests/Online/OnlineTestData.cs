using System.Text;
using System.Text.Json;
using Estimator.IO;

namespace Estimator.Host.Tests.Online;

/// <summary>The car-loan analysis rows as the online path receives them, and a configuration with an online model.</summary>
internal static class OnlineTestData
{
    private static readonly Lazy<CarLoanRows> Rows = new(() =>
    {
        var data = PredictionFileReader.Read(TestData.CarLoanAnalysis, new ColumnMapping { Id = "id", Timestamp = "timestamp" }, requireTargets: false, requirePredictions: true);
        var targets = TargetJoin.LeftJoin(data, Path.Combine(TestData.Datasets, "car_loan", "analysis_targets.parquet"), "id", "repaid").Targets;
        return new CarLoanRows([.. data.Ids!], data.Set.Scores, data.Set.Predictions!, data.Set.Timestamps!, targets);
    });

    /// <summary>NannyML's car-loan analysis rows (50,000: chunks 0–4 as the reference, 5–9 decayed), in file order.</summary>
    public static CarLoanRows CarLoan => Rows.Value;

    /// <summary>Writes a configuration with the car-loan model posted to online (and no analysis files); returns its path.</summary>
    public static string WriteConfig(string root, int window, string onlineExtra = "", string modelExtra = "")
    {
        var yaml = $"""
            store: ./store
            models:
              - name: car_loan
                reference: {TestData.CarLoanReference}
                id_column: id
                columns: {"{"} y_pred_proba: y_pred_proba, y_pred: y_pred, y_true: repaid, timestamp: timestamp {"}"}
                metrics: [roc_auc, precision, recall, f1, accuracy, specificity]
                schedule: "*/1 * * * * *"
                slos: [{"{"} metric: roc_auc, objective: 0.969 {"}"}]
                online: {"{"} window: {window}{onlineExtra} {"}"}
            {modelExtra}
            """;
        var path = Path.Combine(root, "estimator.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1 as a posted body.</summary>
    public static byte[] Body(int start, int count, Func<int, string>? id = null)
    {
        var rows = CarLoan;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            for (var i = start; i < start + count; i++)
            {
                w.WriteStartObject();
                w.WriteString("id", id?.Invoke(i) ?? rows.Ids[i]);
                w.WriteNumber("y_pred_proba", rows.Scores[i]);
                w.WriteNumber("y_pred", rows.Predictions[i]);
                w.WriteString("timestamp", rows.Timestamps[i]);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return stream.ToArray();
    }

    public static ByteArrayContentWithType Json(byte[] body) => new(body);

    public static ByteArrayContentWithType Json(string body) => new(Encoding.UTF8.GetBytes(body));

    internal sealed record CarLoanRows(string[] Ids, double[] Scores, double[] Predictions, DateTime[] Timestamps, double[] Targets);

    internal sealed class ByteArrayContentWithType : ByteArrayContent
    {
        public ByteArrayContentWithType(byte[] body)
            : base(body) => Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
    }
}
