using Parquet;
using Parquet.Schema;

namespace Estimator.Monitoring;

/// <summary>
/// Input columns in the store's row files: one <c>feature_&lt;name&gt;</c> column each (doubles for numeric inputs, text
/// for categorical ones, nulls where missing). A regression model's features and the drift and quality columns of any
/// model are stored this way.
/// </summary>
internal static class FeatureColumnFields
{
    public const string Prefix = "feature_";

    public static DataField Field(StoredFeature feature) => feature.Categorical
        ? new DataField<string>(Prefix + feature.Name, true)
        : new DataField<double?>(Prefix + feature.Name, true);

    /// <summary>The column names of <paramref name="shapes"/> in a row file.</summary>
    public static IEnumerable<string> Names(IReadOnlyList<StoredFeature>? shapes) => (shapes ?? []).Select(s => Prefix + s.Name);

    /// <summary>Writes the columns under their fields (in order).</summary>
    public static async Task WriteAsync(ParquetRowGroupWriter group, IReadOnlyList<FeatureColumn> columns, DataField[] fields)
    {
        for (var k = 0; k < columns.Count; k++)
        {
            if (columns[k] is CategoricalFeature categorical)
            {
                await group.WriteAsync((DataField<string>)fields[k], categorical.Values).ConfigureAwait(false);
            }
            else
            {
                await group.WriteAsync<double>((DataField<double?>)fields[k], RowFile.Nullable(((NumericFeature)columns[k]).Values)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Collects the columns of every row group: <see cref="ReadAsync"/> per group, then <see cref="Columns"/>.</summary>
    public sealed class Reader(IReadOnlyList<StoredFeature> shapes)
    {
        private readonly List<double>[] numbers = [.. shapes.Select(_ => new List<double>())];
        private readonly List<string?>[] text = [.. shapes.Select(_ => new List<string?>())];

        /// <summary>Reads one row group's columns, which start at <paramref name="first"/> among <paramref name="fields"/>.</summary>
        public async Task ReadAsync(ParquetRowGroupReader rg, DataField[] fields, int first, int n)
        {
            for (var k = 0; k < shapes.Count; k++)
            {
                if (shapes[k].Categorical)
                {
                    var values = new string?[n];
                    await rg.ReadAsync(fields[first + k], values.AsMemory()).ConfigureAwait(false);
                    text[k].AddRange(values);
                }
                else
                {
                    var values = new double?[n];
                    await rg.ReadAsync<double>(fields[first + k], values.AsMemory()).ConfigureAwait(false);
                    foreach (var v in values)
                    {
                        numbers[k].Add(v ?? double.NaN);
                    }
                }
            }
        }

        public IReadOnlyList<FeatureColumn> Columns() =>
            [.. shapes.Select((f, k) => f.Categorical ? (FeatureColumn)new CategoricalFeature(f.Name, [.. text[k]]) : new NumericFeature(f.Name, [.. numbers[k]]))];
    }
}
