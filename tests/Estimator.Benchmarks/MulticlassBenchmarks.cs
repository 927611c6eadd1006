using System.Globalization;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.Estimation.Multiclass;

namespace Estimator.Benchmarks;

/// <summary>
/// Multiclass CBPE on NannyML's credit-card tutorial data (issue #13): 60,000 reference and 60,000 analysis rows,
/// three classes, chunks of 6,000, roc_auc + f1 + precision + recall + specificity + accuracy. NannyML 0.13.1 takes
/// 5.9 s to fit and 0.67 s to estimate on the same data (the fixture's <c>timing_s</c>). The data is read from the Core
/// tests' fixture (<c>tests/Estimator.Core.Tests/Fixtures/credit_card</c>), found by walking up from the binary.
/// </summary>
[MemoryDiagnoser]
public class MulticlassKernels
{
    private static readonly string[] Classes = ["prepaid_card", "highstreet_card", "upmarket_card"];

    private MulticlassCbpeCalculator _calculator = null!;
    private FittedMulticlassCbpe _fitted = null!;
    private ModelData _reference = null!;
    private ModelData _analysis = null!;
    private ModelData _unlabelled = null!;

    [Params(1, -1)]
    public int Threads { get; set; }

    private ComputeOptions Compute => new() { MaxDegreeOfParallelism = Threads };

    [GlobalSetup]
    public void Setup()
    {
        var directory = FixtureDirectory();
        _reference = Load(Path.Combine(directory, "reference.csv.gz"));
        _analysis = Load(Path.Combine(directory, "analysis.csv.gz"));
        _unlabelled = _analysis.WithTargets(null);
        _calculator = new MulticlassCbpeCalculator(new MulticlassCbpeOptions { Chunking = Chunking.BySize(6000) });
        _fitted = _calculator.Fit(_reference, Compute);
    }

    [Benchmark]
    public FittedMulticlassCbpe Fit() => _calculator.Fit(_reference, Compute);

    /// <summary>As NannyML's timing: the analysis without targets (estimates only).</summary>
    [Benchmark]
    public MulticlassCbpeResult Estimate() => _fitted.Estimate(_unlabelled, "credit_card", Compute);

    /// <summary>With the targets joined: realized values as well (NannyML's PerformanceCalculator, 6.1 s with its fit).</summary>
    [Benchmark]
    public MulticlassCbpeResult EstimateWithTargets() => _fitted.Estimate(_analysis, "credit_card", Compute);

    private static string FixtureDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Estimator.Core.Tests", "Fixtures", "credit_card");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/Estimator.Core.Tests/Fixtures/credit_card not found above " + AppContext.BaseDirectory);
    }

    private static ModelData Load(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var header = reader.ReadLine()!.Split(',');
        var timestamps = new List<DateTime>();
        var scores = Classes.Select(_ => new List<double>()).ToArray();
        var predictions = new List<string?>();
        var targets = new List<string?>();
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(',');
            timestamps.Add(DateTime.SpecifyKind(DateTime.Parse(f[0], CultureInfo.InvariantCulture), DateTimeKind.Utc));
            for (var c = 0; c < Classes.Length; c++)
            {
                scores[c].Add(double.Parse(f[Array.IndexOf(header, "y_pred_proba_" + Classes[c])], CultureInfo.InvariantCulture));
            }

            predictions.Add(f[Array.IndexOf(header, "y_pred")]);
            targets.Add(f[Array.IndexOf(header, "y_true")]);
        }

        return new ModelData(timestamps.Count, [.. timestamps])
        {
            Classes = Classes,
            ClassScores = [.. scores.Select(s => s.ToArray())],
            Predictions = ClassLabels.Encode(Classes, predictions, "y_pred"),
            Targets = ClassLabels.Encode(Classes, targets, "y_true"),
        };
    }
}
