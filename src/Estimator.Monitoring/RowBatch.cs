using Estimator.IO;
using Parquet;
using Parquet.Schema;

namespace Estimator.Monitoring;

/// <summary>
/// Analysis rows of a model's stream held by the store: id, timestamp, score and prediction, column by column. The
/// store keeps each chunk's rows so an open chunk can be completed later, late rows merged, and labels joined.
/// </summary>
internal sealed class RowBatch
{
    private static readonly DataField<string> IdField = new("id", true);
    private static readonly DateTimeDataField TimestampField = new("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true);
    private static readonly DataField<double?> ScoreField = new("y_pred_proba", true);
    private static readonly DataField<double?> PredictionField = new("y_pred", true);
    private static readonly ParquetSchema Schema = new(IdField, TimestampField, ScoreField, PredictionField);

    // Ids and timestamps are (nearly) unique: a sample of 1,000 values shows it, so the writer skips the full distinct
    // count that dictionary encoding would otherwise take over every value (the columns come out the same).
    private static readonly ParquetOptions WriteOptions = new() { CompressionMethod = CompressionMethod.Snappy, DictionaryEncodingSampleSize = 1000 };

    public RowBatch(string?[]? ids, DateTime[]? timestamps, double[] scores, double[]? predictions)
    {
        Ids = ids;
        Timestamps = timestamps;
        Scores = scores;
        Predictions = predictions;
    }

    public string?[]? Ids { get; }

    public DateTime[]? Timestamps { get; }

    public double[] Scores { get; }

    public double[]? Predictions { get; }

    public int Count => Scores.Length;

    public static RowBatch Empty(bool ids, bool timestamps, bool predictions) =>
        new(ids ? [] : null, timestamps ? [] : null, [], predictions ? [] : null);

    public static RowBatch FromPredictionData(PredictionData data) =>
        new(data.Ids?.ToArray(), data.Set.Timestamps, data.Set.Scores, data.Set.Predictions);

    public PredictionSet ToPredictionSet() => new(Scores, Predictions, null, Timestamps);

    /// <summary>Concatenates batches; a column present in one batch but not another is an error.</summary>
    public static RowBatch Concat(IReadOnlyList<RowBatch> batches, string model)
    {
        if (batches.Count == 1)
        {
            return batches[0];
        }

        var n = 0;
        foreach (var b in batches)
        {
            n += b.Count;
        }

        var first = batches[0];
        var ids = first.Ids is null ? null : new string?[n];
        var timestamps = first.Timestamps is null ? null : new DateTime[n];
        var scores = new double[n];
        var predictions = first.Predictions is null ? null : new double[n];
        var at = 0;
        foreach (var b in batches)
        {
            if ((b.Ids is null) != (ids is null) || (b.Timestamps is null) != (timestamps is null) || (b.Predictions is null) != (predictions is null))
            {
                throw new EstimatorDataException($"model '{model}': analysis files disagree on which columns (id, timestamp, prediction) they carry");
            }

            b.Scores.CopyTo(scores, at);
            b.Ids?.CopyTo(ids!, at);
            b.Timestamps?.CopyTo(timestamps!, at);
            b.Predictions?.CopyTo(predictions!, at);
            at += b.Count;
        }

        return new RowBatch(ids, timestamps, scores, predictions);
    }

    /// <summary>Rows [start, start + length).</summary>
    public RowBatch Slice(int start, int length) => new(
        Ids?.AsSpan(start, length).ToArray(),
        Timestamps?.AsSpan(start, length).ToArray(),
        Scores.AsSpan(start, length).ToArray(),
        Predictions?.AsSpan(start, length).ToArray());

    /// <summary>Rows in timestamp order; equal timestamps keep their arrival order (a stable sort, as the core's).</summary>
    public RowBatch SortedByTimestamp()
    {
        if (Timestamps is null)
        {
            return this;
        }

        var sorted = true;
        for (var i = 1; i < Count && sorted; i++)
        {
            sorted = Timestamps[i - 1] <= Timestamps[i];
        }

        if (sorted)
        {
            return this;
        }

        var order = new int[Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var ts = Timestamps;
        Array.Sort(order, (a, b) => ts[a] != ts[b] ? ts[a].CompareTo(ts[b]) : a.CompareTo(b));
        return Permute(order);
    }

    /// <summary>The rows at the given positions, in that order.</summary>
    public RowBatch Permute(int[] order)
    {
        var ids = Ids is null ? null : new string?[order.Length];
        var timestamps = Timestamps is null ? null : new DateTime[order.Length];
        var scores = new double[order.Length];
        var predictions = Predictions is null ? null : new double[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var j = order[i];
            scores[i] = Scores[j];
            if (ids is not null)
            {
                ids[i] = Ids![j];
            }

            if (timestamps is not null)
            {
                timestamps[i] = Timestamps![j];
            }

            if (predictions is not null)
            {
                predictions[i] = Predictions![j];
            }
        }

        return new RowBatch(ids, timestamps, scores, predictions);
    }

    /// <summary>Writes the rows to a Parquet file atomically (temporary name, then rename).</summary>
    public void Write(string path) => AtomicFile.Write(path, stream => WriteAsync(stream).GetAwaiter().GetResult());

    /// <summary>Reads rows written by <see cref="Write"/>; the flags say which optional columns the stream carries.</summary>
    public static RowBatch Read(string path, bool ids, bool timestamps, bool predictions) =>
        ReadAsync(path, ids, timestamps, predictions).GetAwaiter().GetResult();

    private async Task WriteAsync(Stream stream)
    {
        var writer = await ParquetWriter.CreateAsync(Schema, stream, WriteOptions).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(IdField, Ids ?? new string?[Count]).ConfigureAwait(false);
            var ts = new DateTime?[Count];
            for (var i = 0; Timestamps is not null && i < Count; i++)
            {
                ts[i] = Timestamps[i];
            }

            await group.WriteAsync<DateTime>(TimestampField, ts).ConfigureAwait(false);
            await group.WriteAsync<double>(ScoreField, Nullable(Scores)).ConfigureAwait(false);
            await group.WriteAsync<double>(PredictionField, Nullable(Predictions ?? new double[Count])).ConfigureAwait(false);
        }
    }

    private static double?[] Nullable(double[] values)
    {
        var result = new double?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = double.IsNaN(values[i]) ? null : values[i];
        }

        return result;
    }

