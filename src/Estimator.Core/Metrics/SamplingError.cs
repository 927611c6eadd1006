namespace Estimator.Metrics;

/// <summary>
/// A metric's sampling-error model, fitted once on the reference (spec §4): the chunk's own data enters only through
/// its row count n. <c>SE(n) = σ / √(n·f)</c>, or <c>σ·√n</c> for metrics that are counts (unnormalised confusion
/// matrix, total business value).
/// </summary>
/// <param name="Sigma">σ: standard deviation of the metric's per-row contributions on the reference.</param>
/// <param name="Fraction">f: share of reference rows that contribute (1 for metrics over all rows).</param>
/// <param name="GrowsWithChunkSize">True for count metrics, whose error is σ·√n.</param>
public sealed record SamplingErrorModel(double Sigma, double Fraction, bool GrowsWithChunkSize = false)
{
    /// <summary>The standard error for a chunk of <paramref name="rows"/> rows (after missing-value removal); NaN for an empty chunk.</summary>
    public double For(long rows) =>
        rows <= 0 ? double.NaN : GrowsWithChunkSize ? Sigma * Math.Sqrt(rows) : Sigma / Math.Sqrt(rows * Fraction);
}

/// <summary>Fits the sampling-error models of spec §4 from reference labels, predictions and raw scores.</summary>
public static class SamplingError
{
    /// <summary>NannyML's ±3 standard errors for the confidence band.</summary>
    public const double Range = 3;

    /// <summary>Bootstrap resamples for average precision.</summary>
    public const int AveragePrecisionResamples = 50;

    /// <summary>Label-count metrics (precision, recall, f1, specificity, accuracy) from the reference's actual confusion matrix.</summary>
    public static SamplingErrorModel ForCounts(Metric metric, in LabelCounts reference)
    {
        double tp = reference.TruePositive, fp = reference.FalsePositive, fn = reference.FalseNegative, tn = reference.TrueNegative;
        double n = reference.Count;
        switch (metric)
        {
            case Metric.Precision:
                return new(BernoulliStd(tp, tp + fp), (tp + fp) / n);
            case Metric.Recall:
                return new(BernoulliStd(tp, tp + fn), (tp + fn) / n);
            case Metric.Specificity:
                return new(BernoulliStd(tn, tn + fp), (tn + fp) / n);
            case Metric.Accuracy:
                return new(BernoulliStd(tp + tn, n), 1);
            case Metric.F1:
                {
                    // v = [1]×TP ⧺ [0]×(FN + FP) scaled by c = |v| / (TP + ½(FN + FP)).
                    var length = tp + fn + fp;
                    if (length == 0)
                    {
                        return new(double.NaN, 0);
                    }

                    var c = length / (tp + (0.5 * (fn + fp)));
                    return new(c * BernoulliStd(tp, length), length / n);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a label-count metric.");
        }
    }

    /// <summary>A confusion-matrix component (0 = TP, 1 = TN, 2 = FP, 3 = FN) under a normalisation.</summary>
    public static SamplingErrorModel ForConfusionMatrix(in LabelCounts reference, int component, ConfusionMatrixNormalization normalization)
    {
        double n = reference.Count;
        var (cell, group) = EstimatedMetrics.ConfusionCell(
            reference.TruePositive, reference.TrueNegative, reference.FalsePositive, reference.FalseNegative, n, component, normalization);
        return normalization switch
        {
            // Unnormalised counts: σ of the row indicator over all reference rows, SE = σ·√n.
            ConfusionMatrixNormalization.None => new(BernoulliStd(cell, n), 1, GrowsWithChunkSize: true),
            ConfusionMatrixNormalization.All => new(BernoulliStd(cell, n), 1),

            // 'true' / 'pred': the indicator within the actual (or predicted) class group, f = group share.
            _ => new(BernoulliStd(cell, group), group / n),
        };
    }

    /// <summary>Business value: σ = population std of M[y][ŷ] over reference rows; σ·√n for the total, σ/√n per prediction.</summary>
    public static SamplingErrorModel ForBusinessValue(in LabelCounts reference, BusinessValueMatrix matrix, bool perPrediction)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        double n = reference.Count;
        if (n == 0)
        {
            return new(double.NaN, 1, !perPrediction);
        }

        double tp = reference.TruePositive, fp = reference.FalsePositive, fn = reference.FalseNegative, tn = reference.TrueNegative;
        var mean = ((tp * matrix.TruePositive) + (fp * matrix.FalsePositive) + (fn * matrix.FalseNegative) + (tn * matrix.TrueNegative)) / n;
        var variance = ((tp * Square(matrix.TruePositive - mean)) + (fp * Square(matrix.FalsePositive - mean))
            + (fn * Square(matrix.FalseNegative - mean)) + (tn * Square(matrix.TrueNegative - mean))) / n;
        return new(Math.Sqrt(variance), 1, !perPrediction);
    }

