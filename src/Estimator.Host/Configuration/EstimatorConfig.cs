namespace Estimator.Host.Configuration;

/// <summary>
/// The job host's configuration, read from a YAML file by <see cref="Load"/>: the store, Hangfire's storage, the
/// dashboard, and the monitored models. Immutable; every path is absolute.
/// </summary>
public sealed class EstimatorConfig
{
    /// <summary>The configuration file's absolute path (relative paths in it resolve against its directory).</summary>
    public required string ConfigFile { get; init; }

    /// <summary>The store directory (<c>store</c>): estimate history and fitted models, one folder per model.</summary>
    /// <value>Default: <c>./store</c> next to the configuration file.</value>
    public required string StoreDirectory { get; init; }

    /// <summary>Hangfire's job storage (<c>storage</c>).</summary>
    /// <value>Default: in-memory.</value>
    public HangfireStorageConfig Storage { get; init; } = HangfireStorageConfig.InMemory;

    /// <summary>Dashboard options (<c>dashboard</c>).</summary>
    /// <value>Default: local requests only, no remote authorization.</value>
    public DashboardConfig Dashboard { get; init; } = new();

    /// <summary>Notification channels applying to every model (top-level <c>notify</c>), after each model's own.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<NotifyChannel> Notify { get; init; } = [];

    /// <summary>How the <c>notify</c> job delivers the outbox (<c>delivery</c>).</summary>
    /// <value>Default: every 5 seconds, 3 retries from 1 second, 10-second timeout.</value>
    public DeliveryConfig Delivery { get; init; } = new();

    /// <summary>Options of <c>/metrics</c> (<c>metrics</c>).</summary>
    /// <value>Default: local requests (and the dashboard's credentials) only.</value>
    public MetricsConfig Metrics { get; init; } = new();

    /// <summary>The monitored models (<c>models</c>), in file order; names are unique.</summary>
    public required IReadOnlyList<ModelConfig> Models { get; init; }

    /// <summary>The default of <see cref="WorkItemRows"/>.</summary>
    public const int DefaultWorkItemRows = 50_000;

    /// <summary>
    /// <c>work_item_rows</c>: an estimate run whose new chunks hold more rows than this is split into work items of about
    /// this many rows (whole chunks), queued as jobs so several workers share one model's backlog; 0 never splits.
    /// </summary>
    public int WorkItemRows { get; init; } = DefaultWorkItemRows;

    /// <summary>
    /// <c>work_item_grace_seconds</c>: how long a split run's planning job leaves its work items to other workers before
    /// it runs the ones nobody has started itself. Default: none (it starts at once).
    /// </summary>
    public TimeSpan WorkItemGrace { get; init; } = TimeSpan.Zero;

    /// <summary><c>worker_threads</c>: Hangfire worker threads per process (jobs run at once); null for Hangfire's default (5 per core, at most 20).</summary>
    public int? WorkerThreads { get; init; }

    /// <summary>The default of <see cref="ProgressLogInterval"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultProgressLogInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>progress_log_seconds</c>: a running job logs its progress (rows read, chunks estimated, rate, time left) at
    /// most this often, and at every phase change; 0 logs every report (each file read and chunk written).
    /// </summary>
    public TimeSpan ProgressLogInterval { get; init; } = DefaultProgressLogInterval;

    /// <summary>Reads and validates a configuration file.</summary>
    /// <param name="path">The YAML file.</param>
    /// <exception cref="EstimatorConfigException">The file cannot be read or has problems; every problem is listed.</exception>
    public static EstimatorConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            throw new EstimatorConfigException([new ConfigProblem(path, "", 0, 0, "is a directory; give the configuration file (YAML), e.g. estimator.yaml")]);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new EstimatorConfigException([new ConfigProblem(path, "", 0, 0, $"cannot read the configuration file: {e.Message}")]);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and validates configuration text as if it were read from <paramref name="configFile"/>.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="configFile">The file the text belongs to: relative paths resolve against its directory; problems name it.</param>
    /// <exception cref="EstimatorConfigException">The text has problems; every problem is listed.</exception>
    public static EstimatorConfig Parse(string yaml, string configFile)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(configFile);
        return new ConfigReader(configFile).Read(yaml);
    }

    /// <summary>The model named <paramref name="name"/>, or null.</summary>
    /// <param name="name">The model name (case-sensitive).</param>
    public ModelConfig? FindModel(string name)
    {
        foreach (var model in Models)
        {
            if (string.Equals(model.Name, name, StringComparison.Ordinal))
            {
                return model;
            }
        }

        return null;
    }
}

/// <summary>One configured model: what the store engine needs (<see cref="Definition"/>) and when its jobs run.</summary>
/// <param name="Definition">The model as <see cref="ModelRunner"/> sees it (absolute paths).</param>
/// <param name="Schedule">When the model's calibrate and estimate jobs run.</param>
public sealed record ModelConfig(ModelDefinition Definition, CronSchedule Schedule)
{
    /// <summary>The model's name.</summary>
    public string Name => Definition.Name;

