using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Estimator.Host.Tests.Notifications;

/// <summary>A real HTTP receiver on 127.0.0.1 (HttpListener) that records every POST; it can refuse the first N (with 503 unless told otherwise).</summary>
internal sealed class Receiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;
    private readonly int refuseStatus;
    private int refuse;

    private Receiver(int port, int refuseFirst, int refuseStatus)
    {
        Port = port;
        refuse = refuseFirst;
        this.refuseStatus = refuseStatus;
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    /// <summary>Accepted posts: path and parsed JSON body.</summary>
    public ConcurrentQueue<(string Path, JsonElement Body, string? IdempotencyKey)> Posts { get; } = new();

    /// <summary>Every request, refused ones too: path, the status answered and the request headers.</summary>
    public ConcurrentQueue<(string Path, int Status, Dictionary<string, string> Headers)> Requests { get; } = new();

    /// <summary>Requests refused.</summary>
    public int Refused { get; private set; }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public static Receiver Start(int? port = null, int refuseFirst = 0, int refuseStatus = 503) => new(port ?? FreePort(), refuseFirst, refuseStatus);

    public List<JsonElement> On(string path) => Posts.Where(p => p.Path == path).Select(p => p.Body).ToList();

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var text = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            if (Interlocked.Decrement(ref refuse) >= 0)
            {
                Refused++;
                context.Response.StatusCode = refuseStatus;
            }
            else
            {
                Posts.Enqueue((context.Request.Url!.AbsolutePath, JsonDocument.Parse(text).RootElement.Clone(), context.Request.Headers["Idempotency-Key"]));
                context.Response.StatusCode = context.Request.Url!.AbsolutePath.StartsWith("/v2/", StringComparison.Ordinal) ? 202 : 200;
            }

            Requests.Enqueue((context.Request.Url!.AbsolutePath, context.Response.StatusCode, headers));
            context.Response.Close();
        }
    }
}
