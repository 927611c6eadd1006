using System.Text.Json.Serialization;

namespace Estimator.Calibration;

/// <summary>
/// Isotonic calibration as scikit-learn's <c>IsotonicRegression(increasing=True, out_of_bounds='clip')</c> with unit
/// sample weights, in <see cref="double"/>: a non-decreasing piecewise-linear map from scores to probabilities.
/// </summary>
/// <remarks>
/// <para>
/// Fitting sorts the pairs by score, pools scores closer than 1e-15 to the first score of their group (scikit-learn's
/// <c>_make_unique</c>) into one point whose target is the group's mean and whose weight is its size, runs weighted
/// pool-adjacent-violators (scikit-learn's single-pass variant, so pooled values agree to the last bit for 0/1
/// targets), and keeps the fitted points minus the interior points of constant runs (<see cref="IsotonicFit"/>).
/// </para>
/// <para>
/// Calibrating interpolates linearly between consecutive fitted points (numpy's <c>interp</c>: a score equal to a
/// threshold returns that threshold's value), clips below the first and above the last threshold, and maps NaN to NaN
/// (<see cref="IsotonicTables"/>).
/// </para>
/// <para>The model is the two arrays <see cref="Thresholds"/> and <see cref="Values"/>; it round-trips through System.Text.Json.</para>
/// </remarks>
public sealed class IsotonicCalibrator
{
    // The interpolation tables built once from the fitted points; they share the Thresholds and Values arrays.
    private readonly IsotonicTables _tables;

    /// <summary>Creates a calibrator from fitted points (e.g. deserialised ones).</summary>
    /// <param name="thresholds">Scores of the fitted points, strictly increasing, at least one.</param>
    /// <param name="values">Calibrated values at <paramref name="thresholds"/>, non-decreasing, same length.</param>
    /// <exception cref="ArgumentException">The arrays differ in length, are empty, or are not ordered as required.</exception>
    [JsonConstructor]
    public IsotonicCalibrator(double[] thresholds, double[] values)
        : this(Validated(thresholds, values), (double[])values.Clone(), trusted: true)
    {
    }

    // For points that are valid by construction (a fit's own output): no checks and no copies.
    private IsotonicCalibrator(double[] thresholds, double[] values, bool trusted)
    {
        _ = trusted;
        Thresholds = thresholds;
        Values = values;
        _tables = new IsotonicTables(thresholds, values);
    }

    /// <summary>The calibration tables as one value, for a row loop that calibrates rows in no particular order.</summary>
    internal IsotonicLookup Lookup => _tables.Lookup;

    /// <summary>Scores of the fitted points (x), strictly increasing.</summary>
    public double[] Thresholds { get; }

    /// <summary>Calibrated values at <see cref="Thresholds"/> (y), non-decreasing.</summary>
    public double[] Values { get; }

