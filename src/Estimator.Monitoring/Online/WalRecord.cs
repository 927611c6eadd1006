using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Estimator.Monitoring.Online;

/// <summary>
/// One record of the online write-ahead log: a header (magic, payload length, checksum) and a payload holding the
/// sequence number of its first row and the rows (id as UTF-8, score, prediction, timestamp ticks when present, then
/// each feature's value when the rows carry features: a double, or a category as UTF-8 with 0xFFFF for a missing one).
/// Flags (byte 12 of the payload): 1 = timestamps, 2 = features, whose names and kinds follow the flags. A record that is cut short or whose checksum does not match ends the readable log (a write torn by a crash).
/// </summary>
internal static class WalRecord
{
    public const int HeaderBytes = 16;
    private const uint Magic = 0x4C41574F; // "OWAL"
    private const byte TimestampFlag = 1;
    private const byte FeatureFlag = 2;

    /// <summary>Appends the record of <paramref name="rows"/> (whose first row is number <paramref name="firstSequence"/>) to <paramref name="buffer"/>.</summary>
    public static void Encode(ArrayBufferWriter<byte> buffer, long firstSequence, OnlineRows rows)
    {
        var header = buffer.GetSpan(HeaderBytes)[..HeaderBytes];
        header.Clear();
        buffer.Advance(HeaderBytes);
        var start = buffer.WrittenCount;
        var head = buffer.GetSpan(13);
        BinaryPrimitives.WriteInt64LittleEndian(head, firstSequence);
        BinaryPrimitives.WriteInt32LittleEndian(head[8..], rows.Count);
        head[12] = (byte)((rows.Timestamps is null ? 0 : TimestampFlag) | (rows.Features is null ? 0 : FeatureFlag));
        buffer.Advance(13);
        if (rows.Features is { } features)
        {
            WalFeatures.EncodeShape(buffer, features);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var id = rows.Ids[i];
            var idBytes = Encoding.UTF8.GetByteCount(id);
            var span = buffer.GetSpan(2 + idBytes + 24);
            BinaryPrimitives.WriteUInt16LittleEndian(span, checked((ushort)idBytes));
            Encoding.UTF8.GetBytes(id, span[2..]);
            var at = 2 + idBytes;
            BinaryPrimitives.WriteDoubleLittleEndian(span[at..], rows.Scores[i]);
            BinaryPrimitives.WriteDoubleLittleEndian(span[(at + 8)..], rows.Predictions[i]);
            at += 16;
            if (rows.Timestamps is not null)
            {
                BinaryPrimitives.WriteInt64LittleEndian(span[at..], rows.Timestamps[i].Ticks);
                at += 8;
            }

            buffer.Advance(at);
            if (rows.Features is { } columns)
            {
                WalFeatures.EncodeRow(buffer, columns, i);
            }
        }

        var length = buffer.WrittenCount - start;
        var written = buffer.WrittenMemory.Span;
        var payload = written.Slice(start, length);

        // The header sits just before the payload; GetSpan may have moved the buffer, so it is found again.
        var headerAgain = System.Runtime.InteropServices.MemoryMarshal.AsMemory(buffer.WrittenMemory).Span.Slice(start - HeaderBytes, HeaderBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(headerAgain, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(headerAgain[4..], length);
        BinaryPrimitives.WriteUInt64LittleEndian(headerAgain[8..], Checksum(payload));
    }

    /// <summary>
    /// Decodes the record at the start of <paramref name="data"/>; false when it is incomplete or corrupt.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, out long firstSequence, out OnlineRows rows, out int consumed)
    {
        firstSequence = 0;
        rows = OnlineRows.Empty(false);
        consumed = 0;
        if (data.Length < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(data[4..]);
        if (length < 13 || data.Length - HeaderBytes < length)
        {
            return false;
        }

        var payload = data.Slice(HeaderBytes, length);
        if (Checksum(payload) != BinaryPrimitives.ReadUInt64LittleEndian(data[8..]))
        {
            return false;
        }

        firstSequence = BinaryPrimitives.ReadInt64LittleEndian(payload);
        var count = BinaryPrimitives.ReadInt32LittleEndian(payload[8..]);
        var hasTimestamps = (payload[12] & TimestampFlag) != 0;
        var ids = new string[count];
        var scores = new double[count];
        var predictions = new double[count];
        var timestamps = hasTimestamps ? new DateTime[count] : null;
        var at = 13;
        var features = (payload[12] & FeatureFlag) == 0 ? null : WalFeatures.DecodeShape(payload, ref at, count);
        for (var i = 0; i < count; i++)
        {
            var idBytes = BinaryPrimitives.ReadUInt16LittleEndian(payload[at..]);
            ids[i] = Encoding.UTF8.GetString(payload.Slice(at + 2, idBytes));
            at += 2 + idBytes;
            scores[i] = BinaryPrimitives.ReadDoubleLittleEndian(payload[at..]);
            predictions[i] = BinaryPrimitives.ReadDoubleLittleEndian(payload[(at + 8)..]);
            at += 16;
            if (timestamps is not null)
            {
                timestamps[i] = new DateTime(BinaryPrimitives.ReadInt64LittleEndian(payload[at..]), DateTimeKind.Utc);
                at += 8;
            }

            if (features is not null)
            {
                WalFeatures.DecodeRow(payload, ref at, features, i);
            }
        }

        rows = new OnlineRows(ids, scores, predictions, timestamps, features);
        consumed = HeaderBytes + length;
        return true;
    }

    /// <summary>A 64-bit multiply-xor checksum over 8-byte words (FNV-1a's constants); catches torn and garbled writes.</summary>
    private static ulong Checksum(ReadOnlySpan<byte> payload)
    {
        var hash = 14695981039346656037UL;
        var i = 0;
        for (; i + 8 <= payload.Length; i += 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(payload[i..])) * 1099511628211UL;
            hash ^= hash >> 29;
        }

        for (; i < payload.Length; i++)
        {
            hash = (hash ^ payload[i]) * 1099511628211UL;
        }

        return hash ^ (ulong)payload.Length;
    }
}
