namespace Estimator.Estimation.Online;

/// <summary>
/// A binary CBPE estimate over the last <see cref="Capacity"/> rows of a stream, kept up to date as rows arrive: each
/// row is calibrated once when it enters; the expected confusion matrix is updated by adding the new rows and
/// subtracting the evicted ones; the rank order (for ROC AUC and average precision) is a sorted multiset of the
/// window's probabilities (<see cref="ProbabilityRanking"/>). <see cref="Estimate"/> gives what the batch engine gives
/// for the same rows as one chunk (<see cref="FittedCbpe.EstimateChunk"/>): the same sampling errors, bounds,
/// thresholds and alerts. No I/O; not thread-safe (the caller serialises <see cref="Add"/> and <see cref="Estimate"/>).
/// </summary>
/// <remarks>
/// Cost: <see cref="Add"/> is O(1) per row plus O(log D) when a probability value appears or disappears (D distinct
/// values in the window: a few hundred after isotonic calibration, up to N for uncalibrated continuous scores).
/// <see cref="Estimate"/> is O(D) for the label metrics and O(N) for ROC AUC and average precision, whose NannyML form
/// rounds every row's running sum (one pass over the runs of equal values, no sort). The sums drift by rounding as rows
/// are added and subtracted, so they are summed again from the window every <see cref="Capacity"/> evictions.
/// </remarks>
public sealed class SlidingWindowCbpe
{
    private readonly FittedCbpe _fitted;
    private readonly IsotonicCalibrator? _calibrator;
    private readonly double[] _probabilities;
    private readonly double[] _predictions;
    private readonly ProbabilityRanking _ranking = new();
    private int _start;
    // The rows with a predicted label: their sums behind the expected confusion matrix and how many there are.
    private ConfusionMass _labelled;
    private int _evictionsSinceResum;
    private double[] _runValues = [];
    private int[] _runCounts = [];

    /// <summary>Creates an empty window.</summary>
    /// <param name="fitted">The model's fitted estimator (calibrator, sampling-error models, thresholds).</param>
    /// <param name="capacity">N, the rows the window holds.</param>
    public SlidingWindowCbpe(FittedCbpe fitted, int capacity)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _fitted = fitted;
        _calibrator = fitted.Calibrator;
        Capacity = capacity;
        _probabilities = new double[capacity];
        _predictions = new double[capacity];
    }

    /// <summary>N, the rows the window holds once full.</summary>
    public int Capacity { get; }

    /// <summary>Rows in the window (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Rows added since the window was created.</summary>
    public long RowsSeen { get; private set; }

    /// <summary>Whether the window holds <see cref="Capacity"/> rows.</summary>
    public bool IsFull => Count == Capacity;

    /// <summary>Adds rows in arrival order, evicting the oldest once the window is full.</summary>
    /// <param name="scores">Raw scores of the positive class (finite).</param>
    /// <param name="predictions">Predicted labels, 0 or 1; empty when the model's metrics need none.</param>
    /// <exception cref="ArgumentException">A score is not finite, a prediction is not 0 or 1, or the lengths differ.</exception>
    public void Add(ReadOnlySpan<double> scores, ReadOnlySpan<double> predictions)
    {
        if (!predictions.IsEmpty && predictions.Length != scores.Length)
        {
            throw new ArgumentException("Predictions must be empty or as long as the scores.", nameof(predictions));
        }

        for (var i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i]))
            {
                throw new ArgumentException(FormattableString.Invariant($"Score {i} is not a finite number."), nameof(scores));
            }

            if (!predictions.IsEmpty && predictions[i] is not (0 or 1))
            {
                throw new ArgumentException(FormattableString.Invariant($"Prediction {i} is not 0 or 1."), nameof(predictions));
            }
        }

        for (var i = 0; i < scores.Length; i++)
        {
            AddRow(scores[i], predictions.IsEmpty ? double.NaN : predictions[i]);
        }
    }

    /// <summary>The window's estimate of every configured component, in the fitted model's component order.</summary>
    public IReadOnlyList<WindowMetric> Estimate()
    {
        var matrix = _labelled.ToMatrix();
        var rocAuc = double.NaN;
        var averagePrecision = double.NaN;
        var components = _fitted.Components;
        foreach (var component in components)
        {
            if (component.Metric is Metric.RocAuc or Metric.AveragePrecision)
            {
                (rocAuc, averagePrecision) = RankedMetrics(components);
                break;
            }
        }

        var options = _fitted.Options;
        var result = new WindowMetric[components.Count];
        var window = new Chunk("window", 0, 0, Count - 1, null, null);
        for (var k = 0; k < components.Count; k++)
        {
            var component = components[k];
            var metric = component.Metric;
            var estimated = metric switch
            {
                Metric.RocAuc => rocAuc,
                Metric.AveragePrecision => averagePrecision,
                _ => ChunkComputation.Estimate(metric, component.Component, matrix, default, options),
            };
            var rows = metric.RequiresPredictions() ? _labelled.Count : Count;
            var samplingError = component.SamplingError.For(rows);
            result[k] = new WindowMetric(component.Row(window, Period.Analysis, estimated, samplingError, null, null), metric, rows);
        }

        return result;
    }

    private void AddRow(double score, double prediction)
    {
        if (Count == Capacity)
        {
            Evict();
        }

        var p = _calibrator is null ? score : _calibrator.Calibrate(score);
        var slot = (_start + Count) % Capacity;
        _probabilities[slot] = p;
        _predictions[slot] = prediction;
        Count++;
        RowsSeen++;
        _ranking.Add(p);
        if (!double.IsNaN(prediction))
        {
            _labelled.Add(p, prediction);
        }
    }

    private void Evict()
    {
        var p = _probabilities[_start];
        var prediction = _predictions[_start];
        _start = (_start + 1) % Capacity;
        Count--;
        _ranking.Remove(p);
        if (!double.IsNaN(prediction))
        {
            _labelled.Remove(p, prediction);
        }

        if (++_evictionsSinceResum >= Capacity)
        {
            Resum();
        }
    }

    /// <summary>Sums the masses again from the window's rows in arrival order, dropping the add/subtract rounding.</summary>
    private void Resum()
    {
        var labelled = default(ConfusionMass);
        for (var i = 0; i < Count; i++)
        {
            var slot = (_start + i) % Capacity;
            if (!double.IsNaN(_predictions[slot]))
            {
                labelled.Add(_probabilities[slot], _predictions[slot]);
            }
        }

        _labelled = labelled;
        _evictionsSinceResum = 0;
    }

    private (double RocAuc, double AveragePrecision) RankedMetrics(IReadOnlyList<MetricComponent> components)
    {
        var distinct = _ranking.DistinctCount;
        if (_runValues.Length < distinct)
        {
            _runValues = new double[Math.Max(distinct, _runValues.Length * 2)];
            _runCounts = new int[_runValues.Length];
        }

        var values = _runValues.AsSpan(0, distinct);
        var counts = _runCounts.AsSpan(0, distinct);
        _ranking.CopyDescending(values, counts);
        double rocAuc = double.NaN, averagePrecision = double.NaN;
        foreach (var component in components)
        {
            if (component.Metric == Metric.RocAuc)
            {
                rocAuc = RankedRuns.RocAuc(values, counts);
            }
            else if (component.Metric == Metric.AveragePrecision)
            {
                averagePrecision = RankedRuns.AveragePrecision(values, counts);
            }
        }

        return (rocAuc, averagePrecision);
    }
}
