namespace Estimator.IO;

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
