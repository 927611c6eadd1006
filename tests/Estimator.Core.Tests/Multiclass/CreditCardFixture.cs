using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Estimator.Calculators;
using Estimator.Estimation.Multiclass;

namespace Estimator.Tests.Multiclass;

/// <summary>
/// NannyML's multiclass credit-card fixture: the data (gzip CSV, labels as class names) and NannyML 0.13.1's expected
/// outputs (JSON). Score columns are handed over in the fixture's own order (prepaid, highstreet, upmarket), not sorted.
/// </summary>
internal static class CreditCardFixture
{
    /// <summary>The classes in the order of the score columns given (NannyML's <c>y_pred_proba</c> dictionary order).</summary>
    public static readonly string[] Classes = ["prepaid_card", "highstreet_card", "upmarket_card"];

    private static readonly Lazy<Table> LazyReference = new(() => Load("reference.csv.gz"));
    private static readonly Lazy<Table> LazyAnalysis = new(() => Load("analysis.csv.gz"));

    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "credit_card");

    public static ModelData Reference => LazyReference.Value.ToModelData(Classes);

    /// <summary>Analysis rows with the targets that arrived later (joined by id in the fixture).</summary>
    public static ModelData Analysis => LazyAnalysis.Value.ToModelData(Classes);

    public static Table ReferenceTable => LazyReference.Value;

    public static Table AnalysisTable => LazyAnalysis.Value;

    public static JsonDocument Expected(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "expected", name + ".json")));

    private static Table Load(string file)
    {
        using var stream = new GZipStream(File.OpenRead(Path.Combine(Directory, file)), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine()!.Split(',');
        var column = header.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index);
        var timestamps = new List<DateTime>();
        var scores = new Dictionary<string, List<double>>();
        foreach (var c in Classes)
        {
            scores[c] = [];
        }

        var predictions = new List<string?>();
        var targets = new List<string?>();
        while (reader.ReadLine() is { } line)
        {
            // timestamp,y_pred_proba_prepaid_card,y_pred_proba_highstreet_card,y_pred_proba_upmarket_card,y_pred,y_true
            var f = line.Split(',');
            timestamps.Add(DateTime.SpecifyKind(DateTime.Parse(f[column["timestamp"]], CultureInfo.InvariantCulture), DateTimeKind.Utc));
            foreach (var c in Classes)
            {
                scores[c].Add(double.Parse(f[column["y_pred_proba_" + c]], CultureInfo.InvariantCulture));
            }

            predictions.Add(f[column["y_pred"]]);
            targets.Add(f[column["y_true"]]);
        }

        return new Table([.. timestamps], Classes.ToDictionary(c => c, c => scores[c].ToArray()), [.. predictions], [.. targets]);
    }

    /// <summary>The fixture's columns as read, labels as strings.</summary>
    internal sealed record Table(DateTime[] Timestamps, Dictionary<string, double[]> Scores, string?[] Predictions, string?[] Targets)
    {
        public int Count => Timestamps.Length;

        /// <summary>The rows as a calculator sees them, score columns in the order of <paramref name="classes"/>.</summary>
        public ModelData ToModelData(IReadOnlyList<string> classes) => new(Count, Timestamps)
        {
            Classes = classes,
            ClassScores = [.. classes.Select(c => Scores[c])],
            Predictions = ClassLabels.Encode(classes, Predictions, "y_pred"),
            Targets = ClassLabels.Encode(classes, Targets, "y_true"),
        };
    }
}
