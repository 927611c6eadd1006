using Parquet;

namespace Estimator.Host.Tests;

public sealed class DemoSeedTests
{
    [Fact]
    public async Task SeedFiles_ConcatenateToTheCarLoanAnalysis_InFileNameOrder()
    {
        var files = Directory.GetFiles(TestData.SeedDirectory, "*.parquet").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(5, files.Count);

        var expected = await ReadAllAsync(TestData.CarLoanAnalysis);
        var parts = new List<Dictionary<string, Array>>();
        foreach (var file in files)
        {
            parts.Add(await ReadAllAsync(file));
        }

        Assert.All(parts, p => Assert.Equal(10_000, p["id"].Length));
        foreach (var (name, column) in expected)
        {
            var joined = parts.SelectMany(p => p[name].Cast<object?>()).ToList();
            Assert.Equal(column.Cast<object?>(), joined);
        }
    }

    private static async Task<Dictionary<string, Array>> ReadAllAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        using var rowGroup = reader.OpenRowGroupReader(0);
        var columns = new Dictionary<string, Array>();
        foreach (var field in reader.Schema.GetDataFields())
        {
            columns[field.Name] = await DemoSeed.ReadAsync(rowGroup, field, (int)rowGroup.RowCount);
        }

        return columns;
    }
}
