using Estimator.Host.Dashboard;
using Estimator.Host.Jobs;
using Estimator.Host.Metrics;
using Estimator.Host.Notifications;
using Estimator.Host.Online;
using Estimator.Host.Storage;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Estimator.Host;

/// <summary>Registers the job host's services and maps its dashboard.</summary>
public static class EstimatorServiceCollectionExtensions
{
    /// <summary>The dashboard's path.</summary>
    public const string DashboardPath = "/hangfire";

    /// <summary>The Models page, where <c>/</c> and <c>serve</c>'s start-up line send a reader: what Estimator estimated, before Hangfire's job views.</summary>
    public const string ModelsPagePath = DashboardPath + ModelsPage.Route;

    /// <summary>
    /// How long a stopping process (Ctrl+C, SIGTERM) waits for its running jobs, which it asks to stop through their
    /// cancellation token (Hangfire's <c>ShutdownTimeout</c>; the generic host's own limit is 30 s). A cancelled job
    /// is re-queued at once for another worker; a job still running after this time is abandoned when the process
    /// exits, and retried once its claim expires (<c>storage.invisibility_timeout_seconds</c>).
    /// </summary>
    public static readonly TimeSpan JobShutdownTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Adds the job host: the configuration, the store (<see cref="ModelRunner"/> behind <see cref="IModelStore"/>, unless
    /// one is registered already), Hangfire with the configured storage, a Hangfire server, and the recurring
    /// <c>calibrate &lt;model&gt;</c> / <c>estimate &lt;model&gt;</c> jobs of every model (registered at start-up).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="config">The validated configuration.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddEstimator(this IServiceCollection services, EstimatorConfig config) => services.AddEstimator(config, HostRole.All);

    /// <summary>
    /// Adds the job host in a <paramref name="role"/>: <see cref="HostRole.Web"/> adds no Hangfire server (jobs run
    /// in worker processes sharing the PostgreSQL storage); otherwise as <see cref="AddEstimator(IServiceCollection, EstimatorConfig)"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="config">The validated configuration.</param>
    /// <param name="role">What this process does.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddEstimator(this IServiceCollection services, EstimatorConfig config, HostRole role)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(config);
        var serverName = role == HostRole.Web ? null : $"estimator:{Environment.MachineName}:{Environment.ProcessId}";
        services.TryAddSingleton(new EstimatorHostRole(role, serverName));
        services.TryAddSingleton(config);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ModelRunner(config.StoreDirectory, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<ModelRunner>())
        {
            WorkItemRows = config.WorkItemRows,
            WorkItemGrace = config.WorkItemGrace,
            Unrouted = sp.GetRequiredService<NotificationRouting>().Unrouted,
        });
        services.TryAddSingleton<NotificationRouting>();
        services.TryAddSingleton<IModelStore, ModelRunnerStore>();
        services.TryAddTransient<ModelJobs>();
        services.TryAddTransient<ModelTickJob>();
        services.TryAddSingleton<RunStamps>();
        services.TryAddSingleton<HostMetrics>();
        services.TryAddSingleton<NotificationDispatcher>();
        services.TryAddTransient<NotifyJob>();
        services.AddHttpClient(NotificationDispatcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);

        // This host's own storage and activator, registered before AddHangfire so it does not fall back to Hangfire's
        // process-wide JobStorage.Current / JobActivator.Current (several hosts can then share a process, as in tests).
        services.TryAddSingleton(_ => CreateStorage(config.Storage));
        services.TryAddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddHostedService<RecurringJobRegistrar>();
        if (role != HostRole.Worker)
        {
            // The online path lives where HTTP is served (one process per store: its log has one writer).
            services.TryAddSingleton<OnlineModels>();
            services.AddHostedService(sp => sp.GetRequiredService<OnlineModels>());
        }

        if (role == HostRole.Web)
        {
            return services;
        }

        services.AddHangfireServer(options =>
        {
            // Recurring jobs are checked every second, so a seconds-field schedule such as */10 fires on time.
            options.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            options.ServerName = serverName;

            // On stop: no new jobs, running jobs' cancellation tokens signalled after Hangfire's StopTimeout (0.5 s),
            // then up to JobShutdownTimeout for them to end (cancelled ones are re-queued) before the server gives up.
            options.ShutdownTimeout = JobShutdownTimeout;
            if (config.WorkerThreads is int threads)
            {
                options.WorkerCount = threads;
            }
        });
        return services;
    }

    /// <summary>
    /// Maps Hangfire's dashboard at <c>/hangfire</c> with the Models page and the jobs' progress on their details pages, behind <see cref="DashboardAuthorization"/>
    /// (local requests only unless remote credentials are configured).
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static IApplicationBuilder UseEstimatorDashboard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var config = app.ApplicationServices.GetRequiredService<EstimatorConfig>();
        ModelsDashboard.Register();
        return app.UseHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [new DashboardAuthorization(config.Dashboard)],
            DashboardTitle = config.Dashboard.Title,
            DisplayStorageConnectionString = false,
            AppPath = null,
        });
    }

    private static JobStorage CreateStorage(HangfireStorageConfig storage) => storage.Kind switch
    {
        HangfireStorageKind.InMemory => new InMemoryStorage(new InMemoryStorageOptions()),
        HangfireStorageKind.Postgres => PostgresStorage.Create(storage),
        _ => throw new ArgumentOutOfRangeException(nameof(storage), storage.Kind, "Unknown storage kind."),
    };
}
