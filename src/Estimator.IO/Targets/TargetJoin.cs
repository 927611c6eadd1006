namespace Estimator.IO;

/// <summary>
/// Joins targets that arrive later (a file of id and target) onto analysis data read earlier.
/// </summary>
/// <remarks>
/// A left join by id: every analysis row is kept, in order; a row without a target gets NaN; a target id that occurs
/// twice in the targets file is an error; target ids not in the analysis are counted, not an error. Ids match by their
/// string key (see <see cref="PredictionData"/>), so an int64 id joins with an int32 id or the string <c>"123"</c>.
/// Afterwards use <c>analysis.WithTargets(result.Targets)</c> (or <c>analysis.Set.WithTargets(...)</c>).
/// </remarks>
public static class TargetJoin
{
    /// <inheritdoc cref="LeftJoinAsync"/>
    public static TargetJoinResult LeftJoin(PredictionData analysis, string targetsPath, string idColumn, string yTrueColumn) =>
        LeftJoinAsync(analysis, targetsPath, idColumn, yTrueColumn).GetAwaiter().GetResult();

    /// <summary>Reads a Parquet or CSV targets file and left-joins its targets onto <paramref name="analysis"/> by id.</summary>
    /// <param name="analysis">Analysis data read with an id column mapped.</param>
    /// <param name="targetsPath">The targets file; its extension selects the format.</param>
    /// <param name="idColumn">The id column in the targets file.</param>
    /// <param name="yTrueColumn">The target column in the targets file (0/1, null = missing).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="EstimatorDataException">The analysis has no ids, the targets file is unreadable or holds bad data, or an id repeats.</exception>
    public static async Task<TargetJoinResult> LeftJoinAsync(PredictionData analysis, string targetsPath, string idColumn, string yTrueColumn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var (table, rowOf, unmatched) = await MatchAsync(analysis.Ids, analysis.Source, targetsPath, idColumn, yTrueColumn, cancellationToken).ConfigureAwait(false);
        var labels = ColumnConverter.ToLabels(table.Find(yTrueColumn)!, targetsPath, out _);
        return Result(rowOf, labels, unmatched);
    }

    /// <summary>
    /// Reads a Parquet or CSV targets file of a multiclass model and left-joins its class labels onto
    /// <paramref name="analysis"/> by id; the targets are indices into <see cref="MulticlassPredictionData.Classes"/>.
    /// </summary>
    /// <param name="analysis">Multiclass analysis data read with an id column mapped.</param>
    /// <param name="targetsPath">The targets file; its extension selects the format.</param>
    /// <param name="idColumn">The id column in the targets file.</param>
    /// <param name="yTrueColumn">The target column in the targets file (class labels, null = missing).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="EstimatorDataException">
    /// The analysis has no ids, the targets file is unreadable or holds bad data, an id repeats, or a label is not among the classes.
    /// </exception>
    public static async Task<TargetJoinResult> LeftJoinClassLabelsAsync(MulticlassPredictionData analysis, string targetsPath, string idColumn, string yTrueColumn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var (table, rowOf, unmatched) = await MatchAsync(analysis.Ids, analysis.Source, targetsPath, idColumn, yTrueColumn, cancellationToken).ConfigureAwait(false);
        var labels = MulticlassFileReader.Encode(
            analysis.Classes, ColumnConverter.ToClassLabels(table.Find(yTrueColumn)!, targetsPath, out _), yTrueColumn, targetsPath);
        return Result(rowOf, labels, unmatched);
    }

    /// <summary>
    /// Reads a Parquet or CSV targets file of a regression model and left-joins its actual values onto
    /// <paramref name="analysis"/> by id.
    /// </summary>
    /// <param name="analysis">Regression analysis data read with an id column mapped.</param>
    /// <param name="targetsPath">The targets file; its extension selects the format.</param>
    /// <param name="idColumn">The id column in the targets file.</param>
    /// <param name="yTrueColumn">The target column in the targets file (numbers, null = missing).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="EstimatorDataException">The analysis has no ids, the targets file is unreadable or holds bad data, or an id repeats.</exception>
    public static async Task<TargetJoinResult> LeftJoinValuesAsync(RegressionPredictionData analysis, string targetsPath, string idColumn, string yTrueColumn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var (table, rowOf, unmatched) = await MatchAsync(analysis.Ids, analysis.Source, targetsPath, idColumn, yTrueColumn, cancellationToken).ConfigureAwait(false);
        var values = ColumnConverter.ToValues(table.Find(yTrueColumn)!, targetsPath, out _);
        return Result(rowOf, values, unmatched);
    }

    /// <summary>The row of each id; an id that repeats is the error <paramref name="duplicate"/> makes of it, its first row and this row.</summary>
    private static Dictionary<string, int> RowsById(IReadOnlyList<string> ids, Func<string, int, int, EstimatorDataException> duplicate)
    {
        var rows = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var r = 0; r < ids.Count; r++)
        {
            if (!rows.TryAdd(ids[r], r))
            {
                throw duplicate(ids[r], rows[ids[r]], r);
            }
        }

        return rows;
    }

    /// <summary>Reads the targets file and finds, per analysis row, the targets row with its id (−1 for none).</summary>
    private static async Task<(SourceTable Table, int[] RowOf, long Unmatched)> MatchAsync(
        IReadOnlyList<string>? analysisIds, string analysisSource, string targetsPath, string idColumn, string yTrueColumn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targetsPath);
        ArgumentException.ThrowIfNullOrEmpty(idColumn);
        ArgumentException.ThrowIfNullOrEmpty(yTrueColumn);
        if (analysisIds is null)
        {
            throw new EstimatorDataException($"has no id column mapped, so targets from '{targetsPath}' cannot be joined", analysisSource, idColumn);
        }

        var table = await PredictionFileReader.ReadTableAsync(
            targetsPath,
            [new ColumnRequest(idColumn, true), new ColumnRequest(yTrueColumn, true)],
            cancellationToken).ConfigureAwait(false);
        var ids = ColumnConverter.ToIds(table.Find(idColumn)!, targetsPath);

        var byId = RowsById(ids, (id, first, row) => new EstimatorDataException(
            FormattableString.Invariant($"duplicate id '{id}' (first at row {first})"), targetsPath, idColumn, row));

        // An id twice in the analysis would copy one label onto two rows: refuse it, naming both rows.
        _ = RowsById(analysisIds, (id, first, row) => new EstimatorDataException(
            FormattableString.Invariant($"duplicate id '{id}' (first at row {first}); targets are joined by id, so analysis ids must be unique"), analysisSource, idColumn, row));

        var rowOf = new int[analysisIds.Count];
        var used = new bool[ids.Length];
        for (var i = 0; i < rowOf.Length; i++)
        {
            if (byId.TryGetValue(analysisIds[i], out var r))
            {
                rowOf[i] = r;
                used[r] = true;
            }
            else
            {
                rowOf[i] = -1;
            }
        }

        return (table, rowOf, used.LongCount(static u => !u));
    }

    private static TargetJoinResult Result(int[] rowOf, double[] labels, long unmatched)
    {
        var targets = new double[rowOf.Length];
        long withoutTarget = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            targets[i] = rowOf[i] >= 0 ? labels[rowOf[i]] : double.NaN;
            if (double.IsNaN(targets[i]))
            {
                withoutTarget++;
            }
        }

        return new TargetJoinResult(targets, withoutTarget, unmatched);
    }
}
