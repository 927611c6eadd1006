namespace Estimator.Host.Online;

/// <summary>
/// What the prediction and label parsers share: walking a JSON array of flat objects with <see cref="Utf8JsonReader"/>
/// (no document, no per-row allocation besides the id string), and reading ids, numbers, labels and timestamps with
/// errors naming the row and field.
/// </summary>
internal static class OnlineBodyReader
{
    /// <summary>The longest id accepted, in UTF-8 bytes.</summary>
    public const int MaxIdBytes = 256;

    /// <summary>Moves to the array's start; a body that is not an array is refused.</summary>
    public static void StartArray(ref Utf8JsonReader reader)
    {
        if (!Read(ref reader, null) || reader.TokenType != JsonTokenType.StartArray)
        {
            throw Fail(null, null, "the body must be a JSON array of objects");
        }
    }

    /// <summary>Moves to the next row's start; false at the array's end.</summary>
    public static bool NextRow(ref Utf8JsonReader reader, int row)
    {
        Read(ref reader, row);
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return false;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Fail(row, null, "each row must be a JSON object");
        }

        return true;
    }

    /// <summary>Moves to the row's next property name; false at the object's end.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader, int row)
    {
        Read(ref reader, row);
        return reader.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>Moves to the current property's value.</summary>
    public static void Value(ref Utf8JsonReader reader, int row) => Read(ref reader, row);

    /// <summary>Skips the current value (a column the endpoint does not use, e.g. a feature).</summary>
    public static void Skip(ref Utf8JsonReader reader, int row)
    {
        try
        {
            reader.Skip();
        }
        catch (JsonException e)
        {
            throw Fail(row, null, "malformed JSON: " + e.Message);
        }
    }

    /// <summary>Checks that nothing follows the array.</summary>
    public static void End(ref Utf8JsonReader reader)
    {
        try
        {
            if (reader.Read())
            {
                throw Fail(null, null, "malformed JSON: data after the array");
            }
        }
        catch (JsonException e)
        {
            throw Fail(null, null, "malformed JSON: " + e.Message);
        }
    }

    /// <summary>An id: a non-empty string, or a number kept in its literal form.</summary>
    public static string Id(ref Utf8JsonReader reader, int row, string field)
    {
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxIdBytes)
        {
            throw Fail(row, field, FormattableString.Invariant($"the id is longer than {MaxIdBytes} bytes"));
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var text = reader.GetString();
                return string.IsNullOrEmpty(text) ? throw Fail(row, field, "the id is empty") : text;
            case JsonTokenType.Number:
                return reader.HasValueSequence ? Encoding.UTF8.GetString(reader.ValueSequence) : Encoding.UTF8.GetString(reader.ValueSpan);
            default:
                throw Fail(row, field, "expected a string or number id, got " + Describe(reader.TokenType));
        }
    }

    /// <summary>A score: a number in [0, 1].</summary>
    public static double Score(ref Utf8JsonReader reader, int row, string field)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw Fail(row, field, "expected a number in [0, 1], got " + Describe(reader.TokenType));
        }

        return value is >= 0 and <= 1 ? value : throw Fail(row, field, FormattableString.Invariant($"score {value} is outside [0, 1]"));
    }

    /// <summary>A binary label: 0, 1, false or true.</summary>
    public static double Label(ref Utf8JsonReader reader, int row, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return 1;
            case JsonTokenType.False:
                return 0;
            case JsonTokenType.Number when reader.TryGetDouble(out var value) && value is 0 or 1:
                return value;
            default:
                throw Fail(row, field, "expected 0, 1, false or true, got " + Describe(reader.TokenType));
        }
    }

    /// <summary>A timestamp: an ISO 8601 string (UTC unless it carries an offset).</summary>
    public static DateTime Timestamp(ref Utf8JsonReader reader, int row, string field)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.TryGetDateTimeOffset(out var offset))
            {
                return offset.UtcDateTime;
            }

            if (DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                return parsed.UtcDateTime;
            }
        }

        throw Fail(row, field, "expected an ISO 8601 timestamp string, got " + Describe(reader.TokenType));
    }

    public static OnlineRequestException Fail(int? row, string? field, string message) => new(new OnlineRequestError(row, field, message));

    public static OnlineRequestException Missing(int row, string field) => Fail(row, field, "missing");

    private static bool Read(ref Utf8JsonReader reader, int? row)
    {
        try
        {
            if (!reader.Read())
            {
                throw Fail(row, null, "malformed JSON: the body ends early");
            }

            return true;
        }
        catch (JsonException e)
        {
            throw Fail(row, null, "malformed JSON: " + e.Message);
        }
    }

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => token.ToString(),
    };
}
