using System.Threading.Channels;
using Estimator.Numerics;

namespace Estimator.IO;

/// <summary>
/// The streamed estimate's fast path for Parquet files whose needed columns are plain DOUBLE or INT64 (required or
/// nullable) and that map no timestamp: each row group is decoded straight into one of two reused batches (no
/// per-group or per-row allocation), converted and validated in the same pass as <see cref="ColumnConverter"/> would
/// (same errors, same rows), and handed to the estimate while the next group is read (one group of read-ahead).
/// </summary>
internal sealed class LeanParquetStream
{
    /// <summary>Batches in flight: one being estimated, one being read.</summary>
    private const int Batches = 2;

    private readonly string _path;
    private readonly LeanColumn _scores;
    private readonly LeanColumn? _predictions;
    private readonly LeanColumn? _targets;
    private readonly int _largestGroup;

    private LeanParquetStream(string path, LeanColumn scores, LeanColumn? predictions, LeanColumn? targets, int largestGroup)
    {
        _path = path;
        _scores = scores;
        _predictions = predictions;
        _targets = targets;
        _largestGroup = largestGroup;
    }

    /// <summary>The plan for <paramref name="reader"/>'s file, or null when a column needs the generic conversion.</summary>
    public static LeanParquetStream? TryCreate(ParquetReader reader, ColumnMapping mapping, IReadOnlyList<ColumnRequest> requests, string path)
    {
        var (present, fields) = ParquetTableReader.ResolveFields(reader, requests, path);
        if (mapping.Timestamp is { } ts && present.Contains(ts))
        {
            return null;
        }

        var names = new[] { mapping.YPredProba, mapping.YPred, mapping.YTrue }.Where(n => n is not null && present.Contains(n)).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            return null;
        }

        LeanColumn? Column(string? name, bool isScore)
        {
            if (name is null || !present.Contains(name))
            {
                return null;
            }

            var field = fields[name];
            return field.ClrType == typeof(double) || field.ClrType == typeof(long) ? new LeanColumn(field, isScore) : null;
        }

        var scores = Column(mapping.YPredProba, isScore: true);
        var predictions = Column(mapping.YPred, isScore: false);
        var targets = Column(mapping.YTrue, isScore: false);
        if (scores is null
            || (predictions is null && mapping.YPred is not null && present.Contains(mapping.YPred))
            || (targets is null && mapping.YTrue is not null && present.Contains(mapping.YTrue)))
        {
            return null;
        }

