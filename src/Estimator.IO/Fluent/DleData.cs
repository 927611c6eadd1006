using Estimator.Learning;

namespace Estimator.IO;

/// <summary>
/// Fit direct loss estimation (DLE) for a regression model straight from a file or a <see cref="DataFrame"/> (the
/// notebook scenario); estimate with <see cref="FittedDleDataExtensions"/>. The regression counterpart of <see cref="CbpeData"/>.
/// </summary>
/// <example>
/// <code>
/// var mapping = new ColumnMapping { YPred = "y_pred", YTrue = "y_true", Timestamp = "timestamp" };
/// var fitted = DleData.Fit("reference.parquet", mapping, new DleOptions { Features = ["x1", "x2", "x3", "g"], Chunking = Chunking.BySize(1500) });
/// var result = fitted.Estimate("analysis.parquet", mapping, "house_prices");
/// var frame = result.ToDataFrame();
/// </code>
/// </example>
public static class DleData
{
    /// <summary>Reads a Parquet or CSV reference file (targets required; the id column is ignored) and fits DLE on it.</summary>
    /// <param name="referencePath">The reference file.</param>
    /// <param name="mapping">Which columns hold what; <see cref="ColumnMapping.YPred"/> (the predicted value) and <see cref="ColumnMapping.YTrue"/> must be set.</param>
    /// <param name="options">DLE options, the model's input columns in <see cref="DleOptions.Features"/>; null for the defaults (the error models then learn from the prediction alone).</param>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable or holds bad data.</exception>
    /// <exception cref="ArgumentException">No prediction or target column is mapped.</exception>
    public static FittedDle Fit(string referencePath, ColumnMapping mapping, DleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        options ??= new DleOptions();
        var reference = RegressionFileReader.Read(referencePath, mapping with { Id = null }, options.Features, requireTargets: true);
        return new DleCalculator(options).FitDle(reference.Data, ComputeOptions.Default);
    }

    /// <summary>Fits DLE on a reference data frame (targets required).</summary>
    /// <param name="reference">The reference rows.</param>
    /// <param name="mapping">Which columns hold what; <see cref="ColumnMapping.YPred"/> and <see cref="ColumnMapping.YTrue"/> must be set.</param>
    /// <param name="options">DLE options; null for the defaults.</param>
    /// <exception cref="EstimatorDataException">The frame holds bad data.</exception>
    /// <exception cref="ArgumentException">No prediction or target column is mapped.</exception>
    public static FittedDle Fit(DataFrame reference, ColumnMapping mapping, DleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        options ??= new DleOptions();
        var data = RegressionFileReader.Read(reference, mapping with { Id = null }, options.Features, requireTargets: true, name: "reference");
        return new DleCalculator(options).FitDle(data.Data, ComputeOptions.Default);
    }
}
