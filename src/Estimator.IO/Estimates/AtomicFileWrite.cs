namespace Estimator.IO;

/// <summary>
/// Writes a file atomically: the content goes to a temporary file <c>.&lt;name&gt;.&lt;guid&gt;.tmp</c> in the target
/// directory, is flushed to disk, and only then moved over the destination; on failure the temporary file is deleted
/// and an existing file at the destination is left untouched. Shared by the estimate and drift file writers.
/// </summary>
internal static class AtomicFileWrite
{
    /// <summary>Writes <paramref name="path"/> with <paramref name="body"/>, atomically.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="inMemory">Compose the content in memory and write it in one call (small files), else stream it to disk.</param>
    /// <param name="body">Writes the content to the stream it is given.</param>
    /// <param name="beforeCommit">Called with the temporary file's path just before the move (for tests).</param>
    /// <param name="cancellationToken">Cancels the write (the destination is left untouched).</param>
    public static async Task WriteAsync(string path, bool inMemory, Func<Stream, Task> body, Action<string>? beforeCommit, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Stream stream = inMemory ? new MemoryStream() : new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await body(stream).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (stream is MemoryStream memory)
                {
                    using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
                    file.Write(memory.GetBuffer(), 0, checked((int)memory.Length));
                    file.Flush(flushToDisk: true);
                }
                else
                {
                    ((FileStream)stream).Flush(flushToDisk: true);
                }
            }

            beforeCommit?.Invoke(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
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
            // Best effort: the original failure is what matters.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort, as above.
        }
    }
}
