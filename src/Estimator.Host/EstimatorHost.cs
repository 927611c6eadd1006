using Estimator.Host.Configuration;
using Estimator.Host.Health;

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
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = Path.GetDirectoryName(config.ConfigFile),
            Args = [],
        });
        builder.WebHost.UseUrls(urls ?? DefaultUrl);
        builder.Services.AddEstimator(config, role);
        return builder;
    }

    /// <summary>Builds the application: <c>/health</c>, and unless the role is <see cref="HostRole.Worker"/> the dashboard at <c>/hangfire</c> and <c>/</c> redirecting to it.</summary>
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
        app.MapGet("/", () => Results.Redirect(EstimatorServiceCollectionExtensions.DashboardPath));
        return app;
    }
}
