namespace Estimator.IO;

/// <summary>Converts results to <see cref="DataFrame"/>s for notebooks.</summary>
public static class CalculatorResultDataFrameExtensions
{
    /// <summary>
    /// The result as a data frame with the estimate file's columns, in the same order and types (see
    /// <see cref="EstimateFileWriter"/>): <c>int</c>/<c>long</c>/<c>bool</c>/<see cref="DateTime"/>/<c>double</c> columns
    /// are <see cref="PrimitiveDataFrameColumn{T}"/>, strings are <see cref="StringDataFrameColumn"/>.
    /// </summary>
    /// <remarks>
    /// <para>Rows of one class (a multiclass result with per-class rows) add the estimate file's <c>class</c> column at the
    /// end, null on macro rows; results without such rows have no <c>class</c> column. A shift-aware result adds the
    /// <c>estimator</c>, <c>effective_sample_size</c> and evidence columns (<c>domain_auc</c>, <c>estimated_prior</c>,
    /// <c>prior_likelihood_ratio</c>, <c>estimator_reason</c>) after them (null on reference rows).</para>
    /// Nullable columns use the data frame's null support: a <c>PrimitiveDataFrameColumn&lt;double&gt;</c> holds null
    /// (not NaN) where the estimate file holds null, so <c>column[i]</c> returns null there and
    /// <see cref="DataFrameColumn.NullCount"/> counts them.
    /// </remarks>
    /// <param name="result">The result.</param>
    public static DataFrame ToDataFrame(this CalculatorResult result) => ToDataFrame(EstimateRecord.FromResult(result));

    /// <summary>Estimate-file records (e.g. from <see cref="EstimateFileReader"/>) as a data frame; see <see cref="ToDataFrame(CalculatorResult)"/>.</summary>
    /// <param name="records">The records.</param>
    public static DataFrame ToDataFrame(this IReadOnlyList<EstimateRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var frame = new DataFrame(
            new PrimitiveDataFrameColumn<int>(EstimateColumns.SchemaVersion, records.Select(r => r.SchemaVersion)),
            new StringDataFrameColumn(EstimateColumns.Model, records.Select(r => r.Model)),
            new StringDataFrameColumn(EstimateColumns.ChunkKey, records.Select(r => r.ChunkKey)),
            new PrimitiveDataFrameColumn<int>(EstimateColumns.ChunkIndex, records.Select(r => r.ChunkIndex)),
            new PrimitiveDataFrameColumn<long>(EstimateColumns.ChunkStartIndex, records.Select(r => r.ChunkStartIndex)),
            new PrimitiveDataFrameColumn<long>(EstimateColumns.ChunkEndIndex, records.Select(r => r.ChunkEndIndex)),
            new PrimitiveDataFrameColumn<DateTime>(EstimateColumns.ChunkStartDate, records.Select(r => r.ChunkStartDate)),
            new PrimitiveDataFrameColumn<DateTime>(EstimateColumns.ChunkEndDate, records.Select(r => r.ChunkEndDate)),
            new StringDataFrameColumn(EstimateColumns.Period, records.Select(r => r.Period)),
            new PrimitiveDataFrameColumn<long>(EstimateColumns.ChunkRows, records.Select(r => r.ChunkRows)),
            new StringDataFrameColumn(EstimateColumns.Metric, records.Select(r => r.Metric)));
        foreach (var (name, value) in EstimateColumns.Band)
        {
            frame.Columns.Add(new PrimitiveDataFrameColumn<double>(name, records.Select(value)));
        }

        frame.Columns.Add(new PrimitiveDataFrameColumn<bool>(EstimateColumns.Alert, records.Select(r => r.Alert)));
        frame.Columns.Add(new PrimitiveDataFrameColumn<double>(EstimateColumns.Realized, records.Select(r => r.Realized)));
        frame.Columns.Add(new PrimitiveDataFrameColumn<double>(EstimateColumns.TargetsMissingRate, records.Select(r => r.TargetsMissingRate)));
        if (records.Any(r => r.Class is not null))
        {
            frame.Columns.Add(new StringDataFrameColumn(EstimateColumns.Class, records.Select(r => r.Class)));
        }

        if (records.Any(r => r.Estimator is not null))
        {
            frame.Columns.Add(new StringDataFrameColumn(EstimateColumns.Estimator, records.Select(r => r.Estimator)));
            frame.Columns.Add(new PrimitiveDataFrameColumn<double>(EstimateColumns.EffectiveSampleSize, records.Select(r => r.EffectiveSampleSize)));
            frame.Columns.Add(new PrimitiveDataFrameColumn<double>(EstimateColumns.DomainAuc, records.Select(r => r.DomainAuc)));
            frame.Columns.Add(new PrimitiveDataFrameColumn<double>(EstimateColumns.EstimatedPrior, records.Select(r => r.EstimatedPrior)));
            frame.Columns.Add(new PrimitiveDataFrameColumn<double>(EstimateColumns.PriorLikelihoodRatio, records.Select(r => r.PriorLikelihoodRatio)));
            frame.Columns.Add(new StringDataFrameColumn(EstimateColumns.EstimatorReason, records.Select(r => r.EstimatorReason)));
        }

        return frame;
    }
}
