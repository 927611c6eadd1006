namespace Estimator.Learning;

/// <summary>
/// What shift-aware CBPE keeps of the reference beside plain CBPE's fit: the labelled rows (score, target, encoded
/// features, in timestamp order), their order by score (the weighted calibration refits on them per chunk), the
/// positive rate, and the domain classifier's null spread — its AUROC when a reference chunk is told from the rest of
/// the reference, where there is no shift to find.
/// </summary>
internal sealed class ShiftReference(DomainFeatureMatrix encoder, float[] matrix, double[] scores, double[] targets, int[] byScore, double prior)
{
    public DomainFeatureMatrix Encoder { get; } = encoder;

    /// <summary>Encoded features of the labelled rows, row-major, in timestamp order.</summary>
    public float[] Matrix { get; } = matrix;

    /// <summary>Raw scores of the labelled rows, in timestamp order.</summary>
    public double[] Scores { get; } = scores;

    /// <summary>Targets of the labelled rows, in timestamp order.</summary>
    public double[] Targets { get; } = targets;

    /// <summary>The labelled rows' positions sorted by ascending score.</summary>
    public int[] ByScore { get; } = byScore;

    /// <summary>The reference's positive rate π₀.</summary>
    public double Prior { get; } = prior;

    public int Count => Scores.Length;

    /// <summary>A reference read back from the fitted JSON: the same rows and null spread, the score order rebuilt as <see cref="Learn"/> builds it.</summary>
    public static ShiftReference Restore(DomainFeatureMatrix encoder, float[] matrix, double[] scores, double[] targets, double prior, double nullMean, double nullSpread)
    {
        if (targets.Length != scores.Length || matrix.Length != scores.Length * encoder.Width)
        {
            throw new EstimatorDataException(FormattableString.Invariant($"fitted shift-aware CBPE: {scores.Length} scores, {targets.Length} targets and {matrix.Length} feature values do not make rows of {encoder.Width}"));
        }

        return new ShiftReference(encoder, matrix, scores, targets, ByScoreOf(scores), prior) { NullMean = nullMean, NullSpread = nullSpread };
    }

    /// <summary>Mean AUROC of the reference chunks against the rest; NaN until measured.</summary>
    public double NullMean { get; private set; } = double.NaN;

    /// <summary>Spread of the null AUROC: the larger of the reference chunks' standard deviation and Mann–Whitney's.</summary>
    public double NullSpread { get; private set; } = double.NaN;

    /// <summary>Keeps the labelled rows of the (timestamp-sorted) reference and encodes them.</summary>
    /// <exception cref="EstimatorDataException">A feature is missing from the reference.</exception>
    public static ShiftReference Learn(ModelData sorted, IReadOnlyList<string> features)
    {
        var scores = sorted.Scores ?? throw new EstimatorDataException("the reference has no score column (y_pred_proba)");
        var targets = sorted.Targets ?? throw new EstimatorDataException("the reference has no targets");
        var labelled = new List<int>(sorted.Count);
        for (var i = 0; i < sorted.Count; i++)
        {
            if (!double.IsNaN(scores[i]) && !double.IsNaN(targets[i]))
            {
                labelled.Add(i);
            }
        }

        var encoder = DomainFeatureMatrix.Learn(sorted, features);
        var width = encoder.Width;
        var all = new float[checked(sorted.Count * width)];
        encoder.Encode(sorted, 0, sorted.Count, all, "reference");
        var matrix = new float[checked(labelled.Count * width)];
        var s = new double[labelled.Count];
        var y = new double[labelled.Count];
        double positives = 0;
        for (var k = 0; k < labelled.Count; k++)
        {
            var row = labelled[k];
            all.AsSpan(row * width, width).CopyTo(matrix.AsSpan(k * width, width));
            s[k] = scores[row];
            y[k] = targets[row];
            positives += y[k];
        }

        return new ShiftReference(encoder, matrix, s, y, ByScoreOf(s), positives / s.Length);
    }

