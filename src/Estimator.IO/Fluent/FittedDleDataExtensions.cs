using Estimator.Learning;

namespace Estimator.IO;

/// <summary>Estimate a regression model's performance straight from a file or a <see cref="DataFrame"/>; see <see cref="DleData"/>.</summary>
/// <remarks>
/// The result is the same <see cref="CalculatorResult"/> <see cref="FittedDle.Calculate"/> gives: long format, one row
/// per chunk × metric (<c>mae</c>, <c>rmse</c>, ...), reference chunks first; <c>ToDataFrame()</c> and Estimator.Plots'
/// <c>Plot()</c> take it as they take CBPE's.
/// </remarks>
public static class FittedDleDataExtensions
{
    /// <summary>
    /// Reads a Parquet or CSV analysis file and estimates it. Actual values are taken from <paramref name="targetsPath"/>
    /// when given (left-joined by <see cref="ColumnMapping.Id"/>), else from the file's <see cref="ColumnMapping.YTrue"/>
    /// column when it has one, so the result carries realized values wherever they exist.
    /// </summary>
    /// <param name="fitted">The fitted estimator.</param>
    /// <param name="analysisPath">The analysis file.</param>
    /// <param name="mapping">Which columns hold what.</param>
    /// <param name="model">The model's name written to the result.</param>
    /// <param name="targetsPath">A file of id and actual value that arrived later; needs <see cref="ColumnMapping.Id"/> and <see cref="ColumnMapping.YTrue"/>.</param>
    /// <exception cref="EstimatorDataException">A file is missing, unreadable or holds bad data.</exception>
    /// <exception cref="ArgumentException"><paramref name="targetsPath"/> is given without an id or target column mapped.</exception>
    public static CalculatorResult Estimate(this FittedDle fitted, string analysisPath, ColumnMapping mapping, string model = "model", string? targetsPath = null)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentNullException.ThrowIfNull(mapping);
        var features = fitted.Options.Features;
        if (targetsPath is null)
        {
            var analysis = RegressionFileReader.Read(analysisPath, mapping with { Id = null }, features, requireTargets: false);
            return fitted.Calculate(analysis.Data, model, ComputeOptions.Default);
        }

        if (mapping.Id is null || mapping.YTrue is null)
        {
            throw new ArgumentException("Joining targets needs both the id column (Id) and the target column (YTrue) mapped.", nameof(mapping));
        }

        var withIds = RegressionFileReader.Read(analysisPath, mapping with { YTrue = null }, features, requireTargets: false);
        var join = TargetJoin.LeftJoinValuesAsync(withIds, targetsPath, mapping.Id, mapping.YTrue).GetAwaiter().GetResult();
        return fitted.Calculate(withIds.WithTargets(join.Targets).Data, model, ComputeOptions.Default);
    }

    /// <summary>Estimates an analysis data frame; its target column, when mapped and present, gives realized values.</summary>
    /// <param name="fitted">The fitted estimator.</param>
    /// <param name="analysis">The analysis rows.</param>
    /// <param name="mapping">Which columns hold what.</param>
    /// <param name="model">The model's name written to the result.</param>
    /// <exception cref="EstimatorDataException">The frame holds bad data.</exception>
    public static CalculatorResult Estimate(this FittedDle fitted, DataFrame analysis, ColumnMapping mapping, string model = "model")
    {
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentNullException.ThrowIfNull(mapping);
        var data = RegressionFileReader.Read(analysis, mapping with { Id = null }, fitted.Options.Features, requireTargets: false, name: "analysis");
        return fitted.Calculate(data.Data, model, ComputeOptions.Default);
    }
}
