using Estimator.Host.Configuration;
using Estimator.Host.Dashboard;
using Estimator.Host.Jobs;
using Estimator.Host.Metrics;
using Estimator.Host.Notifications;
using Estimator.IO.Store;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Estimator.Host;

/// <summary>Registers the job host's services and maps its dashboard.</summary>
public static class EstimatorServiceCollectionExtensions
{
    /// <summary>The dashboard's path.</summary>
    public const string DashboardPath = "/hangfire";

    /// <summary>
    /// Adds the job host: the configuration, the store (<see cref="ModelRunner"/> behind <see cref="IModelStore"/>, unless
    /// one is registered already), Hangfire with the configured storage, a Hangfire server, and the recurring
    /// <c>calibrate &lt;model&gt;</c> / <c>estimate &lt;model&gt;</c> jobs of every model (registered at start-up).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="config">The validated configuration.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddEstimator(this IServiceCollection services, EstimatorConfig config)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(config);
        services.TryAddSingleton(config);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ModelRunner(config.StoreDirectory, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<ModelRunner>()));
        services.TryAddSingleton<IModelStore, ModelRunnerStore>();
        services.TryAddTransient<ModelJobs>();
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
        services.AddHangfireServer(options =>
        {
            // Recurring jobs are checked every second, so a seconds-field schedule such as */10 fires on time.
            options.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            options.ServerName = $"estimator:{Environment.MachineName}:{Environment.ProcessId}";
        });
        return services;
    }

    /// <summary>
    /// Maps Hangfire's dashboard at <c>/hangfire</c> with the Models page, behind <see cref="DashboardAuthorization"/>
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

    private static PostgreSqlStorage CreatePostgresStorage(string connectionString)
    {
        // The connection string is passed on, never logged or shown (DisplayStorageConnectionString is off).
        var options = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    private static JobStorage CreateStorage(HangfireStorageConfig storage) => storage.Kind switch
    {
        HangfireStorageKind.InMemory => new InMemoryStorage(new InMemoryStorageOptions()),
        HangfireStorageKind.Postgres => CreatePostgresStorage(storage.ConnectionString!),
        _ => throw new ArgumentOutOfRangeException(nameof(storage), storage.Kind, "Unknown storage kind."),
    };
}
