using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Estimator.Host.Tests.Postgres;

/// <summary>A child <c>estimator serve --role worker</c> process (the test build's estimator.dll) whose output lines are collected.</summary>
internal sealed partial class WorkerProcess : IDisposable
{
    private readonly Process process;

    private WorkerProcess(Process process)
    {
        this.process = process;
    }

    public ConcurrentQueue<string> Lines { get; } = new();

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>This process's Hangfire server name (<c>estimator:MACHINE:PID</c>).</summary>
    public string ServerName => $"estimator:{Environment.MachineName}:{process.Id}";

    public static WorkerProcess Start(string config, string role = "worker")
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "estimator.dll");
        var info = new ProcessStartInfo("dotnet", [cli, "serve", "--role", role, "--config", config, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the estimator");
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Add(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Per model, the number of new analysis files this process's estimate jobs reported.</summary>
    public Dictionary<string, int> FilesEstimated()
    {
        var files = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in Lines)
        {
            if (EstimateLine().Match(line) is { Success: true } m)
            {
                files[m.Groups[1].Value] = files.GetValueOrDefault(m.Groups[1].Value) + int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return files;
    }

    public void KillHard() => process.Kill(entireProcessTree: true);

    /// <summary>
    /// The URL of this process's <c>/health</c>, from the line <c>Health: URL</c> that <c>serve</c> prints once it
    /// listens (it is started on port 0, so the line has the port the OS chose).
    /// </summary>
    public async Task<Uri> HealthUriAsync(TimeSpan timeout)
    {
        string? url = null;
        await TestHosts.WaitUntilAsync(
            () =>
            {
                url = Lines.FirstOrDefault(l => l.StartsWith("Health: ", StringComparison.Ordinal))?["Health: ".Length..].Trim();
                return url is not null || process.HasExited;
            },
            timeout,
            "the process's Health: line\n" + Output);
        return url is not null ? new Uri(url) : throw new InvalidOperationException($"the process exited with {process.ExitCode} before it listened:\n{Output}");
    }

    /// <summary>Ctrl+C-like stop (SIGTERM) and wait; kills after the timeout.</summary>
    /// <returns>Whether the process exited by itself within the timeout (false: it had to be killed).</returns>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (process.HasExited)
        {
            return true;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return false;
        }
    }

    public string Output => string.Join('\n', Lines);

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            Lines.Enqueue(line);
        }
    }

    [GeneratedRegex(@"estimate (\S+): run \S*, (\d+) new file\(s\)")]
    private static partial Regex EstimateLine();
}
