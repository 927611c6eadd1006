namespace Estimator.Estimation;

/// <summary>
/// Estimates an analysis set that arrives in batches (e.g. Parquet row groups) in bounded memory: rows are buffered
/// only until their chunk is complete, then the complete chunks are estimated (in parallel) and dropped. Gives the
/// same result as <see cref="FittedCbpe.Estimate(PredictionSet, string)"/> on the concatenated rows, bit for bit,
/// when the rows arrive in chunking order.
/// </summary>
/// <remarks>
/// <para>Size-based rules (<see cref="Chunking.BySize"/>, <see cref="Chunking.ByNumber"/>, the default) need the total
/// row count up front, which a Parquet footer gives. Rows with timestamps must arrive in ascending timestamp order
/// (the in-memory estimate sorts by timestamp before chunking; period chunking needs the order anyway): an out-of-order timestamp is an <see cref="EstimatorDataException"/> naming the row (sort the file, or use the
/// in-memory <see cref="FittedCbpe.Estimate(PredictionSet, string)"/>, which sorts).</para>
/// <para>Memory: the largest batch plus one chunk of rows, plus the result rows. Not thread-safe: call
/// <see cref="Append"/> from one thread at a time.</para>
/// </remarks>
public sealed class StreamingEstimate
{
    private readonly FittedCbpe _fitted;
    private readonly ComputeOptions _compute;
    private readonly long _totalRows;
    private readonly IReadOnlyList<Chunk>? _sizeChunks;
    private readonly bool _byPeriod;
    private readonly List<(Metric Metric, int Component, string Name)> _specs;
    private readonly bool _needsPredictions;
    private readonly List<ChunkEstimate> _rows = [];
    private double[] _scores = [];
    private double[] _predictions = [];
    private double[] _targets = [];
    private DateTime[] _timestamps = [];
    private int _buffered;
    private long _bufferStart;
    private int _nextChunk;
    private bool? _hasTargets;
    private bool _hasPredictions;
    private bool _hasTimestamps;
    private DateTime _lastTimestamp = DateTime.MinValue;
    private long _missingScore;
    private long _missingPrediction;
    private bool _completed;

    internal StreamingEstimate(FittedCbpe fitted, long totalRows, ComputeOptions compute)
    {
        _fitted = fitted;
        _compute = compute;
        _totalRows = totalRows;
        _needsPredictions = fitted.Options.Metrics.Any(m => m.RequiresPredictions());
        _specs = fitted.Specs();
        if (fitted.Options.Chunking is PeriodChunking)
        {
            _byPeriod = true;
        }
        else
        {
            if (totalRows <= 0 || totalRows > Array.MaxLength)
            {
                throw new EstimatorDataException(string.Create(CultureInfo.InvariantCulture, $"the analysis data has {totalRows} rows; streaming needs 1 to {Array.MaxLength} rows"));
            }

            _sizeChunks = Chunker.Split((int)totalRows, default, fitted.Options.Chunking);
        }
    }

    /// <summary>Rows appended so far.</summary>
    public long RowsRead { get; private set; }

    /// <summary>Chunks estimated so far.</summary>
    public int ChunksEstimated { get; private set; }

    /// <summary>The number of chunks the data will give; null for period chunking (not known before the end).</summary>
    public int? TotalChunks => _sizeChunks?.Count;

    /// <summary>The total row count given at the start (0 when not given, period chunking).</summary>
    public long TotalRows => _totalRows;

    /// <summary>Appends the next rows, in order; estimates every chunk they complete.</summary>
    /// <param name="batch">The rows; every batch must carry the same columns.</param>
    /// <exception cref="EstimatorDataException">Values out of range, a missing needed column, more rows than announced, or (period chunking) a timestamp earlier than the previous row's.</exception>
    public void Append(PredictionSet batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_completed)
        {
            throw new InvalidOperationException("The estimate is complete.");
        }

