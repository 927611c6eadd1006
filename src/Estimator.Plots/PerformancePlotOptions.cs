namespace Estimator.Plots;

/// <summary>What a performance chart shows and how big it is.</summary>
public sealed record PerformancePlotOptions
{
    /// <summary>The metrics (or confusion-matrix components) to draw, one panel each, by their result names (<c>roc_auc</c>, <c>f1</c>, ...).</summary>
    /// <value>Default: null, every metric in the result, in result order.</value>
    public IReadOnlyList<string>? Metrics { get; init; }

    /// <summary>Whether the reference chunks are drawn before the analysis chunks.</summary>
    /// <value>Default: true.</value>
    public bool ShowReference { get; init; } = true;

    /// <summary>Whether realized values are overlaid where the result has them.</summary>
    /// <value>Default: true.</value>
    public bool ShowRealized { get; init; } = true;

    /// <summary>Width of the image in pixels.</summary>
    /// <value>Default: 1000.</value>
    public int Width { get; init; } = 1000;

    /// <summary>Height of each metric's panel in pixels.</summary>
    /// <value>Default: 300.</value>
    public int PanelHeight { get; init; } = 300;
}
