using Parquet;
using Parquet.Schema;

namespace Estimator.Tests.IO;

/// <summary>A per-test temporary directory, deleted on dispose; plus helpers to write fixture files.</summary>
public sealed class TestFiles : IDisposable
{
    public TestFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "estimator-io-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public string WriteText(string name, string content)
    {
        var path = PathOf(name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes a one-row-group Parquet file from (field, values) pairs.</summary>
    public string WriteParquet(string name, params (DataField Field, Array Values)[] columns)
    {
        var path = PathOf(name);
        WriteParquetAsync(path, columns).GetAwaiter().GetResult();
        return path;
    }

    private static async Task WriteParquetAsync(string path, (DataField Field, Array Values)[] columns)
    {
        var schema = new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray());
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        using var group = writer.CreateRowGroup();
        foreach (var (field, values) in columns)
        {
            switch (values)
            {
                case double?[] a: await group.WriteAsync<double>(field, a); break;
                case double[] a: await group.WriteAsync<double>(field, a); break;
                case float[] a: await group.WriteAsync<float>(field, a); break;
                case int[] a: await group.WriteAsync<int>(field, a); break;
                case int?[] a: await group.WriteAsync<int>(field, a); break;
                case long[] a: await group.WriteAsync<long>(field, a); break;
                case long?[] a: await group.WriteAsync<long>(field, a); break;
                case short[] a: await group.WriteAsync<short>(field, a); break;
                case bool?[] a: await group.WriteAsync<bool>(field, a); break;
                case bool[] a: await group.WriteAsync<bool>(field, a); break;
                case DateTime?[] a: await group.WriteAsync<DateTime>(field, a); break;
                case DateTime[] a: await group.WriteAsync<DateTime>(field, a); break;
                case decimal[] a: await group.WriteAsync<decimal>(field, a); break;
                case string[] a: await group.WriteAsync(field, a); break;
                default: throw new NotSupportedException(values.GetType().Name);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The bundled NannyML car-loan data set.</summary>
    public static string CarLoan(string name) => RepositoryFile(Path.Combine("datasets", "car_loan", name));

    /// <summary>NannyML 0.13.1's expected outputs on the car-loan data (the core tests' golden fixture).</summary>
    public static string Expected(string name) =>
        RepositoryFile(Path.Combine("tests", "Estimator.Core.Tests", "Fixtures", "car_loan", "expected", name + ".json"));

    /// <summary>A file of the repository, found by walking up from the test binaries.</summary>
    public static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
