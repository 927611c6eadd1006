using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;

namespace Estimator.IO;

/// <summary>
/// Reads requested columns of an RFC 4180 CSV file (comma separated, header row required, quoted fields may hold
/// commas, doubled quotes and line breaks, invariant culture). Cells stay text and are parsed by role later.
/// </summary>
internal static partial class CsvTableReader
{
    /// <summary>Reader options: strict RFC 4180; malformed quoting and ragged rows are errors, not recovered.</summary>
    internal static CsvReaderOptions Options { get; } = CsvReaderOptions.Default with
    {
        Separator = ',',
        HasHeader = true,
        Mode = CsvMode.Rfc4180,
        AllowLineBreaksInQuotes = true,
        SkipEmptyLines = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        FieldCountMismatch = CsvFieldCountHandling.Throw,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    public static SourceTable Read(string path, IReadOnlyList<ColumnRequest> requests, CancellationToken cancellationToken)
    {
        long dataRow = -1;
        try
        {
            if (new FileInfo(path).Length == 0)
            {
                throw new EstimatorDataException("has no rows (the file is empty, not even a header row)", path);
            }

            using var reader = CsvReader.FromFile(path, Options);
            reader.ReadHeader();
            var header = reader.Headers;
            var present = SourceTable.Resolve(requests, [.. header], path);
            var cells = new List<string?>[present.Count];
            var positions = new int[present.Count];
            for (var c = 0; c < present.Count; c++)
            {
                cells[c] = [];
                positions[c] = IndexOf(header, present[c]);
            }

            dataRow = 0;
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.FieldCount != header.Count)
                {
                    throw new EstimatorDataException(
                        FormattableString.Invariant($"has {reader.FieldCount} fields but the header has {header.Count}"),
                        path,
                        null,
                        dataRow);
                }

                for (var c = 0; c < positions.Length; c++)
                {
                    cells[c].Add(reader.GetString(positions[c]));
                }

                dataRow++;
            }

            if (dataRow == 0)
            {
                throw new EstimatorDataException("has no rows (only a header row)", path);
            }

            var columns = new Dictionary<string, RawColumn>(StringComparer.Ordinal);
            for (var c = 0; c < present.Count; c++)
            {
                columns[present[c]] = new StringColumn(present[c], [.. cells[c]], isText: true);
            }

            return new SourceTable(path, checked((int)dataRow), columns);
        }
        catch (CsvFormatException ex)
        {
            // RecordNumber is 1-based and counts the header: data row = RecordNumber - 2.
            long? row = ex.RecordNumber >= 2 ? ex.RecordNumber - 2 : dataRow >= 0 ? dataRow : null;
            // CsvHelper numbers records from 1 with the header; drop its number so only our 0-based data row is shown.
            var problem = RecordNumber().Replace(ParquetTableReader.OneLine(ex.Message), "the record");
            throw new EstimatorDataException($"cannot be read as CSV: {problem}", path, null, row, ex);
        }
        catch (Exception ex) when (ParquetTableReader.IsReadFailure(ex))
        {
            throw new EstimatorDataException(
                $"cannot be read as CSV: {ParquetTableReader.OneLine(ex.Message)}",
                path,
                null,
                dataRow >= 0 ? dataRow : null,
                ex);
        }
    }

    /// <summary>Exact (ordinal) header lookup; the first of duplicate names wins.</summary>
    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    [GeneratedRegex(@"\b[Rr]ecord \d+")]
    private static partial Regex RecordNumber();
}
