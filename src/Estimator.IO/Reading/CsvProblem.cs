using System.Text;

namespace Estimator.IO;

/// <summary>
/// Finds the first RFC 4180 violation in a CSV file and words it as the reader reports it: the 0-based data row, what
/// is wrong and, for quoting, the byte offset. The fast reader (Sep) splits rows leniently; it calls this only once it
/// has seen that something is wrong, so the error names the same place whatever the splitter made of the bad quoting.
/// </summary>
internal static class CsvProblem
{
    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>The error for the first malformed record of <paramref name="path"/>, or null when the file is well formed.</summary>
    public static EstimatorDataException? Find(string path)
    {
        Span<byte> start = stackalloc byte[4];
        using (var file = File.OpenRead(path))
        {
            start = start[..file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false)];
        }

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Find(reader, start, path);
    }

    /// <summary>Whether one row as the splitter returned it (no line break outside quotes) is well formed.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> row)
    {
        var state = State.FieldStart;
        foreach (var c in row)
        {
            state = Next(state, c, out var bad);
            if (bad is not null)
            {
                return false;
            }
        }

        return state != State.Quoted;
    }

    /// <summary>Scans the text in blocks, counting bytes in the file's encoding so an error can give its byte offset.</summary>
    private static EstimatorDataException? Find(StreamReader reader, ReadOnlySpan<byte> fileStart, string path)
    {
        // Records are numbered as the reader numbers them: empty lines are skipped, the first record is the header.
        long record = -1, bytesBefore = -1;
        int expected = -1, fields = 0, count;
        var inRecord = false;
        var state = State.FieldStart;
        var block = new char[1 << 16];
        while ((count = reader.Read(block)) > 0)
        {
            var encoding = reader.CurrentEncoding;
            if (bytesBefore < 0)
            {
                bytesBefore = fileStart.StartsWith(encoding.Preamble) ? encoding.Preamble.Length : 0;
            }

            for (var i = 0; i < count; i++)
            {
                var c = block[i];
                var lineBreak = c is '\r' or '\n' && state != State.Quoted;
                if (!inRecord)
                {
                    if (lineBreak)
                    {
                        continue;
                    }

                    inRecord = true;
                    record++;
                    fields = 1;
                }

                if (lineBreak)
                {
                    if (Mismatch(record, fields, ref expected, path) is { } mismatch)
                    {
                        return mismatch;
                    }

                    inRecord = false;
                    state = State.FieldStart;
                    continue;
                }

                state = Next(state, c, out var bad);
                if (bad is not null)
                {
                    return Malformed(bad, bytesBefore + encoding.GetByteCount(block.AsSpan(0, i)), record, path);
                }

                if (state == State.FieldStart)
                {
                    fields++;
                }
            }

            bytesBefore += encoding.GetByteCount(block.AsSpan(0, count));
        }

        if (state == State.Quoted)
        {
            return Malformed("a quoted field that is never closed", Math.Max(bytesBefore, 0), record, path);
        }

        return inRecord ? Mismatch(record, fields, ref expected, path) : null;
    }

    /// <summary>One step of the RFC 4180 field grammar; <paramref name="bad"/> says what is wrong with <paramref name="c"/>, if anything.</summary>
    private static State Next(State state, char c, out string? bad)
    {
        bad = null;
        switch (state)
        {
            case State.FieldStart:
                return c switch { '"' => State.Quoted, ',' => State.FieldStart, _ => State.Unquoted };
            case State.Unquoted:
                if (c == '"')
                {
                    bad = "a quote inside an unquoted field";
                }

                return c == ',' ? State.FieldStart : State.Unquoted;
            case State.Quoted:
                return c == '"' ? State.QuoteInQuoted : State.Quoted;
            default:
                // After a closing quote only a doubled quote (an escaped one) or the end of the field may follow.
                if (c is not ('"' or ','))
                {
                    bad = "text after the closing quote of a quoted field";
                }

                return c == '"' ? State.Quoted : State.FieldStart;
        }
    }

    private static EstimatorDataException? Mismatch(long record, int fields, ref int expected, string path)
    {
        if (expected < 0)
        {
            expected = fields;
            return null;
        }

        return fields == expected
            ? null
            : new EstimatorDataException(
                string.Create(CultureInfo.InvariantCulture, $"cannot be read as CSV: the record has {fields} fields but {expected} were expected."),
                path,
                null,
                record - 1);
    }

    private static EstimatorDataException Malformed(string problem, long byteOffset, long record, string path) =>
        new(
            string.Create(CultureInfo.InvariantCulture, $"cannot be read as CSV: Malformed CSV in the record: {problem} (byte offset {byteOffset})."),
            path,
            null,
            record >= 1 ? record - 1 : null);
}
