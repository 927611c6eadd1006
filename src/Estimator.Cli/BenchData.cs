namespace Estimator.Cli;

/// <summary>
/// Seeded benchmark data: rows resampled (with replacement) from the car-loan sample data in <c>datasets/car_loan</c>
/// when it can be found, as the NannyML reference figures were measured; otherwise synthetic rows of the same shape
/// (scores with two decimals, so ties are as frequent as in the car-loan data).
/// </summary>
internal static class BenchData
{
    /// <summary>Where the data came from: <c>car_loan</c> (resampled) or <c>synthetic</c>.</summary>
    public static string SourceName(string? carLoanDirectory) => carLoanDirectory is null ? "synthetic" : "car_loan";

    /// <summary>The <c>datasets/car_loan</c> directory above the working directory or the executable, or null.</summary>
    public static string? FindCarLoan()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "datasets", "car_loan");
                if (File.Exists(Path.Combine(candidate, "reference.parquet")) && File.Exists(Path.Combine(candidate, "analysis.parquet")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Loads the car-loan rows to resample from, or null to generate synthetic rows.</summary>
    public static (PredictionSet Reference, PredictionSet Analysis)? LoadSource(string? carLoanDirectory)
    {
        if (carLoanDirectory is null)
        {
            return null;
        }

        var reference = PredictionFileReader.Read(Path.Combine(carLoanDirectory, "reference.parquet"), new ColumnMapping { YTrue = "repaid" }, requireTargets: true, requirePredictions: true).Set;
        var analysis = PredictionFileReader.Read(Path.Combine(carLoanDirectory, "analysis.parquet"), new ColumnMapping(), requireTargets: false, requirePredictions: true).Set;
        return (reference, analysis);
    }

    /// <summary>
    /// Generates the next <paramref name="rows"/> rows from <paramref name="random"/>; targets only when
    /// <paramref name="withTargets"/>. Generating in batches from one generator gives the same rows as one call.
    /// </summary>
    public static PredictionSet Generate(int rows, bool withTargets, Random random, PredictionSet? source)
    {
        var scores = new double[rows];
        var predictions = new double[rows];
        var targets = withTargets ? new double[rows] : null;
        if (source is not null)
        {
            var n = source.Count;
            for (var i = 0; i < rows; i++)
            {
                var row = random.Next(n);
                scores[i] = source.Scores[row];
                predictions[i] = source.Predictions![row];
                if (targets is not null)
                {
                    targets[i] = source.Targets![row];
                }
            }
        }
        else
        {
            for (var i = 0; i < rows; i++)
            {
                // A skewed score, rounded to two decimals; the label drawn slightly miscalibrated so the check calibrates.
                var u = random.NextDouble();
                var score = Math.Round(Math.Clamp(Math.Pow(u, 0.7), 0, 1), 2);
                scores[i] = score;
                predictions[i] = score >= 0.5 ? 1 : 0;
                if (targets is not null)
                {
                    targets[i] = random.NextDouble() < Math.Clamp((score * 0.9) + 0.05, 0, 1) ? 1 : 0;
                }
            }
        }

        return new PredictionSet(scores, predictions, targets);
    }
}
