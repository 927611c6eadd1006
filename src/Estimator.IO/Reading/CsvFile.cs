using nietras.SeparatedValues;

namespace Estimator.IO;

/// <summary>
/// An RFC 4180 CSV file opened for reading with Sep: comma separated, the first non-empty line is the header, quoted
/// fields may hold commas, doubled quotes and line breaks, empty lines are skipped, and every record must have the
/// header's number of fields. Malformed quoting and ragged records are errors naming the 0-based data row.
/// </summary>
/// <remarks>
/// Sep splits rows leniently (any pair of quotes quotes); <see cref="Accept"/> checks each row it returns, cheaply when
/// the row holds no quote, and on a problem <see cref="CsvProblem"/> re-reads the file strictly to name it exactly.
/// </remarks>
internal sealed class CsvFile : IDisposable
{
    private readonly SepReader _reader;

    private CsvFile(string path, SepReader reader, string[] header)
    {
        Path = path;
        _reader = reader;
        Header = header;
    }

    /// <summary>The file, as given.</summary>
    public string Path { get; }

    /// <summary>The column names, unquoted; empty when the file has no non-empty line.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The data rows (empty lines included: <see cref="Accept"/> says which to take).</summary>
    public SepReader Rows => _reader;

    /// <summary>Opens <paramref name="path"/> and reads its header row.</summary>
    /// <exception cref="EstimatorDataException">The header row is malformed or the file is not text.</exception>
    public static CsvFile Open(string path)
    {
        var reader = Sep.New(',').Reader(o => o with
        {
            HasHeader = false,
            Unescape = true,
            DisableColCountCheck = true,
            CultureInfo = CultureInfo.InvariantCulture,
        }).FromFile(path);
        try
        {
            string[] header = [];
            while (reader.MoveNext())
            {
                var row = reader.Current;
                if (row.Span.IsEmpty)
                {
                    continue;
                }

                CheckText(row.Span, path);
                if (row.Span.Contains('"') && !CsvProblem.IsWellFormed(row.Span))
                {
                    throw CsvProblem.Find(path) ?? Malformed(path, null);
                }

                header = new string[row.ColCount];
                for (var c = 0; c < header.Length; c++)
                {
                    header[c] = row[c].ToString();
                }

                break;
            }

            return new CsvFile(path, reader, header);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether <paramref name="row"/> is a record to take (false for an empty line); throws the located error when it is
    /// malformed or has the wrong number of fields. Call it before reading any field: fields are unquoted in place.
    /// </summary>
    /// <param name="row">The row Sep returned.</param>
    /// <param name="dataRow">The 0-based index the record will have, for the fallback error.</param>
    public bool Accept(SepReader.Row row, long dataRow)
    {
        var span = row.Span;
        if (span.IsEmpty)
        {
            return false;
        }

        if ((span.Contains('"') && !CsvProblem.IsWellFormed(span)) || row.ColCount != Header.Count)
        {
            throw CsvProblem.Find(Path) ?? Malformed(Path, dataRow);
        }

        return true;
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>
    /// Rejects a file whose first line is not text (a Parquet file or other binary named .csv) before its bytes can be
    /// shown as column names.
    /// </summary>
    private static void CheckText(ReadOnlySpan<char> line, string path)
    {
        if (line.StartsWith("PAR1", StringComparison.Ordinal))
        {
            throw new EstimatorDataException("is not a CSV text file: it starts like a Parquet file (name it .parquet or .parq)", path);
        }

        foreach (var c in line)
        {
            if (c < ' ' && c is not ('\t' or '\r' or '\n'))
            {
                throw new EstimatorDataException(
                    string.Create(CultureInfo.InvariantCulture, $"is not a CSV text file: its first line holds binary data (control character 0x{(int)c:X2}); expected comma-separated text with a header row"),
                    path);
            }
        }
    }

    private static EstimatorDataException Malformed(string path, long? dataRow) =>
        new("cannot be read as CSV: a record is malformed", path, null, dataRow);
}
