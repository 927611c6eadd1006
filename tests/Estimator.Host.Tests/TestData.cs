using Estimator.Estimation;
using Estimator.Host.Configuration;
using Estimator.IO;
using Estimator.Monitoring;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Estimator.Host.Tests;

/// <summary>Paths into the repository and temporary copies of the demo.</summary>
internal static class TestData
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Datasets => Path.Combine(RepositoryRoot, "datasets");

    public static string DemoConfig => Path.Combine(Datasets, "demo", "estimator.yaml");

    public static string CarLoanReference => Path.Combine(Datasets, "car_loan", "reference.parquet");

    public static string CarLoanAnalysis => Path.Combine(Datasets, "car_loan", "analysis.parquet");

    public static string SeedDirectory => Path.Combine(Datasets, "demo", "incoming", "car_loan", "analysis");

    /// <summary>A fresh temporary directory, deleted by <see cref="TempDirectory.Dispose"/>.</summary>
    public static TempDirectory NewTempDirectory() => new();

    /// <summary>
    /// Copies the demo into <paramref name="root"/> with the same layout (car_loan/reference.parquet,
    /// demo/incoming/...) and writes demo/estimator.yaml with <paramref name="schedule"/> and extra top-level YAML.
    /// </summary>
    public static string CopyDemo(string root, string schedule = "*/2 * * * * *", string extraTopLevel = "", int seedFiles = 5)
    {
        Directory.CreateDirectory(Path.Combine(root, "car_loan"));
        File.Copy(CarLoanReference, Path.Combine(root, "car_loan", "reference.parquet"));
        var analysis = Path.Combine(root, "demo", "incoming", "car_loan", "analysis");
        Directory.CreateDirectory(analysis);
        Directory.CreateDirectory(Path.Combine(root, "demo", "incoming", "car_loan", "targets"));
        foreach (var file in Directory.GetFiles(SeedDirectory, "*.parquet").Order(StringComparer.Ordinal).Take(seedFiles))
        {
            File.Copy(file, Path.Combine(analysis, Path.GetFileName(file)));
        }

        var yaml = File.ReadAllText(DemoConfig).Replace("\"*/10 * * * * *\"", $"\"{schedule}\"", StringComparison.Ordinal);
        var path = Path.Combine(root, "demo", "estimator.yaml");
        File.WriteAllText(path, extraTopLevel + yaml);
        return path;
    }

    /// <summary>What the engine estimates for the whole car-loan analysis with the demo's options (the numbers the pages must show).</summary>
    public static IReadOnlyList<EstimateRecord> ExpectedCarLoanEstimates(ModelDefinition model)
    {
        var reference = PredictionFileReader.Read(model.Reference, model.Columns with { Id = null }, requireTargets: true, requirePredictions: true);
        var analysis = PredictionFileReader.Read(CarLoanAnalysis, model.Columns with { YTrue = null }, requireTargets: false, requirePredictions: true);
        return EstimateRecord.FromResult(Cbpe.Fit(reference.Set, model.Options).Estimate(analysis.Set, model.Name));
    }

    public static EstimatorConfig LoadYaml(string directory, string yaml, string name = "estimator.yaml")
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, yaml);
        return EstimatorConfig.Load(path);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Estimator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Estimator.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary directory that deletes itself.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "estimator-host-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