        long largest = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            largest = Math.Max(largest, rg.RowCount);
        }

        return largest > Array.MaxLength ? null : new LeanParquetStream(path, scores, predictions, targets, (int)largest);
    }

    /// <summary>Reads every row group of <paramref name="reader"/> into <paramref name="stream"/>.</summary>
    public async Task RunAsync(ParquetReader reader, StreamingEstimate stream, long total, IProgress<StreamProgress>? progress, CancellationToken cancellationToken)
    {
        var free = Channel.CreateUnbounded<Batch>();
        var full = Channel.CreateUnbounded<Batch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        for (var b = 0; b < Batches; b++)
        {
            free.Writer.TryWrite(new Batch(_largestGroup, _predictions is not null, _targets is not null));
        }

        await ReadAheadPipeline.RunAsync(
            full,
            async token =>
            {
                var scratch = new Scratch();
                long firstRow = 0;
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    var batch = await free.Reader.ReadAsync(token).ConfigureAwait(false);
                    using (var rg = reader.OpenRowGroupReader(g))
                    {
                        batch.Count = checked((int)rg.RowCount);
                        batch.FirstRow = firstRow;
                        batch.MissingScore = await ReadAsync(rg, _scores, batch.Scores, batch.Count, firstRow, scratch, token).ConfigureAwait(false);
                        batch.MissingPrediction = _predictions is null ? 0 : await ReadAsync(rg, _predictions, batch.Predictions!, batch.Count, firstRow, scratch, token).ConfigureAwait(false);
                        if (_targets is not null)
                        {
                            _ = await ReadAsync(rg, _targets, batch.Targets!, batch.Count, firstRow, scratch, token).ConfigureAwait(false);
                        }
                    }

                    firstRow += batch.Count;
                    await full.Writer.WriteAsync(batch, token).ConfigureAwait(false);
                }
            },
            batch =>
            {
                try
                {
                    stream.AppendValidated(batch.Scores, batch.Predictions, batch.Targets, batch.Count, batch.MissingScore, batch.MissingPrediction);
                }
                catch (EstimatorDataException e) when (e.File is null)
                {
                    throw e.WithFile(_path);
                }

                free.Writer.TryWrite(batch);
                progress?.Report(new StreamProgress(stream.RowsRead, total, stream.ChunksEstimated, stream.TotalChunks));
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Decodes one column of a row group into <paramref name="destination"/>, converted and checked; returns the missing (NaN) count.</summary>
    private async Task<long> ReadAsync(ParquetRowGroupReader rg, LeanColumn column, double[] destination, int n, long firstRow, Scratch scratch, CancellationToken cancellationToken)
    {
        var field = column.Field;
        try
        {
            if (field.ClrType == typeof(double))
            {
                if (field.IsNullable)
                {
                    var raw = scratch.NullableDoubles(n);
                    await rg.ReadAsync<double>(field, raw.AsMemory(0, n), null, cancellationToken).ConfigureAwait(false);
                    return column.ConvertNullable(raw, destination, n, _path, firstRow);
                }

                await rg.ReadAsync<double>(field, destination.AsMemory(0, n), null, cancellationToken).ConfigureAwait(false);
                return column.Check(destination, n, _path, firstRow);
            }

            if (field.IsNullable)
            {
                var raw = scratch.NullableLongs(n);
                await rg.ReadAsync<long>(field, raw.AsMemory(0, n), null, cancellationToken).ConfigureAwait(false);
                return column.ConvertNullable(raw, destination, n, _path, firstRow);
            }
            else
            {
                var raw = scratch.Longs(n);
                await rg.ReadAsync<long>(field, raw.AsMemory(0, n), null, cancellationToken).ConfigureAwait(false);
                return column.Convert(raw, destination, n, _path, firstRow);
            }
        }
        catch (Exception ex) when (ParquetTableReader.IsReadFailure(ex))
        {
            throw ParquetTableReader.ReadFailure(ex, _path, field.Name);
        }
    }

    /// <summary>One row group's converted columns, reused from group to group.</summary>
    private sealed class Batch(int capacity, bool predictions, bool targets)
    {
        public double[] Scores { get; } = new double[capacity];

        public double[]? Predictions { get; } = predictions ? new double[capacity] : null;

        public double[]? Targets { get; } = targets ? new double[capacity] : null;

        public int Count { get; set; }

        public long FirstRow { get; set; }

        public long MissingScore { get; set; }

        public long MissingPrediction { get; set; }
    }

    /// <summary>The producer's raw decode buffers, grown on demand and reused.</summary>
    private sealed class Scratch
    {
        private long[] _longs = [];
        private long?[] _nullableLongs = [];
        private double?[] _nullableDoubles = [];

        public long[] Longs(int n) => _longs.Length >= n ? _longs : _longs = new long[n];

        public long?[] NullableLongs(int n) => _nullableLongs.Length >= n ? _nullableLongs : _nullableLongs = new long?[n];

        public double?[] NullableDoubles(int n) => _nullableDoubles.Length >= n ? _nullableDoubles : _nullableDoubles = new double?[n];
    }

    /// <summary>A column in its role: scores (NaN or [0, 1]) or labels (NaN, 0 or 1), checked as <see cref="ColumnConverter"/> does.</summary>
    private sealed class LeanColumn(DataField field, bool isScore)
    {
        public DataField Field { get; } = field;

        /// <summary>Checks values already in place (a required DOUBLE column).</summary>
        public long Check(double[] values, int n, string path, long firstRow)
        {
            var r = SpanScan.CountMissingAndCheck(values.AsSpan(0, n), isScore, out var missing);
            return r < 0 ? missing : throw Invalid(values[r], path, firstRow + r);
        }

        public long Convert(long[] raw, double[] destination, int n, string path, long firstRow)
        {
            // An integer is a valid score or label exactly when it is 0 or 1.
            var r = SpanScan.ConvertZeroOne(raw.AsSpan(0, n), destination);
            return r < 0 ? 0 : throw Invalid(raw[r], path, firstRow + r);
        }

        public long ConvertNullable(long?[] raw, double[] destination, int n, string path, long firstRow)
        {
            long missing = 0;
            for (var r = 0; r < n; r++)
            {
                if (raw[r] is long value)
                {
                    double v = value;
                    if (!Valid(v))
                    {
                        throw Invalid(v, path, firstRow + r);
                    }

                    destination[r] = v;
                }
                else
                {
                    destination[r] = double.NaN;
                    missing++;
                }
            }

            return missing;
        }

        public long ConvertNullable(double?[] raw, double[] destination, int n, string path, long firstRow)
        {
            long missing = 0;
            for (var r = 0; r < n; r++)
            {
                var v = raw[r] ?? double.NaN;
                if (double.IsNaN(v))
                {
                    missing++;
                }
                else if (!Valid(v))
                {
                    throw Invalid(v, path, firstRow + r);
                }

                destination[r] = v;
            }

            return missing;
        }

        private bool Valid(double v) => isScore ? v >= 0.0 && v <= 1.0 : v == 0.0 || v == 1.0;

        private EstimatorDataException Invalid(double v, string path, long row) => new(
            isScore
                ? string.Create(CultureInfo.InvariantCulture, $"score {v:R} is outside [0, 1]")
                : string.Create(CultureInfo.InvariantCulture, $"value {v:R} is not a label (expected 0 or 1)"),
            path,
            Field.Name,
            row);
    }
}
