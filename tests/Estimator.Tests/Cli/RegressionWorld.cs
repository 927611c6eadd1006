using Parquet;

namespace Estimator.Tests.Cli;

/// <summary>
/// A regression world from shared/scenarios (see its README): file paths, and the analysis rows' predictions joined to
/// their actual values by id, read here with Parquet.Net directly (not through the estimator's readers).
/// </summary>
internal sealed class RegressionWorld
{
    /// <summary>Every column but these is a model input.</summary>
    public const string Features = "x1,x2,x3,g";

    private RegressionWorld(string directory) => Directory = directory;

    public string Directory { get; }

    public string Reference => Path.Combine(Directory, "reference.parquet");

    public string Analysis => Path.Combine(Directory, "analysis.parquet");

    public string Targets => Path.Combine(Directory, "analysis_targets.parquet");

    public static RegressionWorld Load(string name) => new(Path.Combine(SharedScenarios.Root, name));

    /// <summary>The analysis rows in file order: (timestamp, prediction, actual value joined by id).</summary>
    public List<(DateTime Timestamp, double Predicted, double Actual)> AnalysisWithActuals()
    {
        var analysis = ReadAsync(Analysis).GetAwaiter().GetResult();
        var targets = ReadAsync(Targets).GetAwaiter().GetResult();
        var actualById = new Dictionary<long, double>();
        var targetIds = (long[])targets["id"];
        var actual = (double[])targets["y_true"];
        for (var i = 0; i < targetIds.Length; i++)
        {
            actualById.Add(targetIds[i], actual[i]);
        }

        var ids = (long[])analysis["id"];
        var predicted = (double[])analysis["y_pred"];
        var timestamps = (DateTime[])analysis["timestamp"];
        return [.. ids.Select((id, i) => (timestamps[i], predicted[i], actualById[id]))];
    }

    // id as long[], y_pred and y_true as double[], timestamp as DateTime[]; other columns are not needed here.
    private static async Task<Dictionary<string, Array>> ReadAsync(string path)
    {
        var reader = await ParquetReader.CreateAsync(path);
        await using (reader)
        {
            var columns = new Dictionary<string, List<Array>>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var n = checked((int)group.RowCount);
                foreach (var field in reader.Schema.GetDataFields().Where(f => f.Name is "id" or "y_pred" or "y_true" or "timestamp"))
                {
                    var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
                    Array data;
                    if (type == typeof(long))
                    {
                        var v = new long?[n];
                        await group.ReadAsync<long>(field, v.AsMemory());
                        data = v.Select(x => x!.Value).ToArray();
                    }
                    else if (type == typeof(DateTime))
                    {
                        var v = new DateTime?[n];
                        await group.ReadAsync<DateTime>(field, v.AsMemory());
                        data = v.Select(x => x!.Value).ToArray();
                    }
                    else
                    {
                        var v = new double?[n];
                        await group.ReadAsync<double>(field, v.AsMemory());
                        data = v.Select(x => x ?? double.NaN).ToArray();
                    }

                    if (!columns.TryGetValue(field.Name, out var parts))
                    {
                        columns[field.Name] = parts = [];
                    }

                    parts.Add(data);
                }
            }

            return columns.ToDictionary(
                p => p.Key,
                p => p.Value[0] switch
                {
                    long[] => (Array)p.Value.SelectMany(a => (long[])a).ToArray(),
                    DateTime[] => p.Value.SelectMany(a => (DateTime[])a).ToArray(),
                    _ => p.Value.SelectMany(a => (double[])a).ToArray(),
                });
        }
    }
}
