using System.Buffers;
using System.Text;

namespace Estimator.IO;

/// <summary>
/// Writes RFC 4180 records as the long-format files document them: comma separated, CRLF after each record, UTF-8
/// without a byte order mark, invariant culture, <c>true</c>/<c>false</c>. A field holding a comma, a quote or a line
/// break is quoted with its quotes doubled; a record of one empty field is written <c>""</c> so it is not an empty line.
/// </summary>
internal sealed class CsvRecordWriter : IDisposable
{
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    private readonly StreamWriter _writer;
    private int _fields;
    private bool _pendingEmpty;

    /// <summary>Writes to <paramref name="stream"/>, which is left open.</summary>
    public CsvRecordWriter(Stream stream) =>
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16, leaveOpen: true);

    public void WriteField(string? value)
    {
        Separate();
        var text = value ?? "";
        _pendingEmpty = text.Length == 0;
        if (text.AsSpan().IndexOfAny(NeedsQuotes) < 0)
        {
            _writer.Write(text);
            return;
        }

        _writer.Write('"');
        _writer.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
        _writer.Write('"');
    }

    public void WriteField(long value) => WriteField(value.ToString(CultureInfo.InvariantCulture));

    public void WriteField(bool value) => WriteField(value ? "true" : "false");

    /// <summary>Ends the current record.</summary>
    public void EndRecord()
    {
        if (_fields == 1 && _pendingEmpty)
        {
            _writer.Write("\"\"");
        }

        _writer.Write("\r\n");
        _fields = 0;
        _pendingEmpty = false;
    }

    public Task FlushAsync(CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken);

    public void Dispose() => _writer.Dispose();

    private void Separate()
    {
        if (_fields++ > 0)
        {
            _writer.Write(',');
        }
    }
}
