namespace Estimator;

/// <summary>
/// Bad input data: names the file, the column and, where it applies, the row, and says what is wrong.
/// </summary>
/// <remarks>
/// Programming errors use the standard argument exceptions; this type is for data a user supplied.
/// <see cref="Exception.Message"/> is a single line fit to print as the command's error.
/// </remarks>
public sealed class EstimatorDataException : Exception
{
    /// <summary>Creates the exception from its parts; <see cref="Exception.Message"/> is composed from them.</summary>
    /// <param name="problem">What is wrong, e.g. "value 1.7 is outside [0, 1]".</param>
    /// <param name="file">The file (or data set name) the data came from, if known.</param>
    /// <param name="column">The column, if the problem is in one column.</param>
    /// <param name="row">The 0-based data row, if the problem is in one row.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public EstimatorDataException(string problem, string? file = null, string? column = null, long? row = null, Exception? innerException = null)
        : base(Compose(problem, file, column, row), innerException)
    {
        Problem = problem;
        File = file;
        Column = column;
        Row = row;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public EstimatorDataException() : this("invalid data") { }

    /// <summary>Creates the exception with a message only.</summary>
    public EstimatorDataException(string message) : this(message, null, null, null) { }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public EstimatorDataException(string message, Exception innerException) : this(message, null, null, null, innerException) { }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>The file the bad data came from, if known.</summary>
    public string? File { get; }

    /// <summary>The column with the bad data, if known.</summary>
    public string? Column { get; }

    /// <summary>The 0-based data row with the bad data, if known.</summary>
    public long? Row { get; }

    /// <summary>What kind of problem it is, for a caller that reacts to one kind (never to the message's text).</summary>
    /// <value>Default: <see cref="DataProblem.Invalid"/>.</value>
    public DataProblem Kind { get; init; } = DataProblem.Invalid;

    /// <summary>Returns a copy that also names the file (used when a reader catches a core validation error).</summary>
    public EstimatorDataException WithFile(string file) => new(Problem, file, Column, Row, this) { Kind = Kind };

    private static string Compose(string problem, string? file, string? column, long? row)
    {
        var where = new List<string>(3);
        if (file is not null)
        {
            where.Add($"file '{file}'");
        }

        if (column is not null)
        {
            where.Add($"column '{column}'");
        }

        if (row is not null)
        {
            where.Add(FormattableString.Invariant($"row {row}"));
        }

        return where.Count == 0 ? problem : $"{string.Join(", ", where)}: {problem}";
    }
}

/// <summary>The kinds of bad input a caller may handle differently; everything else is <see cref="Invalid"/>.</summary>
public enum DataProblem
{
    /// <summary>The data is wrong: report it.</summary>
    Invalid,

    /// <summary>Rows are not in ascending timestamp order where a streamed pass needs them to be; an in-memory pass sorts them.</summary>
    TimestampsOutOfOrder,
}
