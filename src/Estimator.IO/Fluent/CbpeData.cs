using Estimator.Estimation;
using Estimator.Metrics;
using Microsoft.Data.Analysis;

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

    internal static bool NeedsPredictions(CbpeOptions options) => options.Metrics.Any(m => m.RequiresPredictions());
}
