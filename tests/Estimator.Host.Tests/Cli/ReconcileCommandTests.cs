using System.Globalization;
using Estimator.Cli;
using Estimator.Host.Configuration;
using Estimator.Host.Tests.Notifications;

namespace Estimator.Host.Tests.Cli;

public sealed class ReconcileCommandTests : IDisposable
{
    private readonly TempDirectory temp = TestData.NewTempDirectory();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Reconcile_PrintsTheSummary_AndRealizedValuesConfirmTheDecayFlags()
    {
        var path = AlertDemo.Copy(temp.Path, "      []");
        var config = EstimatorConfig.Load(path);
        using (var stdout = new StringWriter())
        using (var stderr = new StringWriter())
        {
            Assert.Equal(0, EstimatorCli.Run(["run", "--config", path], stdout, stderr));
        }

        // All labels land.
        File.Copy(Path.Combine(TestData.Datasets, "car_loan", "analysis_targets.parquet"), Path.Combine(Path.GetDirectoryName(config.Models[0].Definition.Targets!)!, "labels.parquet"));
        File.SetLastWriteTimeUtc(Path.Combine(Path.GetDirectoryName(config.Models[0].Definition.Targets!)!, "labels.parquet"), DateTime.UtcNow.AddMinutes(-1));
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var exit = EstimatorCli.Run(["reconcile", "--config", path, "--model", "car_loan"], output, errors);

        Assert.True(exit == 0, errors.ToString());
        var text = output.ToString();
        Assert.Contains("car_loan: chunks with labels: 10, complete: 10", text, StringComparison.Ordinal);

        // Independent: NannyML's realized roc_auc per chunk — MAE and coverage over the ten analysis chunks.
        var expected = Golden();
        var mae = expected.Average(e => Math.Abs(e.Estimated - e.Realized));
        var coverage = expected.Count(e => e.Realized >= e.Lower && e.Realized <= e.Upper) / (double)expected.Count;
        var row = text.Split('\n').Single(l => l.StartsWith("car_loan: roc_auc ", StringComparison.Ordinal));
        Assert.Contains(mae.ToString("0.000000", CultureInfo.InvariantCulture), row, StringComparison.Ordinal);
        Assert.Contains(coverage.ToString("P1", CultureInfo.InvariantCulture), row, StringComparison.Ordinal);

        // Flags on chunks 5..9 (P2 objective): realized below 0.965 confirms them.
        var confirmed = expected.Skip(5).Count(e => e.Realized < AlertDemo.Objective);
        Assert.Contains($"decay flags: {confirmed} confirmed, {5 - confirmed} retracted", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reconcile_Exits2_ForAModelWithoutTargets()
    {
        var path = TestData.CopyDemo(temp.Path);
        File.WriteAllText(path, File.ReadAllText(path).Replace("    targets: ./incoming/car_loan/targets/*.parquet       # labels arriving later\n", "", StringComparison.Ordinal));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        Assert.Equal(2, EstimatorCli.Run(["reconcile", "--config", path, "--model", "car_loan"], stdout, stderr));
        Assert.Contains("has no targets source", stderr.ToString(), StringComparison.Ordinal);
    }

    private static List<(double Estimated, double Lower, double Upper, double Realized)> Golden()
    {
        var path = Path.Combine(TestData.RepositoryRoot, "tests", "Estimator.Core.Tests", "Fixtures", "car_loan", "expected", "chunk_size_5000.json");
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("chunks").EnumerateArray()
            .Where(c => c.GetProperty("period").GetString() == "analysis")
            .Select(c => c.GetProperty("metrics").GetProperty("roc_auc"))
            .Select(m => (m.GetProperty("estimated").GetDouble(), m.GetProperty("lower_confidence_bound").GetDouble(), m.GetProperty("upper_confidence_bound").GetDouble(), m.GetProperty("realized").GetDouble()))
            .ToList();
    }
}
