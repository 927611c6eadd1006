namespace Estimator.IO;

/// <summary>
/// What prediction data read from a file or data frame holds besides its rows, binary (<see cref="PredictionData"/>)
/// or regression (<see cref="RegressionPredictionData"/>): where it came from, the row ids and how many predictions and
/// targets are missing.
/// </summary>
/// <remarks>
/// Ids are kept as strings so that keys join across files whatever their stored type: an integer id of any width
/// (and an integral floating-point id such as <c>123.0</c>) becomes its invariant decimal form (<c>"123"</c>),
/// a string id is kept verbatim. So an int64 <c>123</c>, an int32 <c>123</c> and the string <c>"123"</c> are the same
/// key, while <c>"0123"</c> is not.
/// </remarks>
public abstract class SourceData
{
    private protected SourceData(string source, IReadOnlyList<string>? ids, int count, string countIs, long rowsMissingPrediction, long rowsMissingTarget)
    {
        ArgumentNullException.ThrowIfNull(source);
        ColumnLength.Matches(ids?.Count, count, nameof(ids), countIs);
        (Source, Ids, RowsMissingPrediction, RowsMissingTarget) = (source, ids, rowsMissingPrediction, rowsMissingTarget);
    }

    /// <summary>The file path (or data frame name) the data came from; used in error messages.</summary>
    public string Source { get; }

    /// <summary>Row ids as join keys (see remarks); null when no id column was mapped.</summary>
    public IReadOnlyList<string>? Ids { get; }

    /// <summary>Number of rows.</summary>
    public abstract int Count { get; }

    /// <summary>Rows whose prediction (predicted label or value) is missing; 0 when there are no predicted labels.</summary>
    public long RowsMissingPrediction { get; }

    /// <summary>Rows whose target is missing; 0 when there are no targets.</summary>
    public long RowsMissingTarget { get; }
}
