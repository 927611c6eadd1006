using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Estimator.Host.Tests.Online;

/// <summary>
/// A POST whose headers and first body byte are on the wire while the rest of its body is held back, written on a raw
/// socket: HttpClient decides itself when a streamed body's first bytes leave the process, so a test that needs the
/// server to be inside the request cannot rely on it.
/// </summary>
internal sealed class HeldPost : IAsyncDisposable
{
    private readonly TcpClient client;
    private readonly NetworkStream stream;
    private readonly byte[] body;

    private HeldPost(TcpClient client, byte[] body)
    {
        this.client = client;
        stream = client.GetStream();
        this.body = body;
    }

    /// <summary>Sends the request line, the headers (chunked body) and the body's first byte.</summary>
    public static async Task<HeldPost> StartAsync(Uri server, string path, byte[] body)
    {
        var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var post = new HeldPost(client, body);
        await post.WriteAsync($"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        await post.ChunkAsync(body.AsMemory(0, 1));
        return post;
    }

    /// <summary>Sends the rest of the body and returns the response's status code.</summary>
    public async Task<int> FinishAsync()
    {
        await ChunkAsync(body.AsMemory(1));
        await WriteAsync("0\r\n\r\n");
        using var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
        var status = await reader.ReadLineAsync() ?? throw new InvalidOperationException("The server closed the connection without a response.");
        return int.Parse(status.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        client.Dispose();
    }

    private async Task ChunkAsync(ReadOnlyMemory<byte> chunk)
    {
        await WriteAsync(chunk.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
        await stream.WriteAsync(chunk);
        await WriteAsync("\r\n");
    }

    private async Task WriteAsync(string text)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        await stream.FlushAsync();
    }
}
