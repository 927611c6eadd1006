namespace Estimator.Estimation.Multiclass;

/// <summary>
/// Everything one chunk contributes to multiclass CBPE, gathered in a few passes over its rows: per class the expected
/// one-vs-rest confusion sums and the estimated ROC AUC, the expected K × K matrix, and from the labels (when there are
/// some) the actual K × K counts and realized ROC AUC per class. The metrics are read off it
/// (<see cref="MulticlassMetrics"/>).
/// </summary>
internal sealed class MulticlassChunkStatistics
{
    private MulticlassChunkStatistics(int classes)
    {
        Classes = classes;
        TruePositive = new double[classes];
        FalsePositive = new double[classes];
        FalseNegative = new double[classes];
        TrueNegative = new double[classes];
        ExpectedCells = new double[classes * classes];
        EstimatedRocAuc = new double[classes];
        Counts = new long[classes * classes];
        RealizedRocAuc = new double[classes];
    }

    public int Classes { get; }

    /// <summary>Rows with every score (the rows ROC AUC is estimated on).</summary>
    public int ScoreRows { get; private set; }

    /// <summary>Rows with every score and a predicted label (the rows the label metrics are estimated on).</summary>
    public int EstimateRows { get; private set; }

    /// <summary>Per class k: Σ p_k over rows predicted k (NannyML's <c>np.where(y_pred == 1, y_pred_proba, 0)</c>).</summary>
    public double[] TruePositive { get; }

    /// <summary>Per class k: Σ (1 − p_k) over rows predicted k.</summary>
    public double[] FalsePositive { get; }

    /// <summary>Per class k: Σ p_k over rows predicted another class.</summary>
    public double[] FalseNegative { get; }

    /// <summary>Per class k: Σ (1 − p_k) over rows predicted another class.</summary>
    public double[] TrueNegative { get; }

    /// <summary>Cell i × K + j: Σ p_i over rows predicted j.</summary>
    public double[] ExpectedCells { get; }

    /// <summary>Σ over rows of the probability of the predicted class (accuracy's numerator).</summary>
    public double ExpectedCorrect { get; private set; }

    public double[] EstimatedRocAuc { get; }

    /// <summary>Whether the chunk's data carries targets at all.</summary>
    public bool HasTargets { get; private set; }

    /// <summary>Rows with a target and a predicted label.</summary>
    public int LabelledRows { get; private set; }

    /// <summary>Distinct actual classes among <see cref="LabelledRows"/>.</summary>
    public int DistinctTargets { get; private set; }

    /// <summary>Distinct predicted classes among <see cref="LabelledRows"/>.</summary>
    public int DistinctPredictions { get; private set; }

    /// <summary>Cell true × K + predicted: rows with that pair.</summary>
    public long[] Counts { get; }

    /// <summary>Rows with a target and every score.</summary>
    public int RealizedScoreRows { get; private set; }

    /// <summary>Whether every class occurs among the targets of <see cref="RealizedScoreRows"/>.</summary>
    public bool AllClassesObserved { get; private set; }

    public double[] RealizedRocAuc { get; }

    /// <summary>Share of the chunk's rows without a target.</summary>
    public double TargetsMissingRate { get; private set; }

    /// <summary>Gathers rows [start, start + length) of <paramref name="data"/> (which has probabilities).</summary>
    /// <param name="data">The period.</param>
    /// <param name="start">First row of the chunk.</param>
    /// <param name="length">Rows in the chunk.</param>
    /// <param name="rocAuc">Whether to estimate ROC AUC (the one costly statistic: a numpy-argsort replay per class).</param>
    /// <param name="scratch">The worker's buffers.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static MulticlassChunkStatistics Compute(MulticlassColumns data, int start, int length, bool rocAuc, Scratch scratch)
    {
        var k = data.Classes;
        var s = new MulticlassChunkStatistics(k);
        var scores = data.Scores;
        var probabilities = data.Probabilities!;
        var predictions = data.Predictions;
        var targets = data.Targets;

        // Rows with every score: NannyML's common_nan_removal over the score columns (calibrated ones are NaN exactly
        // where a raw one is).
        var scored = scratch.Rows;
        var m = 0;
        for (var i = start; i < start + length; i++)
        {
            var complete = true;
            for (var c = 0; c < k; c++)
            {
                complete &= !double.IsNaN(scores[c][i]);
            }

            if (complete)
            {
                scored[m++] = i;
            }
        }

        s.ScoreRows = m;
        if (predictions is not null)
        {
            s.GatherExpected(probabilities, predictions, scored.AsSpan(0, m));
        }

        for (var c = 0; c < k; c++)
        {
            s.EstimatedRocAuc[c] = rocAuc ? EstimateRocAuc(scores[c], probabilities[c], scored.AsSpan(0, m), scratch) : double.NaN;
        }

        if (targets is not null)
        {
            s.GatherRealized(scores, predictions, targets, start, length, scratch);
        }

        return s;
    }

