using Estimator.Estimation;
using Estimator.IO;

namespace Estimator.Tests;

/// <summary>The bundled car-loan data and the repository root.</summary>
internal static class CarLoan
{
    public static readonly ColumnMapping Mapping = new() { YTrue = "repaid", Timestamp = "timestamp", Id = "id" };

    public static string RepositoryRoot { get; } = FindRoot();

    public static string Dataset(string name) => Path.Combine(RepositoryRoot, "datasets", "car_loan", name);

    /// <summary>Fits with chunks of 5000 and estimates the analysis with its targets joined.</summary>
    public static CbpeResult EstimateWithTargets()
    {
        var reference = PredictionFileReader.Read(Dataset("reference.parquet"), Mapping with { Id = null }, requireTargets: true, requirePredictions: true);
        var fitted = Cbpe.Fit(reference.Set, new CbpeOptions { Chunking = Chunking.BySize(5000) });
        var analysis = PredictionFileReader.Read(Dataset("analysis.parquet"), Mapping with { YTrue = null }, requireTargets: false, requirePredictions: true);
        var join = TargetJoin.LeftJoin(analysis, Dataset("analysis_targets.parquet"), "id", "repaid");
        return fitted.Estimate(analysis.Set.WithTargets(join.Targets), "car_loan");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Estimator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"Estimator.sln not found above {AppContext.BaseDirectory}");
    }
}
