namespace Estimator.IO;

/// <summary>
/// Reads requested columns of an RFC 4180 CSV file (see <see cref="CsvFile"/>; invariant culture). A column requested
/// as numbers is parsed while it is read (<see cref="TextNumberColumn"/>, no string per cell); other columns stay text
/// and are parsed by role later (<see cref="StringColumn"/>).
/// </summary>
internal static class CsvTableReader
{
    /// <summary>Rows whose length estimates the file's row count.</summary>
    private const int SampleRows = 1024;

    private const int MaxReservedRows = 16 << 20;

    public static SourceTable Read(string path, IReadOnlyList<ColumnRequest> requests, CancellationToken cancellationToken)
    {
        long dataRow = -1;
        try
        {
            var fileLength = new FileInfo(path).Length;
            if (fileLength == 0)
            {
                throw new EstimatorDataException("has no rows (the file is empty, not even a header row)", path);
            }

            using var csv = CsvFile.Open(path);
            if (csv.Header.Count == 0)
            {
                throw new EstimatorDataException("has no rows (the file holds only empty lines, not even a header row)", path);
            }

            var present = SourceTable.Resolve(requests, [.. csv.Header], path);
            var cells = new CsvCells[present.Count];
            var positions = new int[present.Count];
            for (var c = 0; c < present.Count; c++)
            {
                positions[c] = PositionOf(csv.Header, present[c], path);
                cells[c] = IsNumeric(requests, present[c]) ? new NumberCells(present[c]) : new TextCells(present[c]);
            }

            dataRow = 0;
            long sampledChars = 0;
            foreach (var row in csv.Rows)
            {
                if (!csv.Accept(row, dataRow))
                {
                    continue;
                }

                if (dataRow < SampleRows)
                {
                    sampledChars += row.Span.Length + 1;
                    if (dataRow == SampleRows - 1)
                    {
                        Reserve(cells, fileLength, sampledChars);
                    }
                }

                for (var c = 0; c < positions.Length; c++)
                {
                    cells[c].Add(row[positions[c]].Span);
                }

                if ((++dataRow & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            if (dataRow == 0)
            {
                throw new EstimatorDataException("has no rows (only a header row)", path);
            }

            var columns = new Dictionary<string, RawColumn>(StringComparer.Ordinal);
            foreach (var column in cells)
            {
                columns[column.Name] = column.Build();
            }

            return new SourceTable(path, checked((int)dataRow), columns);
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

    /// <summary>
    /// Sizes the columns once from the file's length and the first rows' length, instead of growing them by doubling:
    /// on a 1e6-row file the doubling allocated each column about three times over on the large-object heap, which
    /// cost several full garbage collections. The reservation is capped (16 M rows) in case the first rows are much
    /// shorter than the rest; past it the columns grow as before.
    /// </summary>
    private static void Reserve(CsvCells[] cells, long fileLength, long sampledChars)
    {
        var estimate = (double)fileLength / sampledChars * SampleRows;
        var capacity = (int)Math.Min(MaxReservedRows, (estimate * 1.02) + 1024);
        foreach (var column in cells)
        {
            column.Reserve(capacity);
        }
    }

    /// <summary>Numbers only when every request for the column wants numbers (a column read in two roles stays text).</summary>
    private static bool IsNumeric(IReadOnlyList<ColumnRequest> requests, string name)
    {
        foreach (var request in requests)
        {
            if (string.Equals(request.Name, name, StringComparison.Ordinal) && !request.Numeric)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The column's position; a name the header holds twice is an error, since either column could be meant.</summary>
    private static int PositionOf(IReadOnlyList<string> header, string name, string path)
    {
        var position = -1;
        var count = 0;
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i], name, StringComparison.Ordinal))
            {
                position = position < 0 ? i : position;
                count++;
            }
        }

        if (count > 1)
        {
            throw new EstimatorDataException(
                FormattableString.Invariant($"appears {count} times in the header row; column names must be unique"),
                path,
                name);
        }

        return position;
    }
}
