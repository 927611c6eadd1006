using Estimator.Estimation.Online;

namespace Estimator.Host.Online;

/// <summary>A model's online window as of its last estimate (what <c>GET /v1/models/{model}/online</c> reports).</summary>
/// <param name="Model">The model's name.</param>
/// <param name="RowsSeen">Rows of the stream the estimate covers: every acknowledged row for a plain CBPE window; for a
/// shift-aware one, those acknowledged when its latest refresh began.</param>
/// <param name="WindowRows">Rows in the window the estimate covers (at most N).</param>
/// <param name="Window">N.</param>
/// <param name="UpdatedAt">When the estimate was made (plain CBPE: when the last batch was applied; shift-aware: when the
/// latest refresh finished); null before the first since start-up.</param>
/// <param name="Metrics">The window's estimate per component.</param>
/// <param name="Estimator">The estimator behind the values: <c>cbpe</c>, or the shift-aware one that estimated the window
/// (<c>weighted</c>, <c>prior</c>, or what <c>auto</c> chose).</param>
/// <param name="EffectiveSampleSize">Kish's effective size of the reference weights of a weighted estimate; null otherwise.</param>
/// <param name="EstimatorReason">Why a shift-aware window has its estimator (auto's rule and numbers, as in the estimate file's <c>estimator_reason</c>); null for plain CBPE and before the first refresh.</param>
public sealed record OnlineSnapshot(
    string Model,
    long RowsSeen,
    int WindowRows,
    int Window,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<WindowMetric> Metrics,
    string Estimator = "cbpe",
    double? EffectiveSampleSize = null,
    string? EstimatorReason = null)
{
    /// <summary>Whether the window holds N rows.</summary>
    public bool IsFull => WindowRows >= Window;
}
