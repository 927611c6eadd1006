namespace Estimator.Estimation.Multiclass;

/// <summary>
/// One period's model outputs in the fitted class order (classes sorted ordinally, as NannyML sorts them): raw score
/// columns mapped to classes by name, whatever order the data gives them in (NannyML issue #346 matched them by sorted
/// column name instead), labels as class indices with −1 where missing. Checked once on the way in.
/// </summary>
internal sealed class MulticlassColumns
{
    private MulticlassColumns(double[][] scores, int[]? predictions, int[]? targets, DateTime[]? timestamps, int count)
    {
        Scores = scores;
        Predictions = predictions;
        Targets = targets;
        Timestamps = timestamps;
        Count = count;
    }

    /// <summary>Raw scores per class (fitted order), NaN where missing.</summary>
    public double[][] Scores { get; }

    /// <summary>Calibrated, renormalised probabilities per class; null until <see cref="WithProbabilities"/>.</summary>
    public double[][]? Probabilities { get; private init; }

    /// <summary>Predicted class index per row (fitted order), −1 where missing; null when the data has no predictions.</summary>
    public int[]? Predictions { get; }

    /// <summary>Actual class index per row (fitted order), −1 where missing; null when the data has no targets.</summary>
    public int[]? Targets { get; }

    public DateTime[]? Timestamps { get; }

    public int Count { get; }

    public int Classes => Scores.Length;

    /// <summary>Rows with a missing score in some class.</summary>
    public long RowsMissingScore { get; private init; }

    /// <summary>Rows with a missing predicted label.</summary>
    public long RowsMissingPrediction { get; private init; }

    /// <summary>Rows whose raw scores are all present but do not sum to 1 (numpy <c>allclose</c> tolerances).</summary>
    public long RowsScoreSumOff { get; private init; }

