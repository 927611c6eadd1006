namespace Estimator.IO;

/// <summary>Converts a raw column to typed values, counting the missing ones.</summary>
internal delegate T[] ColumnConversion<T>(RawColumn column, string source, out long missing);

/// <summary>
/// A request for one column of a source: its name, whether its absence is an error, and whether the caller reads it as
/// numbers (scores, 0/1 labels, regression values), which lets a text reader parse the cells as it reads them.
/// </summary>
internal readonly record struct ColumnRequest(string Name, bool Required, bool Numeric = false);

/// <summary>The requested columns of one source (file or data frame); absent optional columns are missing from <see cref="Columns"/>.</summary>
internal sealed class SourceTable(string source, int rowCount, Dictionary<string, RawColumn> columns)
{
    public string Source { get; } = source;

    public int RowCount { get; } = rowCount;

    public Dictionary<string, RawColumn> Columns { get; } = columns;

    public RawColumn? Find(string? name) => name is not null && Columns.TryGetValue(name, out var c) ? c : null;

    /// <summary>The mapping's timestamp column as UTC timestamps, or null when it has none.</summary>
    public DateTime[]? Timestamps(ColumnMapping mapping) => Find(mapping.Timestamp) is { } ts ? ColumnConverter.ToTimestamps(ts, Source) : null;

    /// <summary>The mapping's id column as join keys, or null when it has none.</summary>
    public string[]? Ids(ColumnMapping mapping) => Find(mapping.Id) is { } id ? ColumnConverter.ToIds(id, Source) : null;

    /// <summary>An optional column converted by <paramref name="convert"/>, or null (and no missing rows) when it is absent.</summary>
    public T[]? Optional<T>(string? name, ColumnConversion<T> convert, out long missing)
    {
        missing = 0;
        return Find(name) is { } column ? convert(column, Source, out missing) : null;
    }

    /// <summary>Checks the requests against the available column names; returns the names that are present.</summary>
    public static List<string> Resolve(IReadOnlyList<ColumnRequest> requests, IReadOnlyCollection<string> available, string source)
    {
        var present = new List<string>(requests.Count);
        foreach (var request in requests)
        {
            if (available.Contains(request.Name))
            {
                if (!present.Contains(request.Name))
                {
                    present.Add(request.Name);
                }
            }
            else if (request.Required)
            {
                throw new EstimatorDataException(
                    $"column not found; available columns: {string.Join(", ", available)}",
                    source,
                    request.Name);
            }
        }

        return present;
    }
}
