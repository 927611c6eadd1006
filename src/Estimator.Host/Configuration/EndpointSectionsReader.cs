namespace Estimator.Host.Configuration;

/// <summary>
/// Reads the options of the host's two HTTP endpoints: <c>dashboard</c> (title, local access, remote authorization)
/// and <c>metrics</c> (whether <c>/metrics</c> is open to remote scrapers).
/// </summary>
internal sealed class EndpointSectionsReader(ConfigNodes nodes)
{
    private static readonly string[] MetricsKeys = ["allow_remote"];
    private static readonly string[] DashboardKeys = ["title", "allow_local", "authorization"];
    private static readonly string[] AuthorizationKeys = ["basic", "token", "token_env"];
    private static readonly string[] BasicKeys = ["username", "password", "password_env"];

    /// <summary>The dashboard options, or null when the section has problems.</summary>
    public DashboardConfig? ReadDashboard(YamlNode node)
    {
        var map = nodes.Mapping(node, "dashboard", DashboardKeys);
        if (map is null)
        {
            return null;
        }

        var title = ConfigNodes.Get(map, "title") is { } titleNode ? nodes.NonEmptyString(titleNode, "dashboard.title") : null;
        var allowLocal = ConfigNodes.Get(map, "allow_local") is { } local ? nodes.Bool(local, "dashboard.allow_local") ?? true : true;
        BasicCredentials? basic = null;
        string? token = null;
        if (ConfigNodes.Get(map, "authorization") is { } authNode && nodes.Mapping(authNode, "dashboard.authorization", AuthorizationKeys) is { } auth)
        {
            if (ConfigNodes.Get(auth, "basic") is { } basicNode && nodes.Mapping(basicNode, "dashboard.authorization.basic", BasicKeys) is { } basicMap)
            {
                basic = ReadBasic(basicMap);
            }

            token = nodes.Secret(auth, "token", "token_env", "dashboard.authorization");
            if (token is { Length: < 16 })
            {
                nodes.Problem("dashboard.authorization.token", auth.Start, "too short: use at least 16 characters");
                token = null;
            }
        }

        return new DashboardConfig { Title = title ?? new DashboardConfig().Title, AllowLocal = allowLocal, Basic = basic, Token = token };
    }

    /// <summary>The <c>/metrics</c> options, or null when the section has problems.</summary>
    public MetricsConfig? ReadMetricsEndpoint(YamlNode node)
    {
        var map = nodes.Mapping(node, "metrics", MetricsKeys);
        if (map is null)
        {
            return null;
        }

        return ConfigNodes.Get(map, "allow_remote") is { } remote
            ? nodes.Bool(remote, "metrics.allow_remote") is bool allow ? new MetricsConfig { AllowRemote = allow } : null
            : new MetricsConfig();
    }

    private BasicCredentials? ReadBasic(YamlMappingNode basicMap)
    {
        const string Path = "dashboard.authorization.basic";
        var user = nodes.Required(basicMap, "username", Path) is { } u ? nodes.NonEmptyString(u, Path + ".username") : null;

        var password = nodes.Secret(basicMap, "password", "password_env", Path);
        if (ConfigNodes.Get(basicMap, "password") is null && ConfigNodes.Get(basicMap, "password_env") is null)
        {
            nodes.Problem(Path + ".password", basicMap.Start, "missing (password, or password_env naming an environment variable)");
        }

        if (user is null || password is null)
        {
            return null;
        }

        if (user.Contains(':', StringComparison.Ordinal))
        {
            nodes.Problem(Path + ".username", basicMap.Start, "must not contain ':'");
            return null;
        }

        return new BasicCredentials(user, password);
    }
}
