using System.Threading.Channels;
using System.Threading.RateLimiting;
using Estimator.Estimation;
using Estimator.Estimation.Online;
using Estimator.Estimation.Shift;
using Estimator.Learning;
using Estimator.Monitoring.Online;

namespace Estimator.Host.Online;

/// <summary>
/// One model's online path in the host: the write-ahead log, the sliding window and the chunk closing. Posted batches
/// queue for one writer, which appends every queued batch to the log, makes them durable with one fsync (group
/// commit), then applies them to the window and acknowledges them; full chunks go to a closer, which writes them as
/// analysis files and asks for the model's estimate run. A plain CBPE model's window is updated incrementally with each
/// batch; a shift-aware model's (<see cref="ShiftAwareWindow"/>) keeps its rows with their features and is re-estimated
/// in the background, throttled.
/// </summary>
internal sealed class OnlineModel : IAsyncDisposable
{
    private const int MaxBatchesPerCommit = 256;

    private readonly string _store;
    private readonly IModelStore _fitter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<string> _chunkClosed;
    private readonly Channel<PendingBatch> _queue = Channel.CreateUnbounded<PendingBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<(long Index, OnlineRows Rows)> _closing = Channel.CreateUnbounded<(long, OnlineRows)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _windowLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private OnlineLog? _log;
    private SlidingWindowCbpe? _window;
    private ShiftAwareWindow? _shift;
    private OpenChunk? _open;
    private long _rowsSeen;
    private long _version;
    private DateTimeOffset? _updatedAt;
    private (long Version, OnlineSnapshot Snapshot)? _cached;
    private Task _writer = Task.CompletedTask;
    private Task _closer = Task.CompletedTask;

