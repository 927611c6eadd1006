using System.Text.Json;
using Estimator.Calculators;
using Estimator.IO;

namespace Estimator.Host.Tests.Online;

/// <summary>
/// The subgroup-shift world of shared/scenarios as the online path receives it: the analysis rows (12 chunks of
/// 5,000 in timestamp order; P(x) moves toward a miscalibrated subgroup from chunk 4) with features x1, x2, x3 and g.
/// </summary>
internal static class ShiftAwareOnlineData
{
    public static readonly string[] Features = ["x1", "x2", "x3", "g"];

    public static string World { get; } = SharedScenarios.World("covariate_shift_subgroup");

    private static readonly Lazy<WorldRows> Rows = new(() =>
    {
        var path = Path.Combine(World, "analysis.parquet");
        var data = PredictionFileReader.Read(path, new ColumnMapping { Id = "id", Timestamp = "timestamp" }, requireTargets: false, requirePredictions: true);
        var features = FeatureFileReader.Read(path, Features).Features;
        return new WorldRows([.. data.Ids!], data.Set.Scores, data.Set.Predictions!, data.Set.Timestamps!, features);
    });

    public static WorldRows Analysis => Rows.Value;

    /// <summary>A configuration with the world's model posted to online with a shift-aware estimator; returns its path.</summary>
    public static string WriteConfig(string root, int window, string estimator, string onlineExtra = "")
    {
        var yaml = $"""
            store: ./store
            models:
              - name: world
                reference: {Path.Combine(World, "reference.parquet")}
                id_column: id
                columns: {"{"} y_pred_proba: y_pred_proba, y_pred: y_pred, timestamp: timestamp {"}"}
                metrics: [roc_auc, precision, recall, f1, accuracy]
                estimator: {estimator}
                features: [x1, x2, x3, g]
                schedule: "*/1 * * * * *"
                slos: [{"{"} metric: roc_auc, objective: 0.99 {"}"}]
                online: {"{"} window: {window}{onlineExtra} {"}"}
            """;
        var path = Path.Combine(root, "estimator.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1 as a posted body, features and all.</summary>
    public static byte[] Body(int start, int count)
    {
        var rows = Analysis;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            for (var i = start; i < start + count; i++)
            {
                w.WriteStartObject();
                w.WriteString("id", rows.Ids[i]);
                w.WriteNumber("y_pred_proba", rows.Scores[i]);
                w.WriteNumber("y_pred", rows.Predictions[i]);
                w.WriteString("timestamp", rows.Timestamps[i]);
                foreach (var feature in rows.Features)
                {
                    switch (feature)
                    {
                        case NumericFeature n when double.IsNaN(n.Values[i]):
                            w.WriteNull(n.Name);
                            break;
                        case NumericFeature n:
                            w.WriteNumber(n.Name, n.Values[i]);
                            break;
                        case CategoricalFeature c:
                            w.WriteString(c.Name, c.Values[i]);
                            break;
                    }
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return stream.ToArray();
    }

    /// <summary>Rows <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1 as a calculator's period.</summary>
    public static ModelData Slice(int start, int count)
    {
        var rows = Analysis;
        return new ModelData(count, rows.Timestamps[start..(start + count)])
        {
            Scores = rows.Scores[start..(start + count)],
            Predictions = rows.Predictions[start..(start + count)],
            Features = [.. rows.Features.Select(f => f.Slice(start, count))],
        };
    }

    internal sealed record WorldRows(string[] Ids, double[] Scores, double[] Predictions, DateTime[] Timestamps, IReadOnlyList<FeatureColumn> Features);
}
