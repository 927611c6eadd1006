
namespace Estimator.IO;

/// <summary>Reads requested top-level columns of a Parquet file, row group by row group (columnar API).</summary>
internal static class ParquetTableReader
{
    public static async Task<SourceTable> ReadAsync(string path, IReadOnlyList<ColumnRequest> requests, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = ParquetInput.OpenRead(path);
            await using var reader = await ParquetInput.CreateReaderAsync(stream, path, cancellationToken).ConfigureAwait(false);

            var (present, fields) = ResolveFields(reader, requests, path);

            var total = ParquetInput.RowCount(reader);

            if (total == 0)
            {
                throw new EstimatorDataException("has no rows", path);
            }

            if (total > Array.MaxLength)
            {
                throw new EstimatorDataException($"has {total} rows; at most {Array.MaxLength} are supported", path);
            }

            var n = (int)total;
            var builders = new Dictionary<string, ColumnBuilder>(StringComparer.Ordinal);
            foreach (var name in present)
            {
                builders[name] = ColumnBuilder.Create(fields[name], n, path);
            }

            var offset = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var rg = reader.OpenRowGroupReader(g);
                var count = checked((int)rg.RowCount);
                foreach (var name in present)
                {
                    try
                    {
                        await builders[name].ReadAsync(rg, offset, count, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (IsReadFailure(ex))
                    {
                        throw ReadFailure(ex, path, name);
                    }
                }

                offset += count;
            }

            var columns = new Dictionary<string, RawColumn>(StringComparer.Ordinal);
            foreach (var name in present)
            {
                columns[name] = builders[name].Build();
            }

            return new SourceTable(path, n, columns);
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            throw ReadFailure(ex, path);
        }
    }

    /// <summary>The row count from the file's footer.</summary>
    public static async Task<long> CountRowsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = ParquetInput.OpenRead(path);
            await using var reader = await ParquetInput.CreateReaderAsync(stream, path, cancellationToken).ConfigureAwait(false);
            var total = ParquetInput.RowCount(reader);