    /// <summary>When the model's <c>reconcile</c> job runs (<c>reconcile_schedule</c>); only models with a targets source have one.</summary>
    /// <value>Default: <see cref="Schedule"/>.</value>
    public CronSchedule? ReconcileSchedule { get; init; }

    /// <summary>The channels this model's notifications go to: its own <c>notify</c> list, then the top-level one.</summary>
    /// <value>Default: none (notifications are still queued and recorded as delivered to no channel).</value>
    public IReadOnlyList<NotifyChannel> Notify { get; init; } = [];

    /// <summary>
    /// Where rollback requests go (<c>remediation</c>): each target gets one action per incident that reaches its
    /// severity (<see cref="RemediationTarget.On"/> or worse), delivered through the outbox by the <c>notify</c> job.
    /// </summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<RemediationTarget> Remediation { get; init; } = [];

    /// <summary>The model's online path (<c>online</c>): posted predictions, a sliding window, chunks closed every N rows.</summary>
    /// <value>Default: none (the model reads files only).</value>
    public OnlineConfig? Online { get; init; }
}

/// <summary>Which storage Hangfire keeps its jobs in.</summary>
public enum HangfireStorageKind
{
    /// <summary>In-process memory (Hangfire.InMemory): jobs are lost on restart; the store is not.</summary>
    InMemory,

    /// <summary>PostgreSQL (Hangfire.PostgreSql), for several hosts sharing one job queue.</summary>
    Postgres,
}

/// <summary>Hangfire's job storage (<c>storage: { kind: inmemory }</c> or <c>{ kind: postgres, connection: ... }</c>).</summary>
public sealed class HangfireStorageConfig
{
    /// <summary>Creates a storage configuration.</summary>
    /// <param name="kind">The storage kind.</param>
    /// <param name="connectionString">The PostgreSQL connection string; required for <see cref="HangfireStorageKind.Postgres"/>.</param>
    public HangfireStorageConfig(HangfireStorageKind kind, string? connectionString = null)
    {
        if (kind == HangfireStorageKind.Postgres && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("PostgreSQL storage needs a connection string.", nameof(connectionString));
        }

        Kind = kind;
        ConnectionString = connectionString;
    }

    /// <summary>The default: in-memory storage.</summary>
    public static HangfireStorageConfig InMemory { get; } = new(HangfireStorageKind.InMemory);

    /// <summary>The storage kind.</summary>
    public HangfireStorageKind Kind { get; }

    /// <summary>The default of <see cref="InvisibilityTimeout"/>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultInvisibilityTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// PostgreSQL only (<c>invisibility_timeout_seconds</c>): a job taken by a process that died (killed, machine lost)
    /// is handed to another worker after this long. Running jobs renew their claim (sliding timeout), so a job may
    /// run longer than this.
    /// </summary>
    /// <value>Default: <see cref="DefaultInvisibilityTimeout"/>.</value>
    public TimeSpan InvisibilityTimeout { get; init; } = DefaultInvisibilityTimeout;

    /// <summary>The PostgreSQL connection string (a secret: never logged, not part of <see cref="ToString"/>).</summary>
    public string? ConnectionString { get; }

    /// <summary>The kind only; the connection string is never printed.</summary>
    public override string ToString() => Kind == HangfireStorageKind.Postgres ? "postgres (connection string hidden)" : "inmemory";
}

/// <summary>Dashboard options (<c>dashboard</c>).</summary>
public sealed class DashboardConfig
{
    /// <summary>Whether requests from the host itself (loopback or the server's own address) are allowed without credentials (<c>allow_local</c>).</summary>
    /// <value>Default: true (Hangfire's rule). Set it to false behind a reverse proxy on the same machine.</value>
    public bool AllowLocal { get; init; } = true;

    /// <summary>The dashboard's title (<c>title</c>).</summary>
    /// <value>Default: <c>Estimator</c>.</value>
    public string Title { get; init; } = "Estimator";

    /// <summary>Basic-auth credentials that admit remote requests (<c>authorization.basic</c>), or null.</summary>
    public BasicCredentials? Basic { get; init; }

    /// <summary>A bearer token that admits remote requests (<c>authorization.token</c>; a secret, never printed), or null.</summary>
    public string? Token { get; init; }

    /// <summary>Whether any remote authorization is configured.</summary>
    public bool AllowsRemote => Basic is not null || Token is not null;

    /// <summary>A summary without secrets.</summary>
    public override string ToString() =>
        $"allow_local={AllowLocal}, basic={(Basic is null ? "off" : "on")}, token={(Token is null ? "off" : "on")}";
}

/// <summary>A user name and password for HTTP basic authentication.</summary>
/// <param name="userName">The user name.</param>
/// <param name="password">The password (a secret, never printed).</param>
public sealed class BasicCredentials(string userName, string password)
{
    /// <summary>The user name.</summary>
    public string UserName { get; } = userName ?? throw new ArgumentNullException(nameof(userName));

    /// <summary>The password.</summary>
    public string Password { get; } = password ?? throw new ArgumentNullException(nameof(password));

    /// <summary>The user name only.</summary>
    public override string ToString() => $"{UserName}:***";
}
