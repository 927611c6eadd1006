using System.Threading.Channels;
using Estimator.Learning;
using Estimator.Monitoring.Online;

namespace Estimator.Host.Online;

/// <summary>
/// A shift-aware model's sliding window: the last N rows with their features, estimated as one chunk by the fitted
/// shift-aware calculator (<see cref="ShiftWindowEstimate"/>). That refits the domain classifier, so it cannot follow
/// every batch on the request path: a background loop re-estimates after rows arrive, at most once per refresh interval
/// (and never sooner after an estimate than that estimate took), and readers get the latest finished snapshot.
/// </summary>
internal sealed class ShiftAwareWindow : IAsyncDisposable
{
    private readonly FittedShiftAwareCbpe _fitted;
    private readonly string _model;
    private readonly bool _predictions;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock;
    private readonly ShiftWindowRows _rows;
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private long _rowsSeen;
    private OnlineSnapshot _latest;
    private Task _loop = Task.CompletedTask;

    /// <param name="fitted">The model's fitted shift-aware calculator.</param>
    /// <param name="model">The model's name.</param>
    /// <param name="window">N.</param>
    /// <param name="predictions">Whether the model has a prediction column.</param>
    /// <param name="timestamps">Whether the rows carry timestamps.</param>
    /// <param name="interval">The shortest time between two estimates.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where failed refreshes are reported.</param>
    /// <param name="windowLock">The model's window lock, held by the caller of <see cref="Add"/>.</param>
    public ShiftAwareWindow(FittedShiftAwareCbpe fitted, string model, int window, bool predictions, bool timestamps, TimeSpan interval, TimeProvider time, ILogger logger, Lock windowLock)
    {
        _fitted = fitted;
        _model = model;
        _predictions = predictions;
        _interval = interval;
        _time = time;
        _logger = logger;
        _lock = windowLock;
        _rows = new ShiftWindowRows(window, timestamps);
        var (metrics, estimator, ess, reason) = ShiftWindowEstimate.Of(fitted, OnlineRows.Empty(timestamps), predictions, window);
        _latest = new OnlineSnapshot(model, 0, 0, window, null, metrics, estimator, ess, reason);
    }

    /// <summary>Rows held now (at most N); the latest estimate may cover fewer.</summary>
    public int Count => _rows.Count;

    /// <summary>The latest finished estimate.</summary>
    public OnlineSnapshot Latest => Volatile.Read(ref _latest);

    /// <summary>How long the latest refresh took.</summary>
    public TimeSpan LastRefreshTime { get; private set; }

    /// <summary>Adds acknowledged rows; the caller holds the window lock and calls <see cref="Changed"/> after releasing it.</summary>
    public void Add(OnlineRows rows, long rowsSeen)
    {
        _rows.Add(rows);
        _rowsSeen = rowsSeen;
    }

    /// <summary>Asks for a refresh (coalesced: many batches before the next refresh make one).</summary>
    public void Changed() => _changed.Writer.TryWrite(true);

    /// <summary>Estimates the window now, on the caller's thread (start-up), then starts the background loop.</summary>
    public void Start()
    {
        Refresh();
        _loop = Task.Run(LoopAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _changed.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        var reader = _changed.Reader;
        var next = _time.GetUtcNow();
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                var wait = next - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, _stopping.Token).ConfigureAwait(false);
                }

                // Every batch applied until now is in this refresh.
                reader.TryRead(out _);
                var took = Refresh();
                next = _time.GetUtcNow() + (took > _interval ? took : _interval);
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }

    /// <summary>Estimates the rows held now and publishes the snapshot; returns how long it took.</summary>
    private TimeSpan Refresh()
    {
        OnlineRows rows;
        long seen;
        lock (_lock)
        {
            rows = _rows.Rows();
            seen = _rowsSeen;
        }

        var started = _time.GetTimestamp();
        try
        {
            var (metrics, estimator, ess, reason) = ShiftWindowEstimate.Of(_fitted, rows, _predictions, _rows.Capacity);
            LastRefreshTime = _time.GetElapsedTime(started);
            Volatile.Write(ref _latest, new OnlineSnapshot(_model, seen, rows.Count, _rows.Capacity, _time.GetUtcNow(), metrics, estimator, ess, reason));
            _logger.LogDebug("Online {Model}: window of {Rows} rows re-estimated ({Estimator}) in {Seconds:0.###} s", _model, rows.Count, estimator, LastRefreshTime.TotalSeconds);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The previous snapshot stays served (its updated_at tells its age); the next batch tries again.
            LastRefreshTime = _time.GetElapsedTime(started);
            _logger.LogError(e, "Online {Model}: estimating the shift-aware window failed: {Error}", _model, e.Message);
        }

        return LastRefreshTime;
    }
}
