using Estimator.Host.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Estimator.Host.Tests;

/// <summary>Starts the real host (EstimatorHost) in-memory (TestServer) or on Kestrel, optionally with a store double.</summary>
internal static class TestHosts
{
    public static async Task<WebApplication> StartAsync(EstimatorConfig config, IModelStore? store, string? kestrelUrls = null, ILoggerProvider? logs = null)
    {
        var builder = EstimatorHost.CreateBuilder(config, kestrelUrls);
        if (kestrelUrls is null)
        {
            builder.WebHost.UseTestServer();
        }

        if (store is not null)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(store));
        }

        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        var app = EstimatorHost.Build(builder);
        await app.StartAsync();
        return app;
    }

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) => WaitUntilAsync(condition, timeout, () => what);

    /// <summary>Waits for <paramref name="condition"/>; <paramref name="what"/> is read only on timeout (so it can hold a process's output by then).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds} s waiting for {what()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>
    /// A GET through the in-memory server as if from the machine itself (TestServer requests carry no remote address,
    /// so they count as remote): what a local operator or a local probe sees.
    /// </summary>
    public static async Task<(System.Net.HttpStatusCode Status, string Body)> GetAsLocalAsync(this WebApplication app, string path)
    {
        var context = await app.GetTestServer().SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = path;
            c.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        });
        using var reader = new StreamReader(context.Response.Body);
        return ((System.Net.HttpStatusCode)context.Response.StatusCode, await reader.ReadToEndAsync());
    }
}
