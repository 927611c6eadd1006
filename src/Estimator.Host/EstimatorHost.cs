using Estimator.Host.Dashboard;
using Estimator.Host.Health;
using Estimator.Host.Metrics;
using Estimator.Host.Online;

namespace Estimator.Host;

/// <summary>Builds the job host: an ASP.NET Core application with the Hangfire server and the dashboard at <c>/hangfire</c>.</summary>
public static class EstimatorHost
{
    /// <summary>The address the host listens on unless told otherwise (loopback only).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>Creates a builder with <see cref="EstimatorServiceCollectionExtensions.AddEstimator(IServiceCollection, EstimatorConfig)"/> applied; replace services on it before <see cref="Build"/>.</summary>
    /// <param name="config">The validated configuration.</param>
    /// <param name="urls">The addresses to listen on (default <see cref="DefaultUrl"/>).</param>
    public static WebApplicationBuilder CreateBuilder(EstimatorConfig config, string? urls = null) => CreateBuilder(config, urls, HostRole.All);

    /// <summary>Creates a builder for a process in <paramref name="role"/> (see <see cref="HostRole"/>).</summary>
    /// <param name="config">The validated configuration.</param>
    /// <param name="urls">The addresses to listen on (default <see cref="DefaultUrl"/>).</param>
    /// <param name="role">What this process does.</param>
    public static WebApplicationBuilder CreateBuilder(EstimatorConfig config, string? urls, HostRole role)
    {
        ArgumentNullException.ThrowIfNull(config);
        var root = Path.GetDirectoryName(config.ConfigFile)!;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = root,

            // The content root is the configuration's folder, which usually holds the store and the analysis folders:
            // the default reload of appsettings*.json watches it recursively (an inotify watch per folder, an event per
            // file the store writes, for every model). The two files are polled instead (below).
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        PollAppSettings(builder.Configuration, root);
        builder.WebHost.UseUrls(urls ?? DefaultUrl);
        // One Info line per HTTP request (ASP.NET Core's request logging, the dashboard polling every few seconds) drowns
        // the job lines; requests are logged from Warning up unless appsettings or ESTIMATOR_LOGGING__... say otherwise.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddEstimator(config, role);
        return builder;
    }

    /// <summary>Reloads <c>appsettings*.json</c> when they change by polling the files (every 4 s), not by watching the folder.</summary>
    private static void PollAppSettings(ConfigurationManager configuration, string root)
    {
        var sources = configuration.Sources;
        for (var k = 0; k < sources.Count; k++)
        {
            if (sources[k] is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path: { } path } json && path.StartsWith("appsettings", StringComparison.Ordinal))
            {
                sources[k] = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
                {
                    Path = path,
                    Optional = json.Optional,
                    ReloadOnChange = true,
                    FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(root) { UsePollingFileWatcher = true, UseActivePolling = true },
                };
            }
        }
    }

    /// <summary>The Prometheus endpoint's path.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Builds the application: <c>/health</c>, and unless the role is <see cref="HostRole.Worker"/> the dashboard at
    /// <c>/hangfire</c>, <c>/</c> redirecting to its Models page, and Prometheus exposition at <c>/metrics</c> (local requests, the
    /// dashboard's credentials, or anyone with <c>metrics.allow_remote</c>).
    /// </summary>
    /// <param name="builder">A builder from <see cref="CreateBuilder(EstimatorConfig, string?)"/>.</param>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        app.MapEstimatorHealth();
        if (!app.Services.GetRequiredService<EstimatorHostRole>().ServesDashboard)
        {
            return app;
        }

        app.UseEstimatorDashboard();
        app.MapEstimatorOnline();
        app.MapGet("/", () => Results.Redirect(EstimatorServiceCollectionExtensions.ModelsPagePath));
        app.MapGet(MetricsPath, (HttpContext http, EstimatorConfig config, IModelStore store, HostMetrics metrics) =>
        {
            var allowed = config.Metrics.AllowRemote || DashboardAuthorization.IsTrusted(http, config.Dashboard);
            return allowed
                ? Results.Text(PrometheusExposition.Render(config, store, metrics), PrometheusExposition.ContentType)
                : Results.StatusCode(StatusCodes.Status401Unauthorized);
        });
        return app;
    }
}