    /// <summary>Fits the isotonic regression of <paramref name="targets"/> on <paramref name="scores"/>.</summary>
    /// <param name="scores">Raw scores; no NaN.</param>
    /// <param name="targets">Targets (0/1 for calibration; any finite values work); no NaN.</param>
    /// <exception cref="ArgumentException">Lengths differ, the input is empty, or it contains NaN.</exception>
    public static IsotonicCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<double> targets)
    {
        ColumnLength.Same(scores.Length, targets.Length, "Scores", nameof(targets));

        if (scores.Length == 0)
        {
            throw new ArgumentException("Cannot fit an isotonic calibrator on no data.", nameof(scores));
        }

        var keys = scores.ToArray();
        var items = targets.ToArray();
        for (var i = 0; i < keys.Length; i++)
        {
            if (double.IsNaN(keys[i]) || double.IsNaN(items[i]))
            {
                throw new ArgumentException($"Row {i} has a NaN score or target.", nameof(scores));
            }
        }

        Array.Sort(keys, items);
        return FitSorted(keys, items);
    }

    /// <summary>
    /// Fits the weighted isotonic regression of <paramref name="targets"/> on <paramref name="scores"/>: each pair counts
    /// with its weight (importance-weighted calibration); pairs of weight 0 are left out.
    /// </summary>
    /// <param name="scores">Raw scores; no NaN.</param>
    /// <param name="targets">Targets; no NaN.</param>
    /// <param name="weights">Non-negative weights, at least one positive.</param>
    /// <exception cref="ArgumentException">Lengths differ, the input is empty, or it contains NaN.</exception>
    public static IsotonicCalibrator FitWeighted(ReadOnlySpan<double> scores, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights)
    {
        ColumnLength.Same(scores.Length, targets.Length, "Scores", nameof(targets));
        ColumnLength.Same(scores.Length, weights.Length, "Scores", nameof(weights));
        if (scores.Length == 0)
        {
            throw new ArgumentException("Cannot fit an isotonic calibrator on no data.", nameof(scores));
        }

        var keys = scores.ToArray();
        var order = new int[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            if (double.IsNaN(keys[i]) || double.IsNaN(targets[i]) || !(weights[i] >= 0))
            {
                throw new ArgumentException($"Row {i} has a NaN score or target, or a negative weight.", nameof(scores));
            }

            order[i] = i;
        }

        Array.Sort(keys, order);
        var y = new double[keys.Length];
        var w = new double[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            y[i] = targets[order[i]];
            w[i] = weights[order[i]];
        }

        var (thresholds, values) = IsotonicFit.FromSortedWeighted(keys, y, w);
        return new IsotonicCalibrator(thresholds, values, trusted: true);
    }

    /// <summary>Weighted fit on pairs already sorted by score (ascending), NaN-free, with at least one positive weight.</summary>
    internal static IsotonicCalibrator FitSortedWeighted(ReadOnlySpan<double> sortedScores, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights)
    {
        var (thresholds, values) = IsotonicFit.FromSortedWeighted(sortedScores, targets, weights);
        return new IsotonicCalibrator(thresholds, values, trusted: true);
    }

    /// <summary>
    /// Fits on pairs already sorted by score (ascending; the order of tied scores only affects the rounding of their
    /// mean, and not at all for 0/1 targets). Inputs must be NaN-free and non-empty.
    /// </summary>
    internal static IsotonicCalibrator FitSorted(ReadOnlySpan<double> sortedScores, ReadOnlySpan<double> targets)
    {
        var (thresholds, values) = IsotonicFit.FromSorted(sortedScores, targets);
        return new IsotonicCalibrator(thresholds, values, trusted: true);
    }

    /// <summary>
    /// Fits on a sorted reference given as runs of equal scores (<see cref="ScoreRuns"/>): run r holds
    /// <paramref name="counts"/>[r] rows with score <paramref name="values"/>[r], <paramref name="positives"/>[r] of
    /// them with target 1; runs with no rows are skipped. Bit for bit <see cref="FitSorted"/> on the rows the runs
    /// stand for (see <see cref="IsotonicFit.FromRuns"/>).
    /// </summary>
    internal static IsotonicCalibrator FitRuns(ReadOnlySpan<double> values, ReadOnlySpan<int> counts, ReadOnlySpan<int> positives)
    {
        var (thresholds, fitted) = IsotonicFit.FromRuns(values, counts, positives);
        return new IsotonicCalibrator(thresholds, fitted, trusted: true);
    }

    /// <summary>Calibrates one score.</summary>
    /// <param name="score">A raw score; NaN gives NaN.</param>
    public double Calibrate(double score) => _tables.Calibrate(score);

    /// <summary>Calibrates scores into <paramref name="destination"/> (same length; may not overlap <paramref name="scores"/> partially).</summary>
    /// <param name="scores">Raw scores; NaN gives NaN.</param>
    /// <param name="destination">Receives the calibrated values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="scores"/>.</exception>
    public void Calibrate(ReadOnlySpan<double> scores, Span<double> destination)
    {
        CheckDestination(scores, destination);
        _tables.CalibrateSorted(scores, destination);
    }

    /// <summary>
    /// <see cref="Calibrate(ReadOnlySpan{double}, Span{double})"/> for scores in no particular order: the same values,
    /// without trying the previous row's interval first (a guess that is right for sorted scores and mispredicted for
    /// shuffled ones).
    /// </summary>
    internal void CalibrateUnordered(ReadOnlySpan<double> scores, Span<double> destination)
    {
        CheckDestination(scores, destination);
        _tables.CalibrateUnordered(scores, destination);
    }

    private static void CheckDestination(ReadOnlySpan<double> scores, Span<double> destination)
    {
        if (destination.Length < scores.Length)
        {
            throw new ArgumentException("Destination is too short.", nameof(destination));
        }
    }

    /// <summary>The checks of the public constructor; returns a copy of <paramref name="thresholds"/>.</summary>
    private static double[] Validated(double[] thresholds, double[] values)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(values);
        ColumnLength.Same(thresholds.Length, values.Length, "Thresholds", nameof(values));

        if (thresholds.Length == 0)
        {
            throw new ArgumentException("An isotonic calibrator needs at least one point.", nameof(thresholds));
        }

        for (var i = 0; i < thresholds.Length; i++)
        {
            if (!double.IsFinite(thresholds[i]))
            {
                throw new ArgumentException($"Threshold {i} is not finite.", nameof(thresholds));
            }

            if (double.IsNaN(values[i]))
            {
                throw new ArgumentException($"Value {i} is NaN.", nameof(values));
            }

            if (i > 0 && !(thresholds[i] > thresholds[i - 1]))
            {
                throw new ArgumentException($"Thresholds must be strictly increasing (index {i}).", nameof(thresholds));
            }

            if (i > 0 && !(values[i] >= values[i - 1]))
            {
                throw new ArgumentException($"Values must be non-decreasing (index {i}).", nameof(values));
            }
        }

        return (double[])thresholds.Clone();
    }
}
