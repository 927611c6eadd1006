using Estimator.Estimation.Online;

namespace Estimator.Host.Online;

/// <summary>A model's online window as of its last applied batch (what <c>GET /v1/models/{model}/online</c> reports).</summary>
/// <param name="Model">The model's name.</param>
/// <param name="RowsSeen">Rows acknowledged over the stream's life.</param>
/// <param name="WindowRows">Rows in the window (at most N).</param>
/// <param name="Window">N.</param>
/// <param name="UpdatedAt">When the last batch was applied; null before the first since start-up.</param>
/// <param name="Metrics">The window's estimate per component.</param>
public sealed record OnlineSnapshot(string Model, long RowsSeen, int WindowRows, int Window, DateTimeOffset? UpdatedAt, IReadOnlyList<WindowMetric> Metrics)
{
    /// <summary>Whether the window holds N rows.</summary>
    public bool IsFull => WindowRows >= Window;
}
