namespace Estimator.IO;

/// <summary>Estimate straight from a file or a <see cref="DataFrame"/>; see <see cref="CbpeData"/>.</summary>
public static class FittedCbpeDataExtensions
{
    /// <summary>
    /// Reads a Parquet or CSV analysis file and estimates it. Targets are taken from <paramref name="targetsPath"/> when
    /// given (left-joined by <see cref="ColumnMapping.Id"/>), else from the file's <see cref="ColumnMapping.YTrue"/>
    /// column when it has one, so the result carries realized values wherever labels exist.
    /// </summary>
    /// <param name="fitted">The fitted estimator.</param>
    /// <param name="analysisPath">The analysis file.</param>
    /// <param name="mapping">Which columns hold what.</param>
    /// <param name="model">The model's name written to the result.</param>
    /// <param name="targetsPath">A file of id and target that arrived later; needs <see cref="ColumnMapping.Id"/> and <see cref="ColumnMapping.YTrue"/>.</param>
    /// <exception cref="EstimatorDataException">A file is missing, unreadable or holds bad data.</exception>
    /// <exception cref="ArgumentException"><paramref name="targetsPath"/> is given without an id or target column mapped.</exception>
    public static CbpeResult Estimate(this FittedCbpe fitted, string analysisPath, ColumnMapping mapping, string model = "model", string? targetsPath = null)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentNullException.ThrowIfNull(mapping);
        var needsPredictions = CbpeData.NeedsPredictions(fitted.Options);
        if (targetsPath is null)
        {
            var analysis = PredictionFileReader.Read(analysisPath, mapping with { Id = null }, requireTargets: false, requirePredictions: needsPredictions);
            return fitted.Estimate(analysis.Set, model);
        }

        if (mapping.Id is null || mapping.YTrue is null)
        {
            throw new ArgumentException("Joining targets needs both the id column (Id) and the target column (YTrue) mapped.", nameof(mapping));
        }

        var withIds = PredictionFileReader.Read(analysisPath, mapping with { YTrue = null }, requireTargets: false, requirePredictions: needsPredictions);
        var join = TargetJoin.LeftJoin(withIds, targetsPath, mapping.Id, mapping.YTrue);
        return fitted.Estimate(withIds.Set.WithTargets(join.Targets), model);
    }

    /// <summary>Estimates an analysis data frame; its target column, when mapped and present, gives realized values.</summary>
    /// <param name="fitted">The fitted estimator.</param>
    /// <param name="analysis">The analysis rows.</param>
    /// <param name="mapping">Which columns hold what.</param>
    /// <param name="model">The model's name written to the result.</param>
    /// <exception cref="EstimatorDataException">The frame holds bad data.</exception>
    public static CbpeResult Estimate(this FittedCbpe fitted, DataFrame analysis, ColumnMapping mapping, string model = "model")
    {
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentNullException.ThrowIfNull(mapping);
        var data = PredictionFileReader.Read(analysis, mapping with { Id = null }, requireTargets: false, requirePredictions: CbpeData.NeedsPredictions(fitted.Options), name: "analysis");
        return fitted.Estimate(data.Set, model);
    }
}
