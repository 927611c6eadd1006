using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.Estimation.Multiclass;
using Estimator.IO;

namespace Estimator.Tests.IO;

/// <summary>Estimate-file schema versions: version-2 files (written before the class column) still read; class round-trips.</summary>
public sealed class EstimateFileVersionTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string Version2(string extension) =>
        TestFiles.RepositoryFile(Path.Combine("tests", "Estimator.Tests", "Fixtures", "estimate_v2", "estimates_v2" + extension));

    [Theory]
    [InlineData(".parquet")]
    [InlineData(".csv")]
    [InlineData(".json")]
    public void Read_ReadsVersion2FileWithNullClass_WhenWrittenByTheVersion2Writer(string extension)
    {
        var records = EstimateFileReader.Read(Version2(extension));

        Assert.Equal(8, records.Count);
        Assert.All(records, r => Assert.Equal(2, r.SchemaVersion));
        Assert.All(records, r => Assert.Null(r.Class));
        Assert.All(records, r => Assert.Equal("car_loan_v2", r.Model));

        // Values as the version-2 CSV file spells them.
        var last = records[7];
        Assert.Equal(("[25000:49999]", "analysis", "f1"), (last.ChunkKey, last.Period, last.Metric));
        Assert.Equal(0.9127466337309774, last.Estimated);
        Assert.Equal(0.9152023214573594, last.Realized);
        Assert.True(last.Alert);
        Assert.Null(last.RunId);
        Assert.Equal(new DateTime(2019, 3, 31, 3, 0, 0, DateTimeKind.Utc), last.ChunkStartDate);
    }

    [Fact]
    public void Read_GivesTheSameRecords_ForEveryFormatOfAVersion2File()
    {
        // The three files come from three runs: only estimated_at differs.
        static IEnumerable<EstimateRecord> Read(string extension) =>
            EstimateFileReader.Read(Version2(extension)).Select(r => r with { EstimatedAt = null });
        var csv = Read(".csv").ToList();

        Assert.Equal(csv, Read(".json"));
        Assert.Equal(csv, Read(".parquet"));
    }

    [Theory]
    [InlineData("estimates.parquet")]
    [InlineData("estimates.csv")]
    [InlineData("estimates.json")]
    public void Write_RoundTripsTheClassColumn_WhenRowsArePerClass(string name)
    {
        var path = _files.PathOf(name);
        var chunk = new Chunk("[0:99]", 0, 0, 99, null, null);
        ChunkEstimate[] rows =
        [
            new(chunk, Period.Analysis, "recall", 0.7, 0.01, 0.67, 0.73, 0.6, 0.8, false, null, null),
            new(chunk, Period.Analysis, "recall", 0.9, 0.02, 0.84, 0.96, 0.6, 0.95, false, null, null) { Class = "prepaid card, \"gold\"" },
            new(chunk, Period.Analysis, "recall", 0.5, 0.02, 0.44, 0.56, 0.6, 0.95, true, null, null) { Class = "0" },
        ];
        var result = new MulticlassCbpeResult("m", rows, ["0", "prepaid card, \"gold\""], [Report(), Report()], 0, 0, 0);

        EstimateFileWriter.Write(result, path);
        var records = EstimateFileReader.Read(path);

        Assert.Equal([null, "prepaid card, \"gold\"", "0"], records.Select(r => r.Class));
        Assert.All(records, r => Assert.Equal(EstimateRecord.CurrentSchemaVersion, r.SchemaVersion));
        Assert.Equal(5, EstimateRecord.CurrentSchemaVersion);
    }

    [Fact]
    public void Read_GivesNullEstimatorColumns_ForAVersion3File()
    {
        // A version-3 file: the version-2 columns plus class, no estimator or effective_sample_size.
        var v2 = File.ReadAllLines(Version2(".csv"));
        var lines = new[] { v2[0] + ",class" }.Concat(v2.Skip(1).Where(l => l.Length > 0).Select(l => "3" + l[1..] + ",")).ToArray();
        var path = _files.WriteText("v3.csv", string.Join("\n", lines) + "\n");

        var records = EstimateFileReader.Read(path);

        Assert.Equal(lines.Length - 1, records.Count);
        Assert.All(records, r => Assert.Equal(3, r.SchemaVersion));
        Assert.All(records, r => Assert.Null(r.Estimator));
        Assert.All(records, r => Assert.Null(r.EffectiveSampleSize));
    }

    [Theory]
    [InlineData(".csv")]
    [InlineData(".json")]
    public void Read_GivesNullEvidence_ForAVersion4File(string extension)
    {
        // A version-4 file as the version-4 writer left it: this version's columns without the four evidence columns.
        var chunk = new Chunk("[0:99]", 0, 0, 99, null, null);
        ChunkEstimate[] rows =
        [
            new(chunk, Period.Analysis, "f1", 0.9, 0.02, 0.84, 0.96, 0.6, 0.95, false, null, null) { Estimator = "weighted", EffectiveSampleSize = 10_076.5 },
        ];
        var current = _files.PathOf("v5" + extension);
        EstimateFileWriter.Write(new Estimator.Calculators.CalculatorResult("m", rows), current);
        var v4 = _files.PathOf("v4" + extension);
        DropEvidence(current, v4);

        var records = EstimateFileReader.Read(v4);

        var record = Assert.Single(records);
        Assert.Equal((4, "weighted", 10_076.5), (record.SchemaVersion, record.Estimator, record.EffectiveSampleSize));
        Assert.Equal((null, null, null, null), (record.DomainAuc, record.EstimatedPrior, record.PriorLikelihoodRatio, record.EstimatorReason));
    }

    [Theory]
    [InlineData("estimates.parquet")]
    [InlineData("estimates.csv")]
    [InlineData("estimates.json")]
    public void Write_RoundTripsTheEstimatorColumns_WhenRowsNameTheirEstimator(string name)
    {
        var path = _files.PathOf(name);
        var chunk = new Chunk("[0:99]", 0, 0, 99, null, null);
        ChunkEstimate[] rows =
        [
            new(chunk, Period.Analysis, "recall", 0.7, 0.01, 0.67, 0.73, 0.6, 0.8, false, null, null),
            new(chunk, Period.Analysis, "f1", 0.9, 0.02, 0.84, 0.96, 0.6, 0.95, false, null, null)
            {
                Estimator = "weighted", EffectiveSampleSize = 10_076.5, DomainAuc = 0.61, EstimatedPrior = 0.25, PriorLikelihoodRatio = 1.5, EstimatorReason = "covariate shift moving P(y|score): π → 0.25",
            },
            new(chunk, Period.Analysis, "accuracy", 0.5, 0.02, 0.44, 0.56, 0.6, 0.95, true, null, null)
            {
                Estimator = "prior", EffectiveSampleSize = double.NaN, DomainAuc = double.NaN, EstimatedPrior = 0.6, PriorLikelihoodRatio = 812.25, EstimatorReason = "prior (forced)",
            },
        ];

        EstimateFileWriter.Write(new Estimator.Calculators.CalculatorResult("m", rows), path);
        var records = EstimateFileReader.Read(path);

        Assert.Equal([null, "weighted", "prior"], records.Select(r => r.Estimator));
        Assert.Equal([null, 10_076.5, null], records.Select(r => r.EffectiveSampleSize));
        Assert.Equal([null, 0.61, null], records.Select(r => r.DomainAuc));
        Assert.Equal([null, 0.25, 0.6], records.Select(r => r.EstimatedPrior));
        Assert.Equal([null, 1.5, 812.25], records.Select(r => r.PriorLikelihoodRatio));
        Assert.Equal([null, "covariate shift moving P(y|score): π → 0.25", "prior (forced)"], records.Select(r => r.EstimatorReason));
    }

    [Fact]
    public void Read_ThrowsNamingTheRow_WhenVersionDoesNotMatchTheColumns()
    {
        var v2 = File.ReadAllLines(Version2(".csv"));

        // Version-2 columns with a row that claims version 3.
        var path = _files.WriteText("mixed.csv", string.Join("\n", v2[0], v2[1], "3" + v2[2][1..]) + "\n");

        var ex = Assert.Throws<EstimatorDataException>(() => EstimateFileReader.Read(path));

        Assert.Contains("mixed.csv", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Row);
        Assert.Equal("schema_version", ex.Column);
    }

    private static CalibrationReport Report() => new(CalibrationMode.Never, false, double.NaN, double.NaN, "never");

    /// <summary>Rewrites a CSV or JSON estimate file without its last four columns and with schema_version 4.</summary>
    private static void DropEvidence(string from, string to)
    {
        if (from.EndsWith(".csv", StringComparison.Ordinal))
        {
            var lines = File.ReadAllLines(from).Where(l => l.Length > 0).Select(l => string.Join(",", l.Split(',').SkipLast(4)));
            File.WriteAllLines(to, lines.Select((l, i) => i == 0 ? l : "4" + l[1..]));
            return;
        }

        if (from.EndsWith(".json", StringComparison.Ordinal))
        {
            var array = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(from))!.AsArray();
            foreach (var row in array.Select(r => r!.AsObject()))
            {
                row["schema_version"] = 4;
                foreach (var name in new[] { "domain_auc", "estimated_prior", "prior_likelihood_ratio", "estimator_reason" })
                {
                    row.Remove(name);
                }
            }

            File.WriteAllText(to, array.ToJsonString());
            return;
        }

        throw new ArgumentException("a CSV or JSON estimate file", nameof(from));
    }
}
