namespace Estimator.IO;

/// <summary>Opens a Parquet file for reading.</summary>
internal static class ParquetInput
{
    /// <summary>Files up to this size are read into memory in one call.</summary>
    public const long InMemoryLimit = 64L << 20;

    /// <summary>
    /// The file's bytes in memory when it is small (one read instead of a seek and a read per column chunk, each of them
    /// a thread-pool hop on an asynchronous file handle — the store's small files are opened thousands of times per
    /// cycle), otherwise an asynchronous file stream read in <paramref name="bufferSize"/> blocks.
    /// </summary>
    public static Stream OpenRead(string path, int bufferSize = 1 << 16)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        try
        {
            var length = stream.Length;
            if (length > InMemoryLimit)
            {
                stream.Dispose();
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, useAsync: true);
            }

            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            stream.Dispose();
            return new MemoryStream(bytes, writable: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
