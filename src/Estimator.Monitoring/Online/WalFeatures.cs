using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Estimator.Monitoring.Online;

/// <summary>
/// The features of a write-ahead log record (see <see cref="WalRecord"/>): after the flags, the count of features and
/// each one's kind (0 numeric, 1 categorical) and UTF-8 name; after each row's fixed fields, its values in that order
/// (a double, or a category's UTF-8 length and bytes, <see cref="MissingCategory"/> for a missing one).
/// </summary>
internal static class WalFeatures
{
    private const ushort MissingCategory = ushort.MaxValue;

    public static void EncodeShape(ArrayBufferWriter<byte> buffer, IReadOnlyList<FeatureColumn> features)
    {
        var head = buffer.GetSpan(2);
        BinaryPrimitives.WriteUInt16LittleEndian(head, checked((ushort)features.Count));
        buffer.Advance(2);
        foreach (var feature in features)
        {
            var bytes = Encoding.UTF8.GetByteCount(feature.Name);
            var span = buffer.GetSpan(3 + bytes);
            span[0] = feature is CategoricalFeature ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteUInt16LittleEndian(span[1..], checked((ushort)bytes));
            Encoding.UTF8.GetBytes(feature.Name, span[3..]);
            buffer.Advance(3 + bytes);
        }
    }

    public static void EncodeRow(ArrayBufferWriter<byte> buffer, IReadOnlyList<FeatureColumn> features, int row)
    {
        foreach (var feature in features)
        {
            if (feature is NumericFeature numeric)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(buffer.GetSpan(8), numeric.Values[row]);
                buffer.Advance(8);
                continue;
            }

            var value = ((CategoricalFeature)feature).Values[row];
            var bytes = value is null ? 0 : Encoding.UTF8.GetByteCount(value);
            if (bytes >= MissingCategory)
            {
                throw new ArgumentException($"A category of '{feature.Name}' is longer than {MissingCategory - 1} bytes.", nameof(features));
            }

            var span = buffer.GetSpan(2 + bytes);
            BinaryPrimitives.WriteUInt16LittleEndian(span, value is null ? MissingCategory : (ushort)bytes);
            if (value is not null)
            {
                Encoding.UTF8.GetBytes(value, span[2..]);
            }

            buffer.Advance(2 + bytes);
        }
    }

    /// <summary>Reads the features' names and kinds; returns empty columns of <paramref name="count"/> rows to fill.</summary>
    public static List<FeatureColumn> DecodeShape(ReadOnlySpan<byte> payload, ref int at, int count)
    {
        var n = BinaryPrimitives.ReadUInt16LittleEndian(payload[at..]);
        at += 2;
        var columns = new List<FeatureColumn>(n);
        for (var k = 0; k < n; k++)
        {
            var categorical = payload[at] == 1;
            var bytes = BinaryPrimitives.ReadUInt16LittleEndian(payload[(at + 1)..]);
            var name = Encoding.UTF8.GetString(payload.Slice(at + 3, bytes));
            at += 3 + bytes;
            columns.Add(categorical ? new CategoricalFeature(name, new string?[count]) : new NumericFeature(name, new double[count]));
        }

        return columns;
    }

    public static void DecodeRow(ReadOnlySpan<byte> payload, ref int at, List<FeatureColumn> features, int row)
    {
        foreach (var feature in features)
        {
            if (feature is NumericFeature numeric)
            {
                numeric.Values[row] = BinaryPrimitives.ReadDoubleLittleEndian(payload[at..]);
                at += 8;
                continue;
            }

            var bytes = BinaryPrimitives.ReadUInt16LittleEndian(payload[at..]);
            at += 2;
            if (bytes != MissingCategory)
            {
                ((CategoricalFeature)feature).Values[row] = Encoding.UTF8.GetString(payload.Slice(at, bytes));
                at += bytes;
            }
        }
    }
}
