namespace Estimator.Host;

/// <summary>What one <c>estimator serve</c> process does (<c>--role</c>); several processes share one PostgreSQL storage.</summary>
public enum HostRole
{
    /// <summary>Runs jobs and serves the dashboard (the default).</summary>
    All,

    /// <summary>Runs jobs (a Hangfire server); no dashboard, only <c>/health</c> over HTTP.</summary>
    Worker,

    /// <summary>Serves the dashboard and <c>/health</c>; runs no jobs (no Hangfire server).</summary>
    Web,
}

/// <summary>The host's role, as registered by <see cref="EstimatorServiceCollectionExtensions.AddEstimator(IServiceCollection, Configuration.EstimatorConfig, HostRole)"/>.</summary>
/// <param name="Role">The role.</param>
/// <param name="ServerName">The Hangfire server name of this process (null for <see cref="HostRole.Web"/>).</param>
public sealed record EstimatorHostRole(HostRole Role, string? ServerName)
{
    /// <summary>Whether this process runs a Hangfire server.</summary>
    public bool RunsJobs => Role != HostRole.Web;

    /// <summary>Whether this process serves the dashboard.</summary>
    public bool ServesDashboard => Role != HostRole.Worker;
}
