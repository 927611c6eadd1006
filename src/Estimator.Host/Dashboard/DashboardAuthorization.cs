using System.Security.Cryptography;
using Hangfire.Dashboard;

namespace Estimator.Host.Dashboard;

/// <summary>
/// Who may open the dashboard: local requests (Hangfire's rule: loopback or the server's own address) unless
/// <see cref="DashboardConfig.AllowLocal"/> is off, and remote requests only with the configured basic-auth
/// credentials or bearer token. With nothing configured, remote requests get 401: the dashboard is never open by accident.
/// </summary>
/// <param name="config">The dashboard options.</param>
public sealed class DashboardAuthorization(DashboardConfig config) : IDashboardAuthorizationFilter
{
    private static readonly LocalRequestsOnlyAuthorizationFilter LocalOnly = new();

    /// <inheritdoc />
    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (config.AllowLocal && LocalOnly.Authorize(context))
        {
            return true;
        }

        return HasCredentials(context.GetHttpContext(), config);
    }

    /// <summary>Whether the request carries the configured bearer token or basic credentials (also used by <c>/metrics</c>).</summary>
    /// <param name="http">The request.</param>
    /// <param name="config">The dashboard options holding the credentials.</param>
    public static bool HasCredentials(HttpContext http, DashboardConfig config)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(config);
        var header = http.Request.Headers.Authorization.ToString();
        if (config.Token is { } token && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && SecretEquals(header["Bearer ".Length..].Trim(), token))
        {
            return true;
        }

        if (config.Basic is { } basic)
        {
            if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && DecodeBasic(header["Basic ".Length..].Trim()) is { } pair)
            {
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && SecretEquals(pair[..colon], basic.UserName) & SecretEquals(pair[(colon + 1)..], basic.Password))
                {
                    return true;
                }
            }

            // Lets a browser ask for the credentials.
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"Estimator dashboard\", charset=\"UTF-8\"";
        }

        return false;
    }

    /// <summary>
    /// Whether a plain request may see what the dashboard sees: local (when <c>allow_local</c>) or carrying the
    /// configured credentials. <c>/metrics</c> and the details of <c>/health</c> use it.
    /// </summary>
    /// <param name="http">The request.</param>
    /// <param name="config">The dashboard options.</param>
    public static bool IsTrusted(HttpContext http, DashboardConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return (config.AllowLocal && IsLocal(http)) || HasCredentials(http, config);
    }

    /// <summary>Hangfire's local-request rule on a plain request: the remote address is loopback or the server's own.</summary>
    /// <param name="http">The request.</param>
    public static bool IsLocal(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var remote = http.Connection.RemoteIpAddress;
        return remote is not null && (System.Net.IPAddress.IsLoopback(remote) || remote.Equals(http.Connection.LocalIpAddress));
    }

    private static string? DecodeBasic(string value)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Constant-time comparison (of hashes, so the length does not leak either).</summary>
    internal static bool SecretEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
