using System.Net;
using System.Net.Sockets;

namespace Estimator.Cli;

/// <summary>
/// Checks <c>serve --urls</c> before the host starts, so a typo or a port already taken is one <c>error:</c> line
/// naming the URL instead of a failed host start with a stack trace.
/// </summary>
internal static class ListenUrls
{
    /// <summary>The first problem with <paramref name="urls"/> (semicolon-separated), or null when every URL can be listened on.</summary>
    /// <param name="urls">The option's value.</param>
    public static string? Problem(string urls)
    {
        var entries = urls.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0)
        {
            return "--urls: no URL given (e.g. http://127.0.0.1:5000)";
        }

        foreach (var url in entries)
        {
            // Kestrel's wildcard hosts (* and +) are not valid URI hosts; any stands in for them when parsing.
            var parsable = url.Replace("://*", "://any", StringComparison.Ordinal).Replace("://+", "://any", StringComparison.Ordinal);
            if (!Uri.TryCreate(parsable, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
            {
                return $"--urls '{url}': not a URL to listen on; use http://HOST:PORT or https://HOST:PORT (e.g. http://127.0.0.1:5000)";
            }

            if (PortTaken(uri) is { } address)
            {
                return $"--urls '{url}': port {uri.Port} is already in use on {address} (another process listens there); choose another port";
            }
        }

        return null;
    }

    // Binds and releases the port where the address is known; a host name other than localhost is left to Kestrel.
    private static IPAddress? PortTaken(Uri uri)
    {
        IPAddress? address = uri.Host switch
        {
            "any" => IPAddress.Any,
            "localhost" => IPAddress.Loopback,
            _ => IPAddress.TryParse(uri.Host.Trim('[', ']'), out var parsed) ? parsed : null,
        };
        if (address is null || uri.Port == 0)
        {
            return null;
        }

        try
        {
            var listener = new TcpListener(address, uri.Port);
            listener.Start();
            listener.Stop();
            return null;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return address;
        }
        catch (SocketException)
        {
            // Not ours to judge (an address this machine does not have, say): Kestrel reports it.
            return null;
        }
    }
}