    private static async Task<RowBatch> ReadAsync(string path, bool ids, bool timestamps, bool predictions)
    {
        try
        {
            var idList = new List<string?>();
            var tsList = new List<DateTime>();
            var scoreList = new List<double>();
            var predictionList = new List<double>();
            await ParquetInput.ReadRowGroupsAsync(path, async (rowGroup, fields, n) =>
            {
                var idValues = await ParquetInput.ReadStringsAsync(rowGroup, fields[0], n).ConfigureAwait(false);
                var tsValues = await ParquetInput.ReadNullableAsync<DateTime>(rowGroup, fields[1], n).ConfigureAwait(false);
                var scoreValues = await ParquetInput.ReadNullableAsync<double>(rowGroup, fields[2], n).ConfigureAwait(false);
                var predictionValues = await ParquetInput.ReadNullableAsync<double>(rowGroup, fields[3], n).ConfigureAwait(false);
                for (var i = 0; i < n; i++)
                {
                    idList.Add(idValues[i]);
                    tsList.Add(tsValues[i] is DateTime t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : default);
                    scoreList.Add(scoreValues[i] ?? double.NaN);
                    predictionList.Add(predictionValues[i] ?? double.NaN);
                }
            }).ConfigureAwait(false);

            return new RowBatch(
                ids ? [.. idList] : null,
                timestamps ? [.. tsList] : null,
                [.. scoreList],
                predictions ? [.. predictionList] : null);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            throw new EstimatorDataException($"the store's row file is unreadable: {e.Message}", path, innerException: e);
        }
    }
}
