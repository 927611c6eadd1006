using System.Globalization;
using System.Text.Json;

namespace Estimator.Tests.Golden;

/// <summary>The NannyML car-loan fixture: the data (CSV) and NannyML 0.13.1's expected outputs (JSON).</summary>
internal static class CarLoanFixture
{
    private static readonly Lazy<PredictionSet> LazyReference = new(() => Load("reference.csv"));
    private static readonly Lazy<PredictionSet> LazyAnalysis = new(() => Load("analysis.csv"));

    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "car_loan");

    public static PredictionSet Reference => LazyReference.Value;

    /// <summary>Analysis rows with the targets that arrived later (joined by id in the fixture).</summary>
    public static PredictionSet Analysis => LazyAnalysis.Value;

    public static JsonDocument Expected(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "expected", name + ".json")));

    private static PredictionSet Load(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Directory, file));
        var n = lines.Length - 1;
        var scores = new double[n];
        var predictions = new double[n];
        var targets = new double[n];
        var timestamps = new DateTime[n];
        for (var i = 0; i < n; i++)
        {
            // id,timestamp,y_pred_proba,y_pred,repaid
            var f = lines[i + 1].Split(',');
            timestamps[i] = DateTime.SpecifyKind(DateTime.Parse(f[1], CultureInfo.InvariantCulture), DateTimeKind.Utc);
            scores[i] = double.Parse(f[2], CultureInfo.InvariantCulture);
            predictions[i] = double.Parse(f[3], CultureInfo.InvariantCulture);
            targets[i] = double.Parse(f[4], CultureInfo.InvariantCulture);
        }

        return new PredictionSet(scores, predictions, targets, timestamps);
    }
}
