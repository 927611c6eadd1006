using Estimator.Calculators;
using Estimator.IO;

namespace Estimator.Plots;

/// <summary><c>result.Plot()</c> and <c>records.Plot()</c> for notebooks.</summary>
public static class CalculatorResultPlotExtensions
{
    /// <summary>Renders the performance chart of <paramref name="result"/>; see <see cref="PerformancePlot.Render(CalculatorResult, PerformancePlotOptions?)"/>.</summary>
    /// <param name="result">The result to draw.</param>
    /// <param name="options">What to show; null for the defaults.</param>
    public static Chart Plot(this CalculatorResult result, PerformancePlotOptions? options = null) => PerformancePlot.Render(result, options);

    /// <summary>Renders the performance chart of estimate-file records; see <see cref="PerformancePlot.Render(IReadOnlyList{EstimateRecord}, PerformancePlotOptions?)"/>.</summary>
    /// <param name="records">The records of one model.</param>
    /// <param name="options">What to show; null for the defaults.</param>
    public static Chart Plot(this IReadOnlyList<EstimateRecord> records, PerformancePlotOptions? options = null) => PerformancePlot.Render(records, options);
}
