
namespace Estimator.IO;

/// <summary>
/// Opens a Parquet file for reading, and reads its row groups and columns the one way the table readers and the
/// store's own files need.
/// </summary>
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

    /// <summary>
    /// Opens a Parquet reader on <paramref name="stream"/> once its footer is known to fit in the file and to be well
    /// formed: the library allocates whatever length a corrupt footer claims (up to 2 GB), failing with an out-of-memory
    /// error, and parses a damaged footer past its end, which can spin for minutes (see <see cref="ThriftFooterCheck"/>).
    /// </summary>
    /// <exception cref="EstimatorDataException">The footer's length does not fit in the file, or the footer is damaged.</exception>
    public static async Task<ParquetReader> CreateReaderAsync(Stream stream, string path, CancellationToken cancellationToken = default)
    {
        // The file ends with the footer, its 4-byte little-endian length and the magic "PAR1"; it starts with "PAR1" too.
        const int Framing = 12;
        var length = stream.Length;
        if (length >= Framing)
        {
            var tail = new byte[8];
            stream.Seek(-8, SeekOrigin.End);
            await stream.ReadExactlyAsync(tail, cancellationToken).ConfigureAwait(false);
            var footer = BitConverter.ToInt32(tail, 0);
            if (tail.AsSpan(4).SequenceEqual("PAR1"u8))
            {
                if (footer <= 0 || footer > length - Framing)
                {
                    throw new EstimatorDataException(
                        $"cannot be read as Parquet: its footer claims {footer} bytes but the file has {length}; the file is corrupt or was cut short",
                        path);
                }

                var metadata = new byte[footer];
                stream.Seek(-8 - footer, SeekOrigin.End);
                await stream.ReadExactlyAsync(metadata, cancellationToken).ConfigureAwait(false);
                if (!ThriftFooterCheck.IsWellFormed(metadata))
                {
                    throw new EstimatorDataException("cannot be read as Parquet: its footer (the file's metadata) is damaged", path);
                }
            }
        }

        stream.Seek(0, SeekOrigin.Begin);
        return await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The file's row count, the sum of its row groups' counts (from the footer; no data is read).</summary>
    public static long RowCount(ParquetReader reader)
    {
        long total = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            total += rg.RowCount;
        }

        return total;
    }

    /// <summary>One column of a row group as nullable values, whether the column is required or nullable.</summary>
    /// <param name="rowGroup">The row group.</param>
    /// <param name="field">The column; its CLR type must be <typeparamref name="T"/>.</param>
    /// <param name="count">The row group's row count.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<T?[]> ReadNullableAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int count, CancellationToken cancellationToken = default)
        where T : struct
    {
        var values = new T?[count];
        if (field.IsNullable)
        {
            await rowGroup.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var plain = new T[count];
            await rowGroup.ReadAsync<T>(field, plain.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                values[i] = plain[i];
            }
        }

        return values;
    }

    /// <summary>One required (non-nullable) column of a row group.</summary>
    /// <param name="rowGroup">The row group.</param>
    /// <param name="field">The column; its CLR type must be <typeparamref name="T"/>.</param>
    /// <param name="count">The row group's row count.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<T[]> ReadRequiredAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int count, CancellationToken cancellationToken = default)
        where T : struct
    {
        var values = new T[count];
        await rowGroup.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return values;
    }

    /// <summary>One string column of a row group; null where a value is missing.</summary>
    /// <param name="rowGroup">The row group.</param>
    /// <param name="field">The column.</param>
    /// <param name="count">The row group's row count.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<string?[]> ReadStringsAsync(ParquetRowGroupReader rowGroup, DataField field, int count, CancellationToken cancellationToken = default)
    {
        var values = new string?[count];
        await rowGroup.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return values;
    }

    /// <summary>
    /// Reads a Parquet file (opened with <see cref="OpenRead"/>) row group by row group, in order: <paramref name="readGroup"/>
    /// gets each row group, the file's data fields and the row group's row count.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="readGroup">Reads one row group.</param>
    public static async Task ReadRowGroupsAsync(string path, Func<ParquetRowGroupReader, DataField[], int, Task> readGroup)
    {
        var stream = OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            var reader = await CreateReaderAsync(stream, path).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var fields = reader.Schema.GetDataFields();
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    using var rowGroup = reader.OpenRowGroupReader(g);
                    await readGroup(rowGroup, fields, checked((int)rowGroup.RowCount)).ConfigureAwait(false);
                }
            }
        }
    }
}