    /// <summary>NannyML's <c>estimate_roc_auc</c> for one class: rows ranked by raw score descending in the order numpy's argsort leaves ties.</summary>
    private static double EstimateRocAuc(double[] raw, double[] probability, ReadOnlySpan<int> rows, Scratch scratch)
    {
        var m = rows.Length;
        if (m == 0)
        {
            return double.NaN;
        }

        var keys = scratch.Keys.AsSpan(0, m);
        var order = scratch.Order.AsSpan(0, m);
        for (var t = 0; t < m; t++)
        {
            keys[t] = raw[rows[t]];
            order[t] = t;
        }

        // np.argsort(raw)[::-1]: after calibration and renormalisation tied raw scores carry different probabilities,
        // so the order inside a tie moves the area; numpy's (unstable) order is replayed, then reversed.
        NumpyArgsort.Sort(keys, order, scratch.SortKeys);
        var ranked = scratch.Ranked.AsSpan(0, m);
        for (var t = 0; t < m; t++)
        {
            ranked[t] = probability[rows[order[m - 1 - t]]];
        }

        return EstimatedMetrics.RocAucFromRanked(ranked);
    }

    private void GatherExpected(double[][] probabilities, int[] predictions, ReadOnlySpan<int> scored)
    {
        var k = Classes;
        var n = 0;
        double correct = 0;
        foreach (var i in scored)
        {
            var predicted = predictions[i];
            if (predicted < 0)
            {
                continue;
            }

            n++;
            for (var c = 0; c < k; c++)
            {
                var p = probabilities[c][i];
                ExpectedCells[(c * k) + predicted] += p;
                if (c == predicted)
                {
                    TruePositive[c] += p;
                    FalsePositive[c] += 1 - p;
                    correct += p;
                }
                else
                {
                    FalseNegative[c] += p;
                    TrueNegative[c] += 1 - p;
                }
            }
        }

        EstimateRows = n;
        ExpectedCorrect = correct;
    }

    private void GatherRealized(double[][] scores, int[]? predictions, int[] targets, int start, int length, Scratch scratch)
    {
        var k = Classes;
        HasTargets = true;
        var missing = 0;
        var labelled = 0;
        Span<bool> seenTarget = stackalloc bool[k];
        Span<bool> seenPrediction = stackalloc bool[k];
        Span<bool> observed = stackalloc bool[k];
        var rows = scratch.Rows;
        var m = 0;
        for (var i = start; i < start + length; i++)
        {
            var actual = targets[i];
            if (actual < 0)
            {
                missing++;
                continue;
            }

            if (predictions is not null && predictions[i] >= 0)
            {
                labelled++;
                seenTarget[actual] = true;
                seenPrediction[predictions[i]] = true;
                Counts[(actual * k) + predictions[i]]++;
            }

            var complete = true;
            for (var c = 0; c < k; c++)
            {
                complete &= !double.IsNaN(scores[c][i]);
            }

            if (complete)
            {
                observed[actual] = true;
                rows[m++] = i;
            }
        }

        TargetsMissingRate = length == 0 ? double.NaN : (double)missing / length;
        LabelledRows = labelled;
        DistinctTargets = Count(seenTarget);
        DistinctPredictions = Count(seenPrediction);
        RealizedScoreRows = m;
        AllClassesObserved = Count(observed) == k;
        if (m == 0 || !AllClassesObserved)
        {
            RealizedRocAuc.AsSpan().Fill(double.NaN);
            return;
        }

        // scikit-learn's roc_auc_score(multi_class='ovr'): each class against the rest on the raw scores.
        var binary = scratch.Ranked.AsSpan(0, m);
        var raw = scratch.Keys.AsSpan(0, m);
        for (var c = 0; c < k; c++)
        {
            for (var t = 0; t < m; t++)
            {
                binary[t] = targets[rows[t]] == c ? 1 : 0;
                raw[t] = scores[c][rows[t]];
            }

            RealizedRocAuc[c] = RealizedMetrics.RocAuc(binary, raw);
        }
    }

    private static int Count(ReadOnlySpan<bool> flags)
    {
        var count = 0;
        foreach (var f in flags)
        {
            count += f ? 1 : 0;
        }

        return count;
    }

    /// <summary>One worker's buffers, each as long as the longest chunk.</summary>
    internal sealed class Scratch(int rows)
    {
        public int[] Rows { get; } = new int[rows];

        public double[] Keys { get; } = new double[rows];

        public int[] Order { get; } = new int[rows];

        public double[] SortKeys { get; } = new double[rows];

        public double[] Ranked { get; } = new double[rows];
    }
}