    public OnlineModel(ModelConfig model, string store, IModelStore fitter, TimeProvider time, ILogger logger, Action<string> chunkClosed)
    {
        Model = model;
        Online = model.Online ?? throw new ArgumentException("The model has no online section.", nameof(model));
        _store = store;
        _fitter = fitter;
        _time = time;
        _logger = logger;
        _chunkClosed = chunkClosed;
        Predictions = new PredictionBodyParser(model.Definition);
        Labels = new LabelBodyParser(model.Definition);
        Limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = Online.MaxInFlight, QueueLimit = 0 });
    }

    public ModelConfig Model { get; }

    public OnlineConfig Online { get; }

    /// <summary>The prediction body's parser; a shift-aware model's takes its features too, once the fit tells their kinds.</summary>
    public PredictionBodyParser Predictions { get; private set; }

    public LabelBodyParser Labels { get; }

    /// <summary>Bounds the ingestion requests in progress; one more is refused (429).</summary>
    public ConcurrencyLimiter Limiter { get; }

    /// <summary>Completes once the window is rebuilt from the store.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Why the last attempt to start failed, or null.</summary>
    public string? StartError { get; private set; }

    /// <summary>
    /// Rebuilds the window from the store (log and closed chunks) and starts the writer and the closer; a failure (the
    /// model's lock held by a long run, an unreadable file) is logged and tried again every 5 seconds until the host stops.
    /// </summary>
    public async Task StartAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                Start();
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                StartError = e.Message;
                _logger.LogError(e, "Online {Model}: cannot start, trying again in 5 s: {Error}", Model.Name, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), _time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Start()
    {
        var definition = Model.Definition;
        var fitted = _fitter.Fitted(definition, _stopping.Token);
        if (fitted is not (FittedCbpe or FittedShiftAwareCbpe))
        {
            throw new InvalidOperationException($"model '{Model.Name}': the store gave no fitted binary CBPE estimator");
        }

        var log = new OnlineLog(_store, definition, Online.Window, _logger);
        try
        {
            var (last, open) = log.Recover();
            var timestamps = definition.Columns.Timestamp is not null;
            var predictions = definition.Columns.YPred is not null;
            if (fitted is FittedShiftAwareCbpe shiftAware)
            {
                Predictions = new PredictionBodyParser(definition, [.. shiftAware.FeatureKinds.Select(f => new OnlineFeature(f.Key, f.Value))]);
                var shift = new ShiftAwareWindow(shiftAware, Model.Name, Online.Window, predictions, timestamps, Online.RefreshInterval, _time, _logger, _windowLock);
                shift.Add(last, log.RowsSeen);
                _shift = shift;
            }
            else
            {
                var window = new SlidingWindowCbpe((FittedCbpe)fitted, Online.Window);
                window.Add(last.Scores, predictions ? last.Predictions : default);
                _window = window;
            }

            (_log, _rowsSeen) = (log, log.RowsSeen);
            _open = new OpenChunk(Online.Window, timestamps, (log.RowsSeen - open.Count) / Online.Window, open);
        }
        catch
        {
            log.Dispose();
            throw;
        }

        _shift?.Start();
        _writer = Task.Run(WriteLoopAsync);
        _closer = Task.Run(CloseLoopAsync);
        StartError = null;
        _logger.LogInformation(
            "Online {Model}: {Rows} rows seen, window rebuilt with {Window} rows ({Config}; {Estimator})",
            Model.Name,
            _rowsSeen,
            _window?.Count ?? _shift!.Count,
            Online,
            _shift is null ? "cbpe, incremental" : $"{definition.Estimator.Name()}, re-estimated at most every {Online.RefreshInterval.TotalMilliseconds:0} ms");
        _ready.TrySetResult();
    }

    /// <summary>Queues rows; completes with the stream's row count once they are durable and in the window.</summary>
    public async Task<long> AppendAsync(OnlineRows rows, CancellationToken cancellationToken)
    {
        await Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        var pending = new PendingBatch(rows);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("the host is stopping");
        }

        // Not cancelled with the request: once queued, the rows are written and applied whether or not the caller waits.
        return await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Writes posted labels as a label file of the model; durable when this returns.</summary>
    public async Task WriteLabelsAsync(string[] ids, double[] targets, CancellationToken cancellationToken)
    {
        await Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        _log!.WriteLabels(ids, targets, _time.GetUtcNow());
    }

    /// <summary>The window's estimate as of the last applied batch (computed once per batch applied, on demand).</summary>
    public OnlineSnapshot Snapshot()
    {
        if (_shift is { } shift)
        {
            return shift.Latest;
        }

        lock (_windowLock)
        {
            if (_cached is { } cached && cached.Version == _version)
            {
                return cached.Snapshot;
            }

            var window = _window!;
            var snapshot = new OnlineSnapshot(Model.Name, _rowsSeen, window.Count, window.Capacity, _updatedAt, window.Estimate());
            _cached = (_version, snapshot);
            return snapshot;
        }
    }

    /// <summary>Stops a start that keeps failing (the host is stopping).</summary>
    public void RequestStop() => _stopping.Cancel();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        _closing.Writer.TryComplete();
        await _closer.ConfigureAwait(false);
        if (_shift is not null)
        {
            await _shift.DisposeAsync().ConfigureAwait(false);
        }

        _log?.Dispose();
        _stopping.Dispose();
        Limiter.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingBatch>(MaxBatchesPerCommit);
        var reader = _queue.Reader;
        var predictions = Model.Definition.Columns.YPred is not null;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatchesPerCommit && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                foreach (var pending in batch)
                {
                    pending.Total = _log!.Append(pending.Rows) + pending.Rows.Count;
                }

                _log!.Commit();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Nothing of these batches is acknowledged; the log may hold some of them (a retry may double them, as
                // with any write whose acknowledgement was lost).
                _logger.LogError(e, "Online {Model}: writing the log failed: {Error}", Model.Name, e.Message);
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(e);
                }

                continue;
            }

            lock (_windowLock)
            {
                foreach (var pending in batch)
                {
                    if (_shift is null)
                    {
                        _window!.Add(pending.Rows.Scores, predictions ? pending.Rows.Predictions : default);
                    }
                    else
                    {
                        _shift.Add(pending.Rows, pending.Total);
                    }

                    foreach (var closed in _open!.Append(pending.Rows))
                    {
                        _closing.Writer.TryWrite(closed);
                    }
                }

                _rowsSeen = _log.RowsSeen;
                _updatedAt = _time.GetUtcNow();
                _version++;
            }

            _shift?.Changed();
            foreach (var pending in batch)
            {
                pending.Done.TrySetResult(pending.Total);
            }
        }
    }

    private async Task CloseLoopAsync()
    {
        await foreach (var (index, rows) in _closing.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    _log!.CloseChunk(index, rows);
                    break;
                }
                catch (IOException e)
                {
                    // The rows stay in the log, so a restart closes the chunk too; until then, try again.
                    _logger.LogError(e, "Online {Model}: closing chunk {Chunk} failed, retrying: {Error}", Model.Name, index, e.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1), _time).ConfigureAwait(false);
                }
            }

            try
            {
                _chunkClosed(Model.Name);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The model's schedule picks the chunk up anyway.
                _logger.LogWarning(e, "Online {Model}: could not trigger the estimate job: {Error}", Model.Name, e.Message);
            }
        }
    }

    private sealed class PendingBatch(OnlineRows rows)
    {
        public OnlineRows Rows { get; } = rows;

        public long Total { get; set; }

        public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