    /// <summary>
    /// ROC AUC (spec §4, <c>auroc_sampling_error_components</c>): with the minority class as positive, the share of
    /// negatives ranked below each positive; σ = their population std, f = share of positives.
    /// </summary>
    /// <param name="targets">Reference labels without missing values.</param>
    /// <param name="scores">Reference raw scores without missing values.</param>
    /// <remarks>
    /// Tied scores are ranked in the order numpy's default (unstable) argsort leaves them, as NannyML does; a
    /// different tie order moves σ by up to ~1e-3 relative on data with many ties.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SamplingErrorModel ForRocAuc(ReadOnlySpan<double> targets, ReadOnlySpan<double> scores)
    {
        var n = targets.Length;
        double positives = 0;
        foreach (var y in targets)
        {
            positives += y;
        }

        var swap = positives / n > 0.5;
        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = swap ? 1 - scores[i] : scores[i];
        }

        // numpy's unstable argsort decides the order of tied scores, and σ depends on it: replay it exactly.
        var order = NumpyArgsort.ArgSort(keys);
        if (swap)
        {
            positives = n - positives;
        }

        var negatives = n - positives;
        // Ranks of positives, the lowest rank 0 excluded (NannyML drops the smallest unique value of y·rank).
        double sum = 0, sumSquares = 0;
        long count = 0;
        for (var k = 1; k < n; k++)
        {
            var y = targets[order[k]];
            if (swap ? y == 0 : y == 1)
            {
                var u = (k - count) / negatives;
                sum += u;
                sumSquares += u * u;
                count++;
            }
        }

        var mean = count == 0 ? double.NaN : sum / count;
        var variance = count == 0 ? double.NaN : Math.Max(0, (sumSquares / count) - (mean * mean));
        return new(Math.Sqrt(variance), positives / n);
    }

    /// <summary>
    /// Average precision: σ of <see cref="AveragePrecisionResamples"/> bootstrap resamples of m = min(⌊N/2⌋, 50 000)
    /// reference rows; SE = σ·√(m/n). Deviation: NannyML draws from numpy's unseeded global generator, so its value
    /// varies run to run; this draw is seeded, so results are reproducible.
    /// </summary>
    public static SamplingErrorModel ForAveragePrecision(ReadOnlySpan<double> targets, ReadOnlySpan<double> scores, int seed = 42)
    {
        var n = targets.Length;
        var hasPositive = false;
        foreach (var y in targets)
        {
            hasPositive |= y == 1;
        }

        if (!hasPositive || n < 2)
        {
            return new(double.NaN, 0);
        }

        var m = Math.Min(n / 2, 50_000);
        var random = new Random(seed);
        var sampleTargets = new double[m];
        var sampleScores = new double[m];
        var values = new double[AveragePrecisionResamples];
        for (var r = 0; r < values.Length; r++)
        {
            for (var i = 0; i < m; i++)
            {
                var row = random.Next(n);
                sampleTargets[i] = targets[row];
                sampleScores[i] = scores[row];
            }

            values[r] = RealizedMetrics.AveragePrecision(sampleTargets, sampleScores);
        }

        double mean = 0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= values.Length;
        double variance = 0;
        foreach (var v in values)
        {
            variance += Square(v - mean);
        }

        // SE = σ·√(m/n) = σ / √(n·(1/m)).
        return new(Math.Sqrt(variance / values.Length), 1.0 / m);
    }

    private static double BernoulliStd(double ones, double length)
    {
        if (length == 0)
        {
            return double.NaN;
        }

        var p = ones / length;
        return Math.Sqrt(p * (1 - p));
    }

    private static double Square(double x) => x * x;
}