    /// <summary>Positions sorted by ascending score (the same permutation for the same scores: the sort is deterministic).</summary>
    private static int[] ByScoreOf(double[] scores)
    {
        var byScore = Enumerable.Range(0, scores.Length).ToArray();
        Array.Sort(scores.ToArray(), byScore);
        return byScore;
    }

    /// <summary>
    /// Measures the null spread on up to ten reference chunks of the chunking: each chunk told from the rest of the
    /// labelled reference by the same classifier the analysis chunks get.
    /// </summary>
    public void MeasureNull(Chunking chunking, ShiftAwareCbpeOptions options)
    {
        var chunks = Chunker.Split(Count, null, chunking is PeriodChunking ? Chunking.ByNumber(10) : chunking);
        var typical = chunks.Select(c => c.Rows).DefaultIfEmpty(Count / 10).Max();
        var values = new List<double>();
        foreach (var chunk in chunks.Where(c => c.Rows == typical && c.Rows < Count).Take(10))
        {
            var labels = new bool[Count];
            labels.AsSpan((int)chunk.StartIndex, (int)chunk.Rows).Fill(true);
            var logOdds = DensityRatioClassifier.LogOdds(Matrix, Encoder.Width, labels, options);
            values.Add(Auroc.Of(logOdds, labels) ?? 0.5);
        }

        var n1 = (double)typical;
        var n0 = Count - n1;
        var mannWhitney = n0 > 0 && n1 > 0 ? Math.Sqrt((n0 + n1 + 1) / (12 * n0 * n1)) : 0;
        NullMean = values.Count == 0 ? 0.5 : values.Average();
        var sd = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - NullMean) * (v - NullMean)) / (values.Count - 1));
        NullSpread = Math.Max(sd, mannWhitney);
    }

    // Fitted on first use, once even when chunks are estimated in parallel (the spline may be null, hence the flag).
    private Calibration.IsotonicCalibrator? _calibrator;
    private Calibration.LogitSplineCalibrator? _spline;
    private bool _splineFitted;
    private object? _splineLock;

    /// <summary>
    /// The isotonic calibrator of the labelled rows, fitted on first use: the prior-shift correction's calibration when
    /// plain CBPE's check left the scores as they are.
    /// </summary>
    public Calibration.IsotonicCalibrator Calibrator => LazyInitializer.EnsureInitialized(ref _calibrator, () => WeightedCalibrator(Ones(Count)));

    /// <summary>The logit-spline calibrator of the labelled rows without weights, fitted on first use; null when it cannot be fitted.</summary>
    public Calibration.LogitSplineCalibrator? SplineCalibrator =>
        LazyInitializer.EnsureInitialized(ref _spline, ref _splineFitted, ref _splineLock, () => WeightedSplineCalibrator(Ones(Count)));

    /// <summary>The weighted isotonic calibrator of the labelled rows under <paramref name="weights"/> (timestamp order).</summary>
    public Calibration.IsotonicCalibrator WeightedCalibrator(ReadOnlySpan<double> weights)
    {
        var (s, y, w) = SortedByScore(weights);
        return Calibration.IsotonicCalibrator.FitSortedWeighted(s, y, w);
    }

    /// <summary>The weighted logit-spline calibrator of the labelled rows under <paramref name="weights"/> (timestamp order); null when it cannot be fitted.</summary>
    public Calibration.LogitSplineCalibrator? WeightedSplineCalibrator(ReadOnlySpan<double> weights)
    {
        var (s, y, w) = SortedByScore(weights);
        return Calibration.LogitSplineCalibrator.FitSortedWeighted(s, y, w);
    }

    private static double[] Ones(int n) => Enumerable.Repeat(1.0, n).ToArray();

    /// <summary>Scores, targets and weights of the labelled rows in ascending score order.</summary>
    private (double[] Scores, double[] Targets, double[] Weights) SortedByScore(ReadOnlySpan<double> weights)
    {
        var n = Count;
        var s = new double[n];
        var y = new double[n];
        var w = new double[n];
        for (var k = 0; k < n; k++)
        {
            var row = ByScore[k];
            s[k] = Scores[row];
            y[k] = Targets[row];
            w[k] = weights[row];
        }

        return (s, y, w);
    }
}
