using Estimator.Calculators;
using Parquet;

namespace Estimator.Learning.Tests;

/// <summary>
/// A regression world from shared/scenarios (generated with known truth; see its README): reference, analysis and the
/// analysis targets with each row's true expected absolute and squared error. CI keeps shared/ beside the clone.
/// </summary>
internal sealed class World
{
    private World(ModelData reference, ModelData analysis, double[] expectedAbsoluteError, double[] expectedSquaredError, IReadOnlyList<string> features)
    {
        Reference = reference;
        Analysis = analysis;
        ExpectedAbsoluteError = expectedAbsoluteError;
        ExpectedSquaredError = expectedSquaredError;
        Features = features;
    }

    public ModelData Reference { get; }

    public ModelData Analysis { get; }

    public double[] ExpectedAbsoluteError { get; }

    public double[] ExpectedSquaredError { get; }

    public IReadOnlyList<string> Features { get; }

    public static World Load(string name)
    {
        var directory = Path.Combine(SharedScenarios.Root, name);
        var reference = ReadColumns(Path.Combine(directory, "reference.parquet"));
        var analysis = ReadColumns(Path.Combine(directory, "analysis.parquet"));
        var targets = ReadColumns(Path.Combine(directory, "analysis_targets.parquet"));
        var features = reference.Keys.Where(k => k is not ("id" or "timestamp" or "y_pred" or "y_true")).ToList();
        return new World(
            ToModelData(reference, features, (double[])reference["y_true"]),
            ToModelData(analysis, features, (double[])targets["y_true"]),
            (double[])targets["exp_abs_err"],
            (double[])targets["exp_sq_err"],
            features);
    }

    private static ModelData ToModelData(Dictionary<string, Array> columns, List<string> features, double[] targets)
    {
        var count = ((double[])columns["y_pred"]).Length;
        return new ModelData(count, columns.TryGetValue("timestamp", out var t) ? (DateTime[])t : null)
        {
            Predictions = (double[])columns["y_pred"],
            Targets = targets,
            Features = [.. features.Select(f => columns[f] is double[] d ? (FeatureColumn)new NumericFeature(f, d) : new CategoricalFeature(f, (string?[])columns[f]))],
        };
    }

    // Every column as double[], string?[] or DateTime[] (UTC), whatever numeric width the file stores.
    internal static Dictionary<string, Array> ReadColumns(string path) => ReadColumnsAsync(path).GetAwaiter().GetResult();

    private static async Task<Dictionary<string, Array>> ReadColumnsAsync(string path)
    {
        var reader = await ParquetReader.CreateAsync(path);
        await using (reader)
        {
            var parts = new Dictionary<string, List<Array>>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var n = checked((int)group.RowCount);
                foreach (var field in reader.Schema.GetDataFields())
                {
                    Array data;
                    var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
                    if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
                    {
                        var v = new string?[n];
                        await group.ReadAsync(field, v.AsMemory());
                        data = v;
                    }
                    else if (type == typeof(DateTime))
                    {
                        var v = new DateTime?[n];
                        await group.ReadAsync<DateTime>(field, v.AsMemory());
                        data = v.Select(t => DateTime.SpecifyKind(t ?? default, DateTimeKind.Utc)).ToArray();
                    }
                    else if (type == typeof(long))
                    {
                        var v = new long?[n];
                        await group.ReadAsync<long>(field, v.AsMemory());
                        data = v.Select(x => x is { } l ? (double)l : double.NaN).ToArray();
                    }
                    else if (type == typeof(int))
                    {
                        var v = new int?[n];
                        await group.ReadAsync<int>(field, v.AsMemory());
                        data = v.Select(x => x is { } l ? (double)l : double.NaN).ToArray();
                    }
                    else
                    {
                        var v = new double?[n];
                        await group.ReadAsync<double>(field, v.AsMemory());
                        data = v.Select(x => x ?? double.NaN).ToArray();
                    }

                    if (!parts.TryGetValue(field.Name, out var list))
                    {
                        parts[field.Name] = list = [];
                    }

                    list.Add(data);
                }
            }

            var result = new Dictionary<string, Array>();
            foreach (var (name, list) in parts)
            {
                result[name] = list[0] switch
                {
                    string?[] => list.SelectMany(a => (string?[])a).ToArray(),
                    DateTime[] => list.SelectMany(a => (DateTime[])a).ToArray(),
                    _ => list.SelectMany(a => (double[])a).ToArray(),
                };
            }

            return result;
        }
    }
}
