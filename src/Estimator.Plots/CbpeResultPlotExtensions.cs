using Estimator.Estimation;

namespace Estimator.Plots;

/// <summary><c>result.Plot()</c> for notebooks.</summary>
public static class CbpeResultPlotExtensions
{
    /// <summary>Renders the performance chart of <paramref name="result"/>; see <see cref="PerformancePlot.Render"/>.</summary>
    /// <param name="result">The result to draw.</param>
    /// <param name="options">What to show; null for the defaults.</param>
    public static Chart Plot(this CbpeResult result, PerformancePlotOptions? options = null) => PerformancePlot.Render(result, options);
}
