using Estimator.Learning;
using Estimator.Metrics;

namespace Estimator.IO;

/// <summary>
/// Fit CBPE straight from a file or a <see cref="DataFrame"/> (the notebook scenario); estimate with
/// <see cref="FittedCbpeDataExtensions"/>.
/// </summary>
/// <example>
/// <code>
/// var mapping = new ColumnMapping { YTrue = "repaid", Timestamp = "timestamp" };
/// var fitted = CbpeData.Fit("reference.parquet", mapping, new CbpeOptions { Chunking = Chunking.BySize(5000) });
/// var result = fitted.Estimate("analysis.parquet", mapping, "car_loan");
/// var frame = result.ToDataFrame();
///
/// // Under covariate or prior shift: the estimator chosen per chunk from the evidence (see FitShiftAware).
/// var shiftAware = CbpeData.FitShiftAware("reference.parquet", mapping, new ShiftAwareCbpeOptions { Estimator = ShiftEstimator.Auto, Features = ["x1", "x2", "g"] });
/// var estimates = shiftAware.Estimate("analysis.parquet", mapping, "car_loan");
/// </code>
/// </example>
public static class CbpeData
{
    /// <summary>Reads a Parquet or CSV reference file (targets required; the id column is ignored) and fits CBPE on it.</summary>
    /// <param name="referencePath">The reference file.</param>
    /// <param name="mapping">Which columns hold what; <see cref="ColumnMapping.YTrue"/> must be set.</param>
    /// <param name="options">CBPE options; null for NannyML's defaults.</param>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable or holds bad data.</exception>
    public static FittedCbpe Fit(string referencePath, ColumnMapping mapping, CbpeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        options ??= new CbpeOptions();
        var reference = PredictionFileReader.Read(referencePath, mapping with { Id = null }, requireTargets: true, requirePredictions: NeedsPredictions(options));
        return Cbpe.Fit(reference.Set, options);
    }

    /// <summary>Fits CBPE on a reference data frame (targets required).</summary>
    /// <param name="reference">The reference rows.</param>
    /// <param name="mapping">Which columns hold what; <see cref="ColumnMapping.YTrue"/> must be set.</param>
    /// <param name="options">CBPE options; null for NannyML's defaults.</param>
    /// <exception cref="EstimatorDataException">The frame holds bad data.</exception>
    public static FittedCbpe Fit(DataFrame reference, ColumnMapping mapping, CbpeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        options ??= new CbpeOptions();
        var data = PredictionFileReader.Read(reference, mapping with { Id = null }, requireTargets: true, requirePredictions: NeedsPredictions(options), name: "reference");
        return Cbpe.Fit(data.Set, options);
    }

    /// <summary>
    /// Reads a Parquet or CSV reference file with the model's input columns (<see cref="ShiftAwareCbpeOptions.Features"/>)
    /// and fits shift-aware CBPE on it: plain CBPE, importance-weighted (<c>weighted</c>), prior-shift corrected
    /// (<c>prior</c>), or the one the evidence picks per chunk (<c>auto</c>); estimate with <see cref="FittedShiftAwareCbpeDataExtensions"/>.
    /// </summary>
    /// <param name="referencePath">The reference file.</param>
    /// <param name="mapping">Which columns hold what; <see cref="ColumnMapping.YTrue"/> must be set.</param>
    /// <param name="options">The estimator, the features, the domain classifier and CBPE's options (<see cref="ShiftAwareCbpeOptions.Cbpe"/>).</param>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable, lacks a feature or holds bad data.</exception>
    /// <exception cref="ArgumentException">weighted or auto without features, or a feature listed twice.</exception>
    public static FittedShiftAwareCbpe FitShiftAware(string referencePath, ColumnMapping mapping, ShiftAwareCbpeOptions options)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var calculator = new ShiftAwareCbpeCalculator(options);
        var reference = PredictionFileReader.Read(referencePath, mapping with { Id = null }, requireTargets: true, requirePredictions: NeedsPredictions(options.Cbpe));
        return calculator.Fit(reference.Set.WithFeatures(referencePath, options.Features), ComputeOptions.Default);
    }

    internal static bool NeedsPredictions(CbpeOptions options) => options.Metrics.Any(m => m.RequiresPredictions());
}
