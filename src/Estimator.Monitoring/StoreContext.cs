namespace Estimator.Monitoring;

/// <summary>
/// What every part of the store engine shares: the layout, the clock, the logger, the locks, the fitted-model cache and
/// the runner's settings. The settings are written only while the <see cref="ModelRunner"/> is being initialised.
/// </summary>
internal sealed class StoreContext
{
    public StoreContext(string root, TimeProvider time, ILogger? logger)
    {
        Layout = new StoreLayout(root);
        Time = time;
        Logger = logger;
        Locks = new ModelLocks(Layout, time);
        Fitted = new FittedModels(Layout);
        ChunkLog = new ChunkLog(Layout);
        Consumed = new ConsumedFiles(Layout);
        Orphans = new ChunkOrphans(Layout, ChunkLog);
        Locks.HolderDied += Fitted.ForgetSweep;
        Locks.HolderDied += Orphans.Forget;
    }

    public StoreLayout Layout { get; }

    public TimeProvider Time { get; }

    public ILogger? Logger { get; }

    public ModelLocks Locks { get; }

    public FittedModels Fitted { get; }

    public ModelStates States { get; } = new();

    /// <summary>Removes the chunk files a commit left unnamed.</summary>
    public ChunkOrphans Orphans { get; }

    /// <summary>The models' final-chunk logs.</summary>
    public ChunkLog ChunkLog { get; }

    /// <summary>The models' consumed-file logs.</summary>
    public ConsumedFiles Consumed { get; }

    public TimeSpan FileSettleTime { get; set; } = TimeSpan.FromSeconds(2);

    public int WorkItemRows { get; set; } = 50_000;

    public TimeSpan WorkItemGrace { get; set; } = TimeSpan.Zero;

    public Action<string>? BeforeCommit { get; set; }

    /// <summary>Whether no channel will receive a notification (see <see cref="ModelRunner.Unrouted"/>).</summary>
    public Func<AlertNotification, bool>? Unrouted { get; set; }
}
