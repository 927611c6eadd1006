using Parquet;
using Parquet.Schema;

namespace Estimator.Monitoring;

/// <summary>
/// The Parquet form of a regression model's <see cref="RowBatch"/> in the store (<c>rows/</c> and work-item segments):
/// <c>id</c>, <c>timestamp</c>, <c>y_pred</c> (the predicted value), then one <c>feature_&lt;name&gt;</c> column per input
/// column in the order of the state's features (doubles for numeric inputs, text for categorical ones). Missing values
/// are nulls. The drift and quality columns that are not features follow, named the same way (see <see cref="RowBatch.Inputs"/>).
/// </summary>
internal static class RegressionRowFile
{
    private static readonly string[] FixedColumns = ["id", "timestamp", "y_pred"];

    /// <summary>Writes the rows to a Parquet file atomically (temporary name, then rename).</summary>
    public static void Write(RowBatch rows, string path) => AtomicFile.Write(path, stream => WriteAsync(rows, stream).GetAwaiter().GetResult());

    /// <summary>Reads rows written by <see cref="Write"/>; <paramref name="features"/> is the shape the state records.</summary>
    public static RowBatch Read(string path, bool ids, bool timestamps, IReadOnlyList<StoredFeature> features, IReadOnlyList<StoredFeature>? inputs = null) =>
        ReadAsync(path, ids, timestamps, features, inputs).GetAwaiter().GetResult();

    private static async Task WriteAsync(RowBatch rows, Stream stream)
    {
        var columns = (IReadOnlyList<FeatureColumn>)[.. rows.Features!, .. rows.Inputs ?? []];
        var featureFields = StoredFeatures.Shapes(columns).Select(FeatureColumnFields.Field).ToArray();
        var schema = new ParquetSchema([RowFile.IdField, RowFile.TimestampField, RowFile.PredictionField, .. featureFields]);
        var writer = await ParquetWriter.CreateAsync(schema, stream, RowFile.WriteOptions).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            await RowFile.WriteKeysAsync(group, rows).ConfigureAwait(false);
            await group.WriteAsync<double>(RowFile.PredictionField, RowFile.Nullable(rows.Predictions!)).ConfigureAwait(false);
            await FeatureColumnFields.WriteAsync(group, columns, featureFields).ConfigureAwait(false);
        }
    }

    private static Task<RowBatch> ReadAsync(string path, bool ids, bool timestamps, IReadOnlyList<StoredFeature> features, IReadOnlyList<StoredFeature>? inputs) =>
        RowFile.ReadFileAsync(path, async (reader, fields) =>
        {
            IReadOnlyList<StoredFeature> all = [.. features, .. inputs ?? []];
            var expected = FixedColumns.Concat(FeatureColumnFields.Names(all)).ToArray();
            if (!fields.Select(f => f.Name).SequenceEqual(expected, StringComparer.Ordinal))
            {
                throw new EstimatorDataException(
                    $"the store's row file has the columns {string.Join(", ", fields.Select(f => f.Name))}; this regression model's rows have {string.Join(", ", expected)}",
                    path);
            }

            var idList = new List<string?>();
            var tsList = new List<DateTime>();
            var predictions = new List<double>();
            var columns = new FeatureColumnFields.Reader(all);
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var rg = reader.OpenRowGroupReader(g);
                var n = checked((int)rg.RowCount);
                await RowFile.ReadKeysAsync(rg, fields, n, idList, tsList).ConfigureAwait(false);
                predictions.AddRange(await Doubles(rg, fields[2], n).ConfigureAwait(false));
                await columns.ReadAsync(rg, fields, 3, n).ConfigureAwait(false);
            }

            var read = columns.Columns();
            var rows = new RowBatch(ids ? [.. idList] : null, timestamps ? [.. tsList] : null, [.. read.Take(features.Count)], [.. predictions]);
            return inputs is null ? rows : rows.WithInputs([.. read.Skip(features.Count)]);
        });

    private static async Task<double[]> Doubles(ParquetRowGroupReader rg, DataField field, int n)
    {
        var values = new double?[n];
        await rg.ReadAsync<double>(field, values.AsMemory()).ConfigureAwait(false);
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = values[i] ?? double.NaN;
        }

        return result;
    }
}
