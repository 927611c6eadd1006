using Parquet;
using Parquet.Schema;

namespace Estimator.Monitoring;

/// <summary>A label that arrived: the target and when the store first saw the file that carried it.</summary>
/// <param name="Target">0 or 1; for a multiclass model the index of the class among the model's classes sorted ordinally (NaN when the file gave the id without a label).</param>
/// <param name="ArrivedAt">When the label's file was first seen (UTC).</param>
internal readonly record struct Label(double Target, DateTime ArrivedAt);

/// <summary>The labels a model has received, by row id; persisted in the store so estimates can carry realized values.</summary>
internal sealed class LabelIndex
{
    private static readonly DataField<string> IdField = new("id", false);
    private static readonly DataField<double?> TargetField = new("y_true", true);
    private static readonly DateTimeDataField ArrivedField = new("arrived_at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false);
    private static readonly ParquetSchema Schema = new(IdField, TargetField, ArrivedField);

    public LabelIndex(Dictionary<string, Label> labels) => Labels = labels;

    public Dictionary<string, Label> Labels { get; }

    public static LabelIndex Empty() => new(new Dictionary<string, Label>(StringComparer.Ordinal));

    /// <summary>Targets for the given row ids (NaN where no label arrived) and the latest arrival among them.</summary>
    public (double[] Targets, int Matched, DateTime? LatestArrival) Match(IReadOnlyList<string?> ids)
    {
        var targets = new double[ids.Count];
        var matched = 0;
        DateTime? latest = null;
        for (var i = 0; i < targets.Length; i++)
        {
            if (ids[i] is { } id && Labels.TryGetValue(id, out var label) && !double.IsNaN(label.Target))
            {
                targets[i] = label.Target;
                matched++;
                latest = latest is null || label.ArrivedAt > latest ? label.ArrivedAt : latest;
            }
            else
            {
                targets[i] = double.NaN;
            }
        }

        return (targets, matched, latest);
    }

    public void Write(string path) => AtomicFile.Write(path, stream => WriteAsync(stream).GetAwaiter().GetResult());

    public static LabelIndex Read(string path) => ReadAsync(path).GetAwaiter().GetResult();

    private async Task WriteAsync(Stream stream)
    {
        var ids = new string[Labels.Count];
        var targets = new double?[Labels.Count];
        var arrived = new DateTime[Labels.Count];
        var i = 0;
        foreach (var (id, label) in Labels)
        {
            ids[i] = id;
            targets[i] = double.IsNaN(label.Target) ? null : label.Target;
            arrived[i] = label.ArrivedAt;
            i++;
        }

        var writer = await ParquetWriter.CreateAsync(Schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(IdField, ids).ConfigureAwait(false);
            await group.WriteAsync<double>(TargetField, targets).ConfigureAwait(false);
            await group.WriteAsync<DateTime>(ArrivedField, arrived).ConfigureAwait(false);
        }
    }

    private static async Task<LabelIndex> ReadAsync(string path)
    {
        var labels = new Dictionary<string, Label>(StringComparer.Ordinal);
        await ParquetInput.ReadRowGroupsAsync(path, async (rowGroup, fields, n) =>
        {
            var ids = await ParquetInput.ReadStringsAsync(rowGroup, fields[0], n).ConfigureAwait(false);
            var targets = await ParquetInput.ReadNullableAsync<double>(rowGroup, fields[1], n).ConfigureAwait(false);
            var arrived = await ParquetInput.ReadRequiredAsync<DateTime>(rowGroup, fields[2], n).ConfigureAwait(false);
            for (var i = 0; i < n; i++)
            {
                labels[ids[i]!] = new Label(targets[i] ?? double.NaN, DateTime.SpecifyKind(arrived[i], DateTimeKind.Utc));
            }
        }).ConfigureAwait(false);

        return new LabelIndex(labels);
    }
}