            return total;
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            throw ReadFailure(ex, path);
        }
    }

    /// <summary>
    /// Reads the requested columns one row group at a time: one table per row group, each holding only that group's
    /// rows, with the index of its first row in the file.
    /// </summary>
    public static async IAsyncEnumerable<(SourceTable Table, long FirstRow)> ReadRowGroupsAsync(
        string path,
        IReadOnlyList<ColumnRequest> requests,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        FileStream? stream = null;
        ParquetReader? reader = null;
        try
        {
            List<string> present;
            Dictionary<string, DataField> fields;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
                reader = await ParquetInput.CreateReaderAsync(stream, path, cancellationToken).ConfigureAwait(false);
                (present, fields) = ResolveFields(reader, requests, path);
            }
            catch (Exception ex) when (IsReadFailure(ex))
            {
                throw ReadFailure(ex, path);
            }

            long offset = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var rg = reader.OpenRowGroupReader(g);
                var count = checked((int)rg.RowCount);
                var columns = new Dictionary<string, RawColumn>(StringComparer.Ordinal);
                foreach (var name in present)
                {
                    var builder = ColumnBuilder.Create(fields[name], count, path);
                    try
                    {
                        await builder.ReadAsync(rg, 0, count, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (IsReadFailure(ex))
                    {
                        throw ReadFailure(ex, path, name);
                    }

                    columns[name] = builder.Build();
                }

                yield return (new SourceTable(path, count, columns), offset);
                offset += count;
            }
        }
        finally
        {
            if (reader is not null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }

            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    internal static (List<string> Present, Dictionary<string, DataField> Fields) ResolveFields(ParquetReader reader, IReadOnlyList<ColumnRequest> requests, string path)
    {
        var fields = new Dictionary<string, DataField>(StringComparer.Ordinal);
        var available = new List<string>();
        foreach (var field in reader.Schema.Fields)
        {
            available.Add(field.Name);
            if (field is DataField df)
            {
                fields[field.Name] = df;
            }
        }

        var present = SourceTable.Resolve(requests, available, path);
        foreach (var name in present)
        {
            if (!fields.TryGetValue(name, out var f) || f.IsArray)
            {
                throw new EstimatorDataException("is a nested or repeated column; expected a plain column", path, name);
            }
        }

        return (present, fields);
    }

    /// <summary>A failure of the Parquet library as the data exception that names the file (and the column being read).</summary>
    internal static EstimatorDataException ReadFailure(Exception ex, string path, string? column = null, string format = "Parquet") =>
        new($"cannot be read as {format}: {OneLine(ex.Message)}", path, column, null, ex);

    internal static bool IsReadFailure(Exception ex) =>
        ex is not (EstimatorDataException or OperationCanceledException or OutOfMemoryException);

    /// <summary>The first non-empty line of an exception message (library exceptions may append multi-line state dumps).</summary>
    internal static string OneLine(string message)
    {
        foreach (var line in message.Split('\n'))
        {
            var t = line.Trim();
            if (t.Length > 0)
            {
                return t;
            }
        }

        return "unknown error";
    }

    /// <summary>Accumulates one column across row groups into the raw representation of its CLR type.</summary>
    private abstract class ColumnBuilder
    {
        public abstract Task ReadAsync(ParquetRowGroupReader rowGroup, int offset, int count, CancellationToken cancellationToken);

        public abstract RawColumn Build();

        public static ColumnBuilder Create(DataField field, int n, string path)
        {
            var t = field.ClrType;
            if (t == typeof(double)) { return new DoubleBuilder<double>(field, n, static v => v); }
            if (t == typeof(float)) { return new DoubleBuilder<float>(field, n, static v => v); }
            if (t == typeof(decimal)) { return new DoubleBuilder<decimal>(field, n, static v => (double)v); }
            if (t == typeof(long)) { return new IntegerBuilder<long>(field, n, static v => v); }
            if (t == typeof(int)) { return new IntegerBuilder<int>(field, n, static v => v); }
            if (t == typeof(short)) { return new IntegerBuilder<short>(field, n, static v => v); }
            if (t == typeof(sbyte)) { return new IntegerBuilder<sbyte>(field, n, static v => v); }
            if (t == typeof(byte)) { return new IntegerBuilder<byte>(field, n, static v => v); }
            if (t == typeof(ushort)) { return new IntegerBuilder<ushort>(field, n, static v => v); }
            if (t == typeof(uint)) { return new IntegerBuilder<uint>(field, n, static v => v); }
            if (t == typeof(ulong)) { return new IntegerBuilder<ulong>(field, n, static v => checked((long)v)); }
            if (t == typeof(bool)) { return new BooleanBuilder(field, n); }
            if (t == typeof(DateTime)) { return new DateTimeBuilder<DateTime>(field, n, ToUtc); }
            if (t == typeof(DateTimeOffset)) { return new DateTimeBuilder<DateTimeOffset>(field, n, static v => v.UtcDateTime); }
            if (t == typeof(DateOnly)) { return new DateTimeBuilder<DateOnly>(field, n, static v => v.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)); }
            if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>)) { return new StringBuilder(field, n); }
            throw new EstimatorDataException($"has unsupported Parquet type {t.Name}", path, field.Name);
        }

        /// <summary>Naive timestamps are taken as UTC; local ones are converted.</summary>
        private static DateTime ToUtc(DateTime v) => v.Kind switch
        {
            DateTimeKind.Utc => v,
            DateTimeKind.Local => v.ToUniversalTime(),
            _ => DateTime.SpecifyKind(v, DateTimeKind.Utc),
        };

        protected static Task<T?[]> ReadValuesAsync<T>(DataField field, ParquetRowGroupReader rowGroup, int count, CancellationToken cancellationToken)
            where T : struct => ParquetInput.ReadNullableAsync<T>(rowGroup, field, count, cancellationToken);
    }

    /// <summary>
    /// A numeric column converted into <typeparamref name="TValue"/>: a required column already of that type is read
    /// straight into place; any other is read as nullable <typeparamref name="T"/> values and converted by <see cref="Fill"/>.
    /// </summary>
    private abstract class NumericBuilder<T, TValue>(DataField field, int n) : ColumnBuilder
        where T : struct
        where TValue : struct
    {
        protected DataField Field { get; } = field;

        protected TValue[] Values { get; } = new TValue[n];

        public sealed override async Task ReadAsync(ParquetRowGroupReader rowGroup, int offset, int count, CancellationToken cancellationToken)
        {
            if (typeof(T) == typeof(TValue) && !Field.IsNullable)
            {
                // Fast path: no conversion and no nulls to mark.
                await rowGroup.ReadAsync<TValue>(Field, Values.AsMemory(offset, count), null, cancellationToken).ConfigureAwait(false);
                return;
            }

            var buffer = await ReadValuesAsync<T>(Field, rowGroup, count, cancellationToken).ConfigureAwait(false);
            Fill(buffer, offset);
        }

        /// <summary>Converts a row group's values into <see cref="Values"/> from <paramref name="offset"/> on.</summary>
        protected abstract void Fill(T?[] buffer, int offset);
    }

    private sealed class DoubleBuilder<T>(DataField field, int n, Func<T, double> convert) : NumericBuilder<T, double>(field, n)
        where T : struct
    {
        public override RawColumn Build() => new DoubleColumn(Field.Name, typeof(T).Name, Values);

        protected override void Fill(T?[] buffer, int offset)
        {
            var values = Values;
            for (var i = 0; i < buffer.Length; i++)
            {
                values[offset + i] = buffer[i] is T v ? convert(v) : double.NaN;
            }
        }
    }

    private sealed class IntegerBuilder<T>(DataField field, int n, Func<T, long> convert) : NumericBuilder<T, long>(field, n)
        where T : struct
    {
        private readonly bool[] _isNull = new bool[n];

        public override RawColumn Build() => new IntegerColumn(Field.Name, typeof(T).Name, Values, _isNull);

        protected override void Fill(T?[] buffer, int offset)
        {
            var values = Values;
            for (var i = 0; i < buffer.Length; i++)
            {
                if (buffer[i] is T v)
                {
                    values[offset + i] = convert(v);
                }
                else
                {
                    _isNull[offset + i] = true;
                }
            }
        }
    }

    private sealed class BooleanBuilder(DataField field, int n) : ColumnBuilder
    {
        private readonly bool?[] _values = new bool?[n];

        public override async Task ReadAsync(ParquetRowGroupReader rowGroup, int offset, int count, CancellationToken cancellationToken)
        {
            var buffer = await ReadValuesAsync<bool>(field, rowGroup, count, cancellationToken).ConfigureAwait(false);
            buffer.CopyTo(_values, offset);
        }

        public override RawColumn Build() => new BooleanColumn(field.Name, _values);
    }

    private sealed class DateTimeBuilder<T>(DataField field, int n, Func<T, DateTime> convert) : ColumnBuilder
        where T : struct
    {
        private readonly DateTime?[] _values = new DateTime?[n];

        public override async Task ReadAsync(ParquetRowGroupReader rowGroup, int offset, int count, CancellationToken cancellationToken)
        {
            var buffer = await ReadValuesAsync<T>(field, rowGroup, count, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                _values[offset + i] = buffer[i] is T v ? convert(v) : null;
            }
        }

        public override RawColumn Build() => new DateTimeColumn(field.Name, typeof(T).Name, _values);
    }

    private sealed class StringBuilder(DataField field, int n) : ColumnBuilder
    {
        private readonly string?[] _values = new string?[n];

        public override async Task ReadAsync(ParquetRowGroupReader rowGroup, int offset, int count, CancellationToken cancellationToken)
        {
            var buffer = new string?[count];
            await rowGroup.ReadAsync(field, buffer.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            buffer.CopyTo(_values, offset);
        }

        public override RawColumn Build() => new StringColumn(field.Name, _values, isText: false);
    }
}
