using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Estimator.Tests.Cli;

/// <summary>
/// A small seeded regression data set written as CSV or Parquet: <c>id, x1</c> (numeric), <c>g</c> (A/B),
/// <c>y_pred</c>, <c>y_true</c>, all values positive; the noise is larger for group B, so the error depends on the inputs.
/// </summary>
internal sealed record SmallRegression(long[] Ids, double[] X1, string[] G, double[] Predicted, double[] Actual)
{
    /// <summary>Row timestamps (six hours apart, in order unless a test swaps some); written when asked for.</summary>
    public DateTime[] Timestamps { get; init; } = [];

    public int Count => Ids.Length;

    public static SmallRegression Create(int rows, int seed, long firstId = 0)
    {
        var random = new Random(seed);
        var ids = new long[rows];
        var x1 = new double[rows];
        var g = new string[rows];
        var predicted = new double[rows];
        var actual = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            ids[i] = firstId + i;
            x1[i] = Math.Round(random.NextDouble(), 6);
            g[i] = random.NextDouble() < 0.5 ? "A" : "B";
            predicted[i] = Math.Round(5 + (3 * x1[i]), 6);
            var noise = (random.NextDouble() - 0.5) * (g[i] == "B" ? 4 : 0.5);
            actual[i] = Math.Round(predicted[i] + noise, 6);
        }

        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return new SmallRegression(ids, x1, g, predicted, actual) { Timestamps = [.. ids.Select((_, i) => start.AddHours(6 * i))] };
    }

    public string Csv(bool withActual = true, bool withTimestamps = false)
    {
        var lines = new List<string> { (withTimestamps ? "timestamp," : "") + (withActual ? "id,x1,g,y_pred,y_true" : "id,x1,g,y_pred") };
        for (var i = 0; i < Count; i++)
        {
            var line = (withTimestamps ? Timestamps[i].ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + "," : "")
                + FormattableString.Invariant($"{Ids[i]},{X1[i]},{G[i]},{Predicted[i]}");
            lines.Add(withActual ? line + "," + Actual[i].ToString("R", CultureInfo.InvariantCulture) : line);
        }

        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Writes the rows as Parquet in row groups of <paramref name="groupRows"/> rows.</summary>
    public void WriteParquet(string path, int groupRows, bool withActual = true, bool withTimestamps = false)
    {
        var timestamp = new DataField<DateTime>("timestamp");
        var id = new DataField<long>("id");
        var x1 = new DataField<double>("x1");
        var g = new DataField<string>("g");
        var yPred = new DataField<double>("y_pred");
        var yTrue = new DataField<double>("y_true");
        var fields = new List<Field> { id, x1, g, yPred };
        if (withActual)
        {
            fields.Add(yTrue);
        }

        if (withTimestamps)
        {
            fields.Add(timestamp);
        }

        var schema = new ParquetSchema(fields);
        WriteAsync().GetAwaiter().GetResult();

        async Task WriteAsync()
        {
            await using var stream = File.Create(path);
            await using var writer = await ParquetWriter.CreateAsync(schema, stream);
            for (var start = 0; start < Count; start += groupRows)
            {
                var n = Math.Min(groupRows, Count - start);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<long>(id, Ids.AsMemory(start, n));
                await group.WriteAsync<double>(x1, X1.AsMemory(start, n));
                await group.WriteAsync(g, G[start..(start + n)]);
                await group.WriteAsync<double>(yPred, Predicted.AsMemory(start, n));
                if (withActual)
                {
                    await group.WriteAsync<double>(yTrue, Actual.AsMemory(start, n));
                }

                if (withTimestamps)
                {
                    await group.WriteAsync<DateTime>(timestamp, Timestamps.AsMemory(start, n));
                }
            }
        }
    }
}
