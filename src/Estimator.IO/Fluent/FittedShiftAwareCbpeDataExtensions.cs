using Estimator.Learning;

namespace Estimator.IO;

/// <summary>Estimate straight from a file with a shift-aware CBPE; see <see cref="CbpeData.FitShiftAware"/>.</summary>
public static class FittedShiftAwareCbpeDataExtensions
{
    /// <summary>
    /// Reads a Parquet or CSV analysis file (outputs and the fitted model's features) and estimates it: each chunk's
    /// rows name their estimator and, for an importance-weighted one, the effective sample size. Targets are taken from
    /// <paramref name="targetsPath"/> when given (left-joined by <see cref="ColumnMapping.Id"/>), else from the file's
    /// <see cref="ColumnMapping.YTrue"/> column when it has one, so the result carries realized values wherever labels exist.
    /// </summary>
    /// <param name="fitted">The fitted estimator.</param>
    /// <param name="analysisPath">The analysis file.</param>
    /// <param name="mapping">Which columns hold what.</param>
    /// <param name="model">The model's name written to the result.</param>
    /// <param name="targetsPath">A file of id and target that arrived later; needs <see cref="ColumnMapping.Id"/> and <see cref="ColumnMapping.YTrue"/>.</param>
    /// <exception cref="EstimatorDataException">A file is missing, unreadable or holds bad data.</exception>
    /// <exception cref="ArgumentException"><paramref name="targetsPath"/> is given without an id or target column mapped.</exception>
    public static ShiftAwareResult Estimate(this FittedShiftAwareCbpe fitted, string analysisPath, ColumnMapping mapping, string model = "model", string? targetsPath = null)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentNullException.ThrowIfNull(mapping);
        var needsPredictions = CbpeData.NeedsPredictions(fitted.Cbpe.Options);
        var features = fitted.Options.Features;
        if (targetsPath is null)
        {
            var analysis = PredictionFileReader.Read(analysisPath, mapping with { Id = null }, requireTargets: false, requirePredictions: needsPredictions);
            return fitted.Estimate(analysis.Set.WithFeatures(analysisPath, features), model, ComputeOptions.Default);
        }

        if (mapping.Id is null || mapping.YTrue is null)
        {
            throw new ArgumentException("Joining targets needs both the id column (Id) and the target column (YTrue) mapped.", nameof(mapping));
        }

        var withIds = PredictionFileReader.Read(analysisPath, mapping with { YTrue = null }, requireTargets: false, requirePredictions: needsPredictions);
        var join = TargetJoin.LeftJoin(withIds, targetsPath, mapping.Id, mapping.YTrue);
        return fitted.Estimate(withIds.Set.WithTargets(join.Targets).WithFeatures(analysisPath, features), model, ComputeOptions.Default);
    }
}
