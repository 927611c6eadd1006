using System.Diagnostics;
using Spectre.Console;

namespace Estimator.Cli;

/// <summary>
/// Progress of a long run on stderr (Spectre.Console): rows read, chunks estimated, rate and time left. Silent (every
/// call a no-op) when stderr is not a terminal, when output goes to another writer (tests), or with <c>--quiet</c>.
/// </summary>
internal sealed class TerminalProgress : IDisposable
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly Task? _render;
    private readonly ProgressContext? _context;
    private ProgressTask? _status;
    private ProgressTask? _rows;
    private ProgressTask? _chunks;
    private bool _disposed;

    private TerminalProgress(bool enabled)
    {
        if (!enabled)
        {
            return;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var ready = new TaskCompletionSource<ProgressContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = console.Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn());
        _render = Task.Run(() => progress.StartAsync(async context =>
        {
            ready.SetResult(context);
            await _done.Task.ConfigureAwait(false);
        }));
        _context = ready.Task.GetAwaiter().GetResult();
    }

    /// <summary>Whether anything is shown.</summary>
    public bool Enabled => _context is not null;

    /// <summary>Creates a progress display on stderr, or a silent one.</summary>
    /// <param name="quiet">The user asked for no progress.</param>
    /// <param name="stderr">The writer the command was given; progress is shown only when it is the process's stderr and that is a terminal.</param>
    public static TerminalProgress Create(bool quiet, TextWriter stderr) =>
        new(!quiet && ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);

    /// <summary>Shows what is being done now (an indeterminate line).</summary>
    public void Status(string text)
    {
        if (_context is null)
        {
            return;
        }

        _status ??= _context.AddTask(Markup.Escape(text), maxValue: 1);
        _status.IsIndeterminate = true;
        _status.Description = Markup.Escape(text);
    }

    /// <summary>Rows read so far out of <paramref name="total"/>, with the rate.</summary>
    public void Rows(long read, long total)
    {
        if (_context is null)
        {
            return;
        }

        var rate = read / Math.Max(1e-9, _watch.Elapsed.TotalSeconds);
        Advance(_context, ref _rows, "rows read", read, total).Description = string.Create(CultureInfo.InvariantCulture, $"rows read {read:N0}/{total:N0} ({rate / 1e6:0.0} M rows/s)");
    }

    /// <summary>Chunks estimated so far out of <paramref name="total"/>.</summary>
    public void Chunks(long done, long total)
    {
        if (_context is null)
        {
            return;
        }

        Advance(_context, ref _chunks, "chunks estimated", done, total).Description = string.Create(CultureInfo.InvariantCulture, $"chunks estimated {done:N0}/{total:N0}");
    }

    /// <summary>The bar <paramref name="task"/> (added on first use) at <paramref name="value"/> of <paramref name="total"/> (at least 1).</summary>
    private static ProgressTask Advance(ProgressContext context, ref ProgressTask? task, string name, long value, long total)
    {
        task ??= context.AddTask(name, maxValue: Math.Max(1, total));
        task.MaxValue = Math.Max(1, total);
        task.Value = value;
        return task;
    }

    /// <summary>An <see cref="IProgress{T}"/> for a streamed estimate (null when silent).</summary>
    public IProgress<Estimator.IO.StreamProgress>? Reporter() => _context is null
        ? null
        : new Reporting(this);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_render is not null)
        {
            _status?.StopTask();
            _done.TrySetResult();
            _render.GetAwaiter().GetResult();
        }
    }

    private sealed class Reporting(TerminalProgress owner) : IProgress<Estimator.IO.StreamProgress>
    {
        public void Report(Estimator.IO.StreamProgress value)
        {
            owner.Rows(value.RowsRead, value.TotalRows);
            owner.Chunks(value.ChunksEstimated, value.TotalChunks ?? value.ChunksEstimated);
        }
    }
}