        if (batch.Count == 0)
        {
            return;
        }

        var (missingScore, missingPrediction) = InputValidation.Validate(batch, "analysis", requireTargets: false, requirePredictions: _needsPredictions, rowOffset: RowsRead);

        AppendCore(batch.Scores, batch.Predictions, batch.Targets, batch.Timestamps, batch.Count, missingScore, missingPrediction);
    }

    /// <summary>
    /// Appends the first <paramref name="count"/> rows of already validated columns (scores NaN or in [0, 1], labels
    /// NaN, 0 or 1), e.g. converted and checked while reading a file; the arrays may be longer and are not kept.
    /// </summary>
    /// <param name="scores">The scores.</param>
    /// <param name="predictions">The predicted labels, or null.</param>
    /// <param name="targets">The targets, or null.</param>
    /// <param name="count">Rows to take from each array.</param>
    /// <param name="missingScore">NaN scores among those rows.</param>
    /// <param name="missingPrediction">NaN predictions among those rows.</param>
    internal void AppendValidated(double[] scores, double[]? predictions, double[]? targets, int count, long missingScore, long missingPrediction)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (_completed)
        {
            throw new InvalidOperationException("The estimate is complete.");
        }

        if (count == 0)
        {
            return;
        }

        if (_needsPredictions && predictions is null)
        {
            throw new EstimatorDataException("the requested metrics need predicted labels (y_pred), and the analysis data has none");
        }

        AppendCore(scores, predictions, targets, null, count, missingScore, missingPrediction);
    }

    private void AppendCore(double[] scores, double[]? predictions, double[]? targets, DateTime[]? timestamps, int count, long missingScore, long missingPrediction)
    {
        if (_hasTargets is null)
        {
            _hasTargets = targets is not null;
            _hasPredictions = predictions is not null;
            _hasTimestamps = timestamps is not null;
        }
        else if (_hasTargets != targets is not null || _hasPredictions != predictions is not null || _hasTimestamps != timestamps is not null)
        {
            throw new ArgumentException("Every batch must carry the same columns.");
        }

        if (_sizeChunks is not null && RowsRead + count > _totalRows)
        {
            throw new EstimatorDataException(string.Create(CultureInfo.InvariantCulture, $"the analysis data has more rows than the {_totalRows} announced"));
        }

        if (_byPeriod && timestamps is null)
        {
            throw new EstimatorDataException("period chunking needs a timestamp column, and none is mapped");
        }

        // The in-memory estimate sorts rows by timestamp before chunking; streamed rows must already be in that order.
        if (timestamps is not null)
        {
            for (var i = 0; i < count; i++)
            {
                if (timestamps[i] < _lastTimestamp)
                {
                    throw new EstimatorDataException(
                        string.Create(CultureInfo.InvariantCulture, $"timestamp {timestamps[i]:O} is earlier than the previous row's {_lastTimestamp:O}: a streamed estimate needs rows in ascending timestamp order (sort the file, or estimate it in memory)"),
                        column: "timestamp",
                        row: RowsRead + i)
                    {
                        Kind = DataProblem.TimestampsOutOfOrder,
                    };
                }

                _lastTimestamp = timestamps[i];
            }
        }

        _missingScore += missingScore;
        _missingPrediction += missingPrediction;
        if (_sizeChunks is not null && timestamps is null)
        {
            EstimateInPlace(scores, predictions, targets, count);
            RowsRead += count;
            return;
        }

        AppendToBuffer(scores, predictions, targets, timestamps, 0, count);
        RowsRead += count;
        Flush(final: false);
    }

    /// <summary>Estimates the last chunk(s) and returns the result: the reference rows, then every analysis chunk.</summary>
    /// <param name="model">The model's name written to the result.</param>
    /// <exception cref="EstimatorDataException">No rows arrived, or fewer than announced.</exception>
    public CbpeResult Complete(string model = "model")
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!_completed)
        {
            if (RowsRead == 0)
            {
                throw new EstimatorDataException("the analysis data has no rows");
            }

            if (_sizeChunks is not null && RowsRead != _totalRows)
            {
                throw new EstimatorDataException(string.Create(CultureInfo.InvariantCulture, $"the analysis data ended after {RowsRead} of the {_totalRows} rows announced"));
            }

            Flush(final: true);
            _completed = true;
            _scores = _predictions = _targets = [];
            _timestamps = [];
        }

        var rows = new List<ChunkEstimate>(_fitted.ReferenceRows.Count + _rows.Count);
        rows.AddRange(_fitted.ReferenceRows);
        rows.AddRange(_rows);
        return new CbpeResult(model, rows, _fitted.Calibration, _missingScore, _missingPrediction);
    }

    private void AppendToBuffer(double[] scores, double[]? predictions, double[]? targets, DateTime[]? timestamps, int from, int count)
    {
        var need = _buffered + count;
        if (_scores.Length < need)
        {
            var capacity = Math.Max(need, Math.Min(Array.MaxLength, _scores.Length * 2));
            Array.Resize(ref _scores, capacity);
            if (_hasPredictions)
            {
                Array.Resize(ref _predictions, capacity);
            }

            if (_hasTargets == true)
            {
                Array.Resize(ref _targets, capacity);
            }

            if (_hasTimestamps)
            {
                Array.Resize(ref _timestamps, capacity);
            }
        }

        Array.Copy(scores, from, _scores, _buffered, count);
        if (predictions is not null)
        {
            Array.Copy(predictions, from, _predictions, _buffered, count);
        }

        if (targets is not null)
        {
            Array.Copy(targets, from, _targets, _buffered, count);
        }

        if (timestamps is not null)
        {
            Array.Copy(timestamps, from, _timestamps, _buffered, count);
        }

        _buffered = need;
    }

    /// <summary>
    /// Size-based chunking without timestamps: estimates the chunks that lie wholly in the batch straight from its
    /// arrays, and copies only the rows of a chunk that spans batches into the buffer (so the buffer holds at most one
    /// chunk). The rows of batch index 0 are at file row <see cref="RowsRead"/>.
    /// </summary>
    private void EstimateInPlace(double[] scores, double[]? predictions, double[]? targets, int count)
    {
        var batchStart = RowsRead;
        var batchEnd = batchStart + count; // exclusive
        if (_buffered == 0)
        {
            _bufferStart = batchStart;
        }

        var spanning = new List<Chunk>(1);
        var inBatch = new List<Chunk>();
        var inBatchRelative = new List<Chunk>();
        while (_nextChunk < _sizeChunks!.Count && _sizeChunks[_nextChunk].EndIndex < batchEnd)
        {
            var chunk = _sizeChunks[_nextChunk++];
            if (chunk.StartIndex >= batchStart)
            {
                inBatch.Add(chunk);
                inBatchRelative.Add(chunk with { StartIndex = chunk.StartIndex - batchStart, EndIndex = chunk.EndIndex - batchStart });
            }
            else
            {
                // Starts in the buffer (rows [_bufferStart, batchStart)), ends in this batch.
                AppendToBuffer(scores, predictions, targets, null, 0, (int)(chunk.EndIndex + 1 - batchStart));
                spanning.Add(chunk);
                EstimateChunks(spanning, [chunk with { StartIndex = chunk.StartIndex - _bufferStart, EndIndex = chunk.EndIndex - _bufferStart }], _scores, _predictions, _targets);
                _buffered = 0;
            }
        }

        if (inBatch.Count > 0)
        {
            EstimateChunks(inBatch, inBatchRelative, scores, predictions, targets);
        }

        // Keep the rows of the next, incomplete chunk; rows no chunk covers (dropped by the rule) are discarded.
        var keepFrom = _nextChunk < _sizeChunks.Count ? _sizeChunks[_nextChunk].StartIndex : batchEnd;
        if (keepFrom < batchEnd)
        {
            if (_buffered == 0)
            {
                _bufferStart = Math.Max(keepFrom, batchStart);
            }

            var from = (int)(Math.Max(keepFrom, batchStart) - batchStart);
            AppendToBuffer(scores, predictions, targets, null, from, count - from);
        }
        else
        {
            _buffered = 0;
        }
    }

    private void EstimateChunks(List<Chunk> complete, List<Chunk> relative, double[] scores, double[]? predictions, double[]? targets)
    {
        var data = PeriodData.FromBuffers(scores, _hasPredictions ? predictions : null, _hasTargets == true ? targets : null, _fitted.Calibrator);
        var (values, missingRates) = ChunkComputation.Compute(data, relative, _specs, _fitted.Options, withRealized: true, _compute.Threads);
        _rows.AddRange(FittedCbpe.BuildRows(complete, values, missingRates, _fitted.Components, Period.Analysis, hasTargets: _hasTargets == true));
        ChunksEstimated += complete.Count;
    }

    /// <summary>Estimates the complete chunks in the buffer (all of it when <paramref name="final"/>), then keeps only the rest.</summary>
    private void Flush(bool final)
    {
        var complete = _sizeChunks is not null ? CompleteSizeChunks() : CompletePeriodChunks(final);
        if (complete.Count == 0)
        {
            return;
        }

        // Chunks relative to the buffer for the computation; the real ones (absolute rows, dates) for the output.
        var relative = new List<Chunk>(complete.Count);
        long consumed = 0;
        foreach (var chunk in complete)
        {
            relative.Add(chunk with { StartIndex = chunk.StartIndex - _bufferStart, EndIndex = chunk.EndIndex - _bufferStart });
            consumed = chunk.EndIndex + 1 - _bufferStart;
        }

        var rowsUsed = (int)consumed;
        EstimateChunks(complete, relative, _scores, _predictions, _targets);

        // Rows after the last complete chunk stay; rows dropped by the chunking rule (none for Keep) are discarded.
        if (final)
        {
            _buffered = 0;
        }
        else
        {
            var rest = _buffered - rowsUsed;
            Array.Copy(_scores, rowsUsed, _scores, 0, rest);
            if (_hasPredictions)
            {
                Array.Copy(_predictions, rowsUsed, _predictions, 0, rest);
            }

            if (_hasTargets == true)
            {
                Array.Copy(_targets, rowsUsed, _targets, 0, rest);
            }

            if (_hasTimestamps)
            {
                Array.Copy(_timestamps, rowsUsed, _timestamps, 0, rest);
            }

            _buffered = rest;
            _bufferStart += rowsUsed;
        }
    }

    private List<Chunk> CompleteSizeChunks()
    {
        var complete = new List<Chunk>();
        var bufferEnd = _bufferStart + _buffered; // exclusive
        while (_nextChunk < _sizeChunks!.Count && _sizeChunks[_nextChunk].EndIndex < bufferEnd)
        {
            var chunk = _sizeChunks[_nextChunk++];
            if (_hasTimestamps)
            {
                chunk = chunk with
                {
                    StartDate = _timestamps[(int)(chunk.StartIndex - _bufferStart)],
                    EndDate = _timestamps[(int)(chunk.EndIndex - _bufferStart)],
                };
            }

            complete.Add(chunk);
        }

        return complete;
    }

    private List<Chunk> CompletePeriodChunks(bool final)
    {
        // The one chunker cuts the buffered rows; only the final chunks are taken, the last period may still grow.
        var complete = new List<Chunk>();
        foreach (var planned in Chunker.Plan(_fitted.Options.Chunking, _buffered, _timestamps.AsSpan(0, _buffered), final, _bufferStart, _nextChunk))
        {
            if (!planned.Final)
            {
                break;
            }

            complete.Add(planned.Chunk);
            _nextChunk++;
        }

        return complete;
    }
}
