namespace Estimator.Host.Configuration;

/// <summary>
/// A model's online path (<c>online</c>): predictions posted over HTTP fill a sliding window of the last
/// <see cref="Window"/> rows, estimated continuously; every <see cref="Window"/> rows close a chunk into the store.
/// </summary>
public sealed class OnlineConfig
{
    /// <summary>The default of <see cref="MaxBodyBytes"/>: 16 MiB.</summary>
    public const long DefaultMaxBodyBytes = 16L << 20;

    /// <summary>The default of <see cref="MaxInFlight"/>.</summary>
    public const int DefaultMaxInFlight = 64;

    /// <summary>N (<c>window</c>): the rows of the sliding window, and of each chunk the online rows close.</summary>
    public required int Window { get; init; }

    /// <summary>
    /// The bearer token that admits ingestion (<c>POST</c> predictions and labels) from other machines (<c>token</c> or
    /// <c>token_env</c>; a secret, never printed). Without it, only loopback requests may post.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>The largest request body accepted (<c>max_body_bytes</c>); a larger one gets 413.</summary>
    /// <value>Default: <see cref="DefaultMaxBodyBytes"/>.</value>
    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>
    /// How many ingestion requests of this model may be in progress at once (<c>max_in_flight</c>); one more gets 429 at
    /// once, so a flood is turned away before its body is read and memory stays bounded (at most this many bodies).
    /// </summary>
    /// <value>Default: <see cref="DefaultMaxInFlight"/>.</value>
    public int MaxInFlight { get; init; } = DefaultMaxInFlight;

    /// <summary>The default of <see cref="RefreshInterval"/>: one second.</summary>
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A shift-aware model's window (<c>refresh_ms</c>): the shortest time between two estimates of it. Each refits the
    /// domain classifier on the reference and the window, off the request path; the latest estimate is served. When an
    /// estimate takes longer than this, the next waits as long as it took, so refreshing uses at most half a core.
    /// </summary>
    /// <value>Default: <see cref="DefaultRefreshInterval"/>.</value>
    public TimeSpan RefreshInterval { get; init; } = DefaultRefreshInterval;

    /// <summary>A summary without secrets.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"window={Window}, token={(Token is null ? "off" : "on")}, max_body_bytes={MaxBodyBytes}, max_in_flight={MaxInFlight}, refresh_ms={RefreshInterval.TotalMilliseconds}");
}
