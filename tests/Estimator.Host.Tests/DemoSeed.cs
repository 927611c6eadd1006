using Parquet;
using Parquet.Schema;

namespace Estimator.Host.Tests;

/// <summary>
/// Splits a Parquet file into consecutive parts with the same schema (every column kept). Produced the demo's seed files
/// <c>datasets/demo/incoming/car_loan/analysis/part-0N.parquet</c> from <c>datasets/car_loan/analysis.parquet</c>;
/// <see cref="DemoSeedTests"/> checks that they still concatenate to it.
/// </summary>
internal static class DemoSeed
{
    public static async Task<IReadOnlyList<string>> SplitAsync(string source, string targetDirectory, int parts, string prefix = "part-")
    {
        await using var input = File.OpenRead(source);
        await using var reader = await ParquetReader.CreateAsync(input);
        var fields = reader.Schema.GetDataFields();
        var columns = new Array[fields.Length];
        using (var rowGroup = reader.OpenRowGroupReader(0))
        {
            var rows = (int)rowGroup.RowCount;
            for (var i = 0; i < fields.Length; i++)
            {
                columns[i] = await ReadAsync(rowGroup, fields[i], rows);
            }
        }

        var total = columns[0].Length;
        Directory.CreateDirectory(targetDirectory);
        var written = new List<string>();
        for (var p = 0; p < parts; p++)
        {
            var start = (int)((long)total * p / parts);
            var end = (int)((long)total * (p + 1) / parts);
            var path = Path.Combine(targetDirectory, $"{prefix}{p + 1:00}.parquet");
            await using var output = File.Create(path);
            await using var writer = await ParquetWriter.CreateAsync(reader.Schema, output, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy });
            using var rowGroup = writer.CreateRowGroup();
            for (var i = 0; i < fields.Length; i++)
            {
                await WriteAsync(rowGroup, fields[i], columns[i], start, end - start);
            }

            written.Add(path);
        }

        return written;
    }

    /// <summary>Reads one column of a row group into a CLR array (nullable value types or strings).</summary>
    public static async Task<Array> ReadAsync(ParquetRowGroupReader rowGroup, DataField field, int rows)
    {
        switch (field.ClrType)
        {
            case var t when t == typeof(long): return await Read<long>(rowGroup, field, rows);
            case var t when t == typeof(int): return await Read<int>(rowGroup, field, rows);
            case var t when t == typeof(double): return await Read<double>(rowGroup, field, rows);
            case var t when t == typeof(bool): return await Read<bool>(rowGroup, field, rows);
            case var t when t == typeof(DateTime): return await Read<DateTime>(rowGroup, field, rows);
            default:
                var strings = new string?[rows];
                await rowGroup.ReadAsync(field, strings.AsMemory(), null, CancellationToken.None);
                return strings;
        }
    }

    private static async Task<T?[]> Read<T>(ParquetRowGroupReader rowGroup, DataField field, int rows)
        where T : struct
    {
        var values = new T?[rows];
        await rowGroup.ReadAsync<T>(field, values.AsMemory(), null, CancellationToken.None);
        return values;
    }

    private static Task WriteAsync(ParquetRowGroupWriter rowGroup, DataField field, Array column, int start, int count) => column switch
    {
        long?[] a => rowGroup.WriteAsync<long>(field, new ReadOnlyMemory<long?>(a, start, count), null, null, CancellationToken.None),
        int?[] a => rowGroup.WriteAsync<int>(field, new ReadOnlyMemory<int?>(a, start, count), null, null, CancellationToken.None),
        double?[] a => rowGroup.WriteAsync<double>(field, new ReadOnlyMemory<double?>(a, start, count), null, null, CancellationToken.None),
        bool?[] a => rowGroup.WriteAsync<bool>(field, new ReadOnlyMemory<bool?>(a, start, count), null, null, CancellationToken.None),
        DateTime?[] a => rowGroup.WriteAsync<DateTime>(field, new ReadOnlyMemory<DateTime?>(a, start, count), null, null, CancellationToken.None),
        string?[] a => rowGroup.WriteAsync(field, a.AsSpan(start, count).ToArray(), null),
        _ => throw new NotSupportedException(column.GetType().Name),
    };
}