    /// <summary>Maps and checks a period's data against the fitted classes.</summary>
    /// <param name="data">The period's rows.</param>
    /// <param name="classes">The fitted classes, sorted.</param>
    /// <param name="period">"reference" or "analysis", for messages.</param>
    /// <param name="requireTargets">Whether targets must be given.</param>
    /// <param name="requirePredictions">Whether predicted labels must be given.</param>
    /// <exception cref="EstimatorDataException">No rows, a class without a score column, a score outside [0, 1], a label not among the classes.</exception>
    /// <exception cref="ArgumentException">The data's class list and score columns differ in number, or a class is listed twice.</exception>
    public static MulticlassColumns Map(ModelData data, IReadOnlyList<string> classes, string period, bool requireTargets, bool requirePredictions)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Classes is not { } given || data.ClassScores is not { } columns)
        {
            throw new EstimatorDataException($"the {period} data has no per-class score columns (y_pred_proba per class): multiclass CBPE needs them");
        }

        if (given.Count != columns.Count)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The data names {given.Count} classes but holds {columns.Count} score columns."), nameof(data));
        }

        InputValidation.RequireInput(data.Count, data.Targets is not null, data.Predictions is not null, period, requireTargets, requirePredictions);

        // given[g] is fitted class toFitted[g]; every fitted class needs a column, and the data may name no other class.
        var fittedIndex = ClassLabels.IndexOf(classes);
        var givenIndex = ClassLabels.IndexOf(given);
        foreach (var c in classes)
        {
            if (!givenIndex.ContainsKey(c))
            {
                throw new EstimatorDataException($"the {period} data has no score column for class '{c}'", column: "y_pred_proba");
            }
        }

        var toFitted = new int[given.Count];
        var scores = new double[classes.Count][];
        for (var g = 0; g < given.Count; g++)
        {
            toFitted[g] = fittedIndex.TryGetValue(given[g], out var k)
                ? k
                : throw new EstimatorDataException(
                    $"the {period} data has a score column for class '{given[g]}', which the model does not have ({string.Join(", ", classes)})",
                    column: "y_pred_proba");
            scores[toFitted[g]] = columns[g];
        }

        var (missingScores, sumOff) = CheckScores(scores, classes, period);
        var predictions = Labels(data.Predictions, toFitted, given, "y_pred", period, out var missingPredictions);
        var targets = Labels(data.Targets, toFitted, given, "y_true", period, out _);
        return new MulticlassColumns(scores, predictions, targets, data.Timestamps, data.Count)
        {
            RowsMissingScore = missingScores,
            RowsMissingPrediction = missingPredictions,
            RowsScoreSumOff = sumOff,
        };
    }

    /// <summary>The rows in chunking order: sorted by timestamp (stably); this instance when already in order.</summary>
    /// <remarks>
    /// Deviation: NannyML sorts with pandas' unstable quicksort (twice for chunk-number and default chunking), so rows
    /// with equal timestamps can change places. Estimator keeps their order, as binary CBPE and the job host do. Only the
    /// estimated ROC AUC notices: it ranks tied raw scores in numpy's argsort order of the chunk's rows, and tied raw
    /// scores carry different renormalised probabilities. On the credit-card fixture (178 duplicate timestamps,
    /// two-decimal scores) that moves it by at most 7.4e-7 with chunks of 6,000 and not at all with 7 chunks.
    /// </remarks>
    public MulticlassColumns SortedByTimestamp()
    {
        if (Timestamps is null || TimestampOrder.Of(Timestamps) is not { } order)
        {
            return this;
        }

        var scores = new double[Scores.Length][];
        for (var k = 0; k < scores.Length; k++)
        {
            scores[k] = TimestampOrder.Permute(Scores[k], order);
        }

        return new MulticlassColumns(
            scores,
            Predictions is null ? null : TimestampOrder.Permute(Predictions, order),
            Targets is null ? null : TimestampOrder.Permute(Targets, order),
            TimestampOrder.Permute(Timestamps, order),
            Count)
        {
            RowsMissingScore = RowsMissingScore,
            RowsMissingPrediction = RowsMissingPrediction,
            RowsScoreSumOff = RowsScoreSumOff,
        };
    }

    /// <summary>
    /// NannyML's <c>_calibrate_predicted_probabilities</c>: each class's scores through its calibrator (as they are
    /// when it has none), then every row divided by its sum; a row summing to 0 becomes 1/K everywhere, a row with a
    /// missing score NaN everywhere. The rows are renormalised even when no class is calibrated, as in NannyML.
    /// </summary>
    /// <param name="calibrators">Per fitted class, its calibrator or null.</param>
    public MulticlassColumns WithProbabilities(IReadOnlyList<IsotonicCalibrator?> calibrators)
    {
        var k = Classes;
        var probabilities = new double[k][];
        for (var c = 0; c < k; c++)
        {
            probabilities[c] = new double[Count];
            if (calibrators[c] is { } calibrator)
            {
                calibrator.Calibrate(Scores[c], probabilities[c]);
            }
            else
            {
                Scores[c].AsSpan().CopyTo(probabilities[c]);
            }
        }

        var uniform = 1.0 / k;
        for (var i = 0; i < Count; i++)
        {
            // numpy sums the K columns of a row in order; NaN stays NaN (NaN != 0, so NannyML divides by it).
            double sum = 0;
            for (var c = 0; c < k; c++)
            {
                sum += probabilities[c][i];
            }

            for (var c = 0; c < k; c++)
            {
                probabilities[c][i] = sum != 0 ? probabilities[c][i] / sum : uniform;
            }
        }

        return new MulticlassColumns(Scores, Predictions, Targets, Timestamps, Count)
        {
            Probabilities = probabilities,
            RowsMissingScore = RowsMissingScore,
            RowsMissingPrediction = RowsMissingPrediction,
            RowsScoreSumOff = RowsScoreSumOff,
        };
    }

    private static (long Missing, long SumOff) CheckScores(double[][] scores, IReadOnlyList<string> classes, string period)
    {
        long missing = 0, sumOff = 0;
        var n = scores[0].Length;
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            var anyMissing = false;
            for (var c = 0; c < scores.Length; c++)
            {
                var s = scores[c][i];
                if (double.IsNaN(s))
                {
                    anyMissing = true;
                }
                else if (!(s >= 0 && s <= 1))
                {
                    throw new EstimatorDataException(
                        string.Create(CultureInfo.InvariantCulture, $"score {s:R} of class '{classes[c]}' in the {period} data is outside [0, 1]"),
                        column: "y_pred_proba",
                        row: i);
                }

                sum += s;
            }

            if (anyMissing)
            {
                missing++;
            }
            else if (!(Math.Abs(sum - 1) <= 1e-8 + (1e-5 * Math.Abs(sum))))
            {
                // NannyML does not renormalise raw scores (sklearn's multiclass ROC AUC then refuses them); counted so
                // callers can warn.
                sumOff++;
            }
        }

        return (missing, sumOff);
    }

    private static int[]? Labels(double[]? values, int[] toFitted, IReadOnlyList<string> given, string column, string period, out long missing)
    {
        missing = 0;
        if (values is null)
        {
            return null;
        }

        var labels = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (double.IsNaN(v))
            {
                labels[i] = -1;
                missing++;
            }
            else if (v >= 0 && v < toFitted.Length && v == Math.Floor(v))
            {
                labels[i] = toFitted[(int)v];
            }
            else
            {
                throw new EstimatorDataException(
                    string.Create(CultureInfo.InvariantCulture, $"label {v:R} in the {period} data is not among the mapped classes (indices 0..{toFitted.Length - 1}: {string.Join(", ", given)})"),
                    column: column,
                    row: i);
            }
        }

        return labels;
    }
}
