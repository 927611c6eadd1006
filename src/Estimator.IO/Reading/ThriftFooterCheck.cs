namespace Estimator.IO;

/// <summary>
/// Walks a Parquet footer (Thrift compact protocol) to check that it is well formed before Parquet.Net parses it: the
/// library reads on past the end of a damaged footer without noticing, and can then spin for minutes over a list whose
/// length one flipped bit made huge. Every read here is bounds-checked, so the walk ends within the footer's bytes.
/// </summary>
internal ref struct ThriftFooterCheck
{
    // Parquet's metadata nests a handful of levels deep; a deeper footer is damage, not a schema.
    private const int MaxDepth = 64;

    private readonly ReadOnlySpan<byte> data;
    private int position;

    private ThriftFooterCheck(ReadOnlySpan<byte> data)
    {
        this.data = data;
    }

    /// <summary>Whether <paramref name="footer"/> is one complete Thrift struct that ends within it.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> footer) => new ThriftFooterCheck(footer).Struct(0);

    private bool Struct(int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        while (true)
        {
            if (!Byte(out var header))
            {
                return false;
            }

            if (header == 0)
            {
                return true;
            }

            // The high nibble is the field id's delta; 0 means the id follows as a varint. Booleans carry their value in the type.
            var type = header & 0x0F;
            if ((header >> 4) == 0 && !VarInt(out _))
            {
                return false;
            }

            if (type is not (1 or 2) && !Value(type, depth))
            {
                return false;
            }
        }
    }

    private bool Value(int type, int depth)
    {
        switch (type)
        {
            case 1 or 2 or 3:
                return Skip(1);
            case 4 or 5 or 6:
                return VarInt(out _);
            case 7:
                return Skip(8);
            case 8:
                return VarInt(out var length) && Skip(length);
            case 9 or 10:
                {
                    if (!Byte(out var header))
                    {
                        return false;
                    }

                    long size = header >> 4;
                    if (size == 15 && !VarInt(out size))
                    {
                        return false;
                    }

                    return Elements(size, header & 0x0F, 0, depth);
                }

            case 11:
                {
                    if (!VarInt(out var size))
                    {
                        return false;
                    }

                    if (size == 0)
                    {
                        return true;
                    }

                    return Byte(out var types) && Elements(size, types >> 4, types & 0x0F, depth);
                }

            case 12:
                return Struct(depth + 1);
            default:
                return false;
        }
    }

    /// <summary>A list's or map's elements (a map's keys and values alternate; <paramref name="valueType"/> is 0 for a list).</summary>
    private bool Elements(long size, int keyType, int valueType, int depth)
    {
        // Every element takes at least one byte: a count beyond the bytes left is damage.
        if (size < 0 || size > data.Length - position)
        {
            return false;
        }

        for (long i = 0; i < size; i++)
        {
            if (!Value(keyType, depth + 1) || (valueType != 0 && !Value(valueType, depth + 1)))
            {
                return false;
            }
        }

        return true;
    }

    private bool Byte(out int value)
    {
        if (position >= data.Length)
        {
            value = 0;
            return false;
        }

        value = data[position++];
        return true;
    }

    private bool Skip(long count)
    {
        if (count < 0 || count > data.Length - position)
        {
            return false;
        }

        position += (int)count;
        return true;
    }

    /// <summary>A ULEB128 varint of at most ten bytes (zigzag decoding is not needed to skip it; lengths are not zigzagged).</summary>
    private bool VarInt(out long value)
    {
        value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (!Byte(out var b))
            {
                return false;
            }

            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
