using System.Text;

namespace Estimator.IO;

/// <summary>
/// The one way Estimator writes a file: to a hidden temporary name beside the target (<c>.NAME.PID-GUID.tmp</c>), flushed
/// to disk, then renamed over the target. A reader sees the old content or the new, never a part; a failed or
/// cancelled write leaves an existing target untouched; a process killed mid-write leaves only a temporary file,
/// which <see cref="RemoveLeftovers"/> (a store) or <see cref="RemoveStale"/> (one target) clears.
/// </summary>
public static class AtomicFile
{
    /// <summary>The hidden temporary name a write to <paramref name="fullPath"/> goes to first.</summary>
    /// <param name="fullPath">The target's full path.</param>
    public static string TemporaryPath(string fullPath)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        return Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
    }

    /// <summary>
    /// Removes the temporary files and staging directories a killed process left beside <paramref name="fullPath"/>
    /// (<c>.NAME.PID-GUID.tmp</c>): those whose writing process is no longer running, and those from before the name
    /// carried a process id. A temporary of a live process (another command writing the same target) is left alone.
    /// </summary>
    /// <param name="fullPath">The target's full path; nothing happens when its directory does not exist.</param>
    public static void RemoveStale(string fullPath)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        var directory = Path.GetDirectoryName(fullPath);
        if (directory is null || !Directory.Exists(directory))
        {
            return;
        }

        var prefix = $".{Path.GetFileName(fullPath)}.";
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, prefix + "*.tmp"))
        {
            var middle = Path.GetFileName(entry)[prefix.Length..^".tmp".Length];
            var dash = middle.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(middle.AsSpan(0, dash), out var pid) && IsRunning(pid))
            {
                continue;
            }

            if (Directory.Exists(entry))
            {
                TryDeleteDirectory(entry);
            }
            else
            {
                TryDelete(entry);
            }
        }
    }

    /// <summary>Deletes a directory and what is in it, best effort.</summary>
    /// <param name="path">The directory.</param>
    public static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a staging directory that cannot be removed now is removed by the next RemoveStale.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Writes what <paramref name="write"/> produces, composed in memory and written in one call.</summary>
    /// <param name="path">The target; its directory is created when missing.</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    public static void Write(string path, Action<Stream> write) => Write(path, write, durable: true);

    /// <summary>
    /// Writes what <paramref name="write"/> produces, composed in memory and written in one call; without
    /// <paramref name="durable"/> the file is not flushed to disk before the rename (still atomic for readers and
    /// against a killed process, but after a power loss it may hold its previous content or none): for files derived
    /// from durable ones, whose readers rebuild them when they are missing or do not match.
    /// </summary>
    /// <param name="path">The target; its directory is created when missing.</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    /// <param name="durable">Flush to disk before the rename.</param>
    public static void Write(string path, Action<Stream> write, bool durable)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteCoreAsync(
            path,
            (stream, _) =>
            {
                write(stream);
                return Task.CompletedTask;
            },
            inMemory: true,
            durable,
            beforeCommit: null,
            CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8.</summary>
    /// <param name="path">The target; its directory is created when missing.</param>
    /// <param name="text">The content.</param>
    public static void WriteText(string path, string text) => WriteText(path, text, durable: true);

    /// <summary>Writes <paramref name="text"/> as UTF-8, flushed to disk before the rename only when <paramref name="durable"/> (see <see cref="Write(string, Action{Stream}, bool)"/>).</summary>
    /// <param name="path">The target; its directory is created when missing.</param>
    /// <param name="text">The content.</param>
    /// <param name="durable">Flush to disk before the rename.</param>
    public static void WriteText(string path, string text, bool durable) =>
        Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)), durable);

    /// <summary>Writes what <paramref name="write"/> produces.</summary>
    /// <param name="path">The target; its directory is created when missing.</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    /// <param name="inMemory">
    /// Compose in memory and write in one call (small files: a Parquet writer's many small asynchronous writes would
    /// each hop to the thread pool on a file handle), or stream to disk through an asynchronous handle (large files).
    /// </param>
    /// <param name="beforeCommit">Called with the temporary file's path just before the rename (tests use it).</param>
    /// <param name="cancellationToken">Cancels the write; the target is left untouched.</param>
    public static Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, bool inMemory, Action<string>? beforeCommit = null, CancellationToken cancellationToken = default) =>
        WriteCoreAsync(path, write, inMemory, durable: true, beforeCommit, cancellationToken);

    private static async Task WriteCoreAsync(string path, Func<Stream, CancellationToken, Task> write, bool inMemory, bool durable, Action<string>? beforeCommit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = TemporaryPath(full);
        try
        {
            Stream stream = inMemory ? new MemoryStream() : new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (stream is MemoryStream memory)
                {
                    using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
                    file.Write(memory.GetBuffer(), 0, checked((int)memory.Length));
                    file.Flush(flushToDisk: durable);
                }
                else
                {
                    ((FileStream)stream).Flush(flushToDisk: durable);
                }
            }

            beforeCommit?.Invoke(temporary);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>Removes temporary files left by a process killed mid-write, in a directory and below.</summary>
    /// <param name="directory">The directory; nothing happens when it does not exist.</param>
    public static void RemoveLeftovers(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(directory, ".*.tmp", SearchOption.AllDirectories))
        {
            TryDelete(file);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a temporary file that cannot be removed now is removed by the next RemoveLeftovers.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
